import type { Finding, Review, SuppressedFinding } from "../review/types.js";
import { dependencyFlags } from "./markdown.js";

/** `--format json`: stable keys, paths relative to the repository root with forward slashes. */

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.path,
    line: f.line,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.column !== undefined ? { column: f.column } : {}),
    ...(f.side === "LEFT" ? { side: f.side } : {}),
    message: f.message,
    ...(f.fix ? { fix: f.fix } : {}),
    ...(f.evidence ? { evidence: f.evidence } : {}),
    fingerprint: f.fingerprint,
    ...(f.fixture ? { fixture: true } : {}),
  };
}

function suppressedJson(f: SuppressedFinding) {
  return { ...findingJson(f), suppression: f.suppression };
}

export function reviewToJson(review: Review) {
  return {
    findings: review.findings.map(findingJson),
    suppressed: review.suppressed.map(suppressedJson),
    errors: review.errors,
    verdict: review.verdict,
    dependencyChanges: review.dependencyChanges.map((c) => ({
      ...c,
      flags: dependencyFlags(c, review.findings),
    })),
    stats: review.stats,
  };
}

export function renderJson(review: Review): string {
  return `${JSON.stringify(reviewToJson(review), null, 2)}\n`;
}
