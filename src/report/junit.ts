import type { Finding, Review } from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import { visible } from "./visible.js";

/**
 * `--format junit`: JUnit XML as Jenkins' `junit` step, GitLab's
 * `artifacts:reports:junit` and Azure's PublishTestResults read it. One test
 * suite per file the review reported on, one test case per finding: a finding
 * that fails the review (at or above `fail-on`, not a fixture) is a
 * `<failure>`, any other is a passing case that carries its message, so a
 * dashboard's red count is the review's verdict. A review with no finding is
 * one passing case, and a note that fails the review on its own (vulnerability
 * data unavailable, say) is an `<error>`: an empty report must never read as a pass
 * that did not happen.
 */

/** XML 1.0 cannot carry most control characters even escaped; `visible` has already named them. */
function xml(text: string): string {
  return visible(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function blocks(f: Finding, review: Review): boolean {
  return !f.fixture && atOrAbove(f.severity, review.verdict.failOn);
}

function testCase(f: Finding, review: Review): string {
  const name = xml(`${f.ruleId} at ${f.path}:${f.line}`);
  const detail = xml(`${f.severity}: ${f.message}${f.fix ? `\nFix: ${f.fix}` : ""}`);
  const open = `    <testcase name="${name}" classname="${xml(f.ruleId)}" file="${xml(f.path)}" line="${f.line}" time="0">`;
  if (blocks(f, review)) {
    return `${open}\n      <failure message="${xml(f.message)}" type="${xml(f.severity)}">${detail}</failure>\n    </testcase>`;
  }
  const why = f.fixture ? "test fixture" : `below fail-on (${review.verdict.failOn})`;
  return `${open}\n      <system-out>${xml(`${why}; ${f.severity}: ${f.message}`)}</system-out>\n    </testcase>`;
}

function suite(name: string, cases: string[], failures: number, errors: number): string {
  return [
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="0">`,
    ...cases,
    "  </testsuite>",
  ].join("\n");
}

export function renderJunit(review: Review): string {
  const byPath = new Map<string, Finding[]>();
  for (const f of review.findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const [path, findings] of byPath) {
    const failed = findings.filter((f) => blocks(f, review)).length;
    suites.push(
      suite(
        `tollgate: ${path}`,
        findings.map((f) => testCase(f, review)),
        failed,
        0,
      ),
    );
    tests += findings.length;
    failures += failed;
  }
  const blocking = review.errors.filter((n) => n.blocking);
  if (blocking.length > 0 || byPath.size === 0) {
    const cases = blocking.map(
      (n) =>
        `    <testcase name="${xml(`review note${n.path ? ` on ${n.path}` : ""}`)}" classname="tollgate" time="0">\n      <error message="${xml(n.message)}" type="${n.level}">${xml(n.message)}</error>\n    </testcase>`,
    );
    if (cases.length === 0)
      cases.push(`    <testcase name="no new findings" classname="tollgate" time="0"/>`);
    suites.push(suite("tollgate", cases, 0, blocking.length));
    tests += cases.length;
    errors += blocking.length;
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tollgate" tests="${tests}" failures="${failures}" errors="${errors}" time="0">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
