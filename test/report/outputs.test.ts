import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { GITHUB_TEXT_LIMIT, renderMarkdown, summaryTitle } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import type { Finding, Review, SuppressedFinding } from "../../src/review/types.js";
import { computeVerdict } from "../../src/review/verdict.js";
import { withEngineFix } from "../support/rule-fix.js";

// ajv-draft-04 is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv = AjvDraft04.default;

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "meta/suppression-added",
    severity: "low",
    path: "Dockerfile",
    line: 3,
    message: "Adds an inline suppression",
    anchor: "a",
    fingerprint: "0123456789abcdef",
    ...over,
  };
}

function review(findings: Finding[], extra: Partial<Review> = {}): Review {
  return {
    findings,
    suppressed: [],
    errors: [],
    verdict: computeVerdict(findings, extra.errors ?? [], "high"),
    stats: { filesInChange: 2, filesAnalysed: 1, filesSkipped: 1, bytesRead: 10 },
    dependencyChanges: [],
    ...extra,
  };
}

const high = finding({
  ruleId: "meta/tollgate-config-changed",
  severity: "high",
  path: ".github/tollgate.yml",
  line: 1,
  message: "Invalid | config <b>@team</b>",
  fix: "Fix the key.",
});
const suppressed: SuppressedFinding = {
  ...finding({ line: 9, fingerprint: "fedcba9876543210" }),
  suppression: {
    kind: "command",
    reason: "accepted",
    by: "alice",
    at: "2026-11-28T10:00:00Z",
    url: "https://github.test/c/1",
  },
};

describe("json", () => {
  it("has the documented shape with relative paths", () => {
    const json = JSON.parse(renderJson(review([high], { suppressed: [suppressed] })));
    expect(json.findings).toEqual([
      {
        ruleId: "meta/tollgate-config-changed",
        severity: "high",
        path: ".github/tollgate.yml",
        line: 1,
        message: "Invalid | config <b>@team</b>",
        fix: "Fix the key.",
        fingerprint: "0123456789abcdef",
      },
    ]);
    expect(json.suppressed[0]).toMatchObject({ line: 9, suppression: { kind: "command", by: "alice" } });
    expect(json.errors).toEqual([]);
    expect(json.verdict).toMatchObject({ conclusion: "failure", blocking: 1 });
  });
});

describe("text", () => {
  it("groups by file with line, severity, rule, message and fix, and strips terminal escapes", () => {
    const out = renderText(
      review([high, finding({ path: "Dockerfile", message: "evil \u001b[2J clear" })], {
        errors: [{ level: "warning", path: "x.yml", line: 2, message: "patch not readable" }],
      }),
    );
    expect(out).toContain(
      ".github/tollgate.yml\n  1       high     meta/tollgate-config-changed  Invalid | config <b>@team</b>\n",
    );
    expect(out).toContain("fix: Fix the key.");
    expect(out).toContain("Dockerfile\n  3       low      meta/suppression-added  evil <U+001B>[2J clear");
    expect(out).not.toContain("\u001b");
    expect(out).toContain("warning: x.yml:2: patch not readable");
    expect(out).toMatch(/FAIL 2 new findings \(1 high, 1 low\) — 1 at or above high \(fail-on: high\)\n$/);
  });
});

describe("a finding without its own fix", () => {
  const bare = finding({ ruleId: "meta/suppression-added", line: 4 });
  // The engine fills the rule's one-line fix once; the outputs show the finding's.
  const ruleFix = "Fix the finding instead.";

  it("text and markdown fall back to the rule's one-line fix", async () => {
    const filled = await withEngineFix(bare, ruleFix);
    expect(renderText(review([filled]))).toContain(
      `  4       low      meta/suppression-added  Adds an inline suppression\n${" ".repeat(19)}fix: Fix the finding instead.\n`,
    );
    expect(renderMarkdown(review([filled]))).toContain(
      "Adds an inline suppression<br>Fix: Fix the finding instead. |",
    );
  });

  it("a finding's own fix wins over the rule's", async () => {
    const own = await withEngineFix(finding({ fix: "Remove line 4." }), ruleFix);
    const text = renderText(review([own]));
    expect(text).toContain("fix: Remove line 4.");
    expect(text).not.toContain("Fix the finding instead.");
  });
});

describe("markdown", () => {
  it("summarises by family and severity, escapes PR-controlled text, lists suppressions with who and why", () => {
    const md = renderMarkdown(review([high], { suppressed: [suppressed] }));
    expect(md).toContain("## Tollgate: 1 new finding (1 high) — 1 at or above high");
    expect(md).toContain("| meta | 1 | 1 |");
    expect(md).toContain("Invalid \\| config &lt;b&gt;@\u200bteam&lt;/b&gt;");
    expect(md).toContain(
      "[meta/tollgate-config-changed](https://github.com/tollgate-app/tollgate/blob/main/docs/rules/meta/tollgate-config-changed.md)",
    );
    expect(md).toContain("ignored by @alice on 2026-11-28 ([comment](https://github.test/c/1)) | accepted |");
  });

  it("says when nothing is new", () => {
    expect(summaryTitle(review([]))).toBe("No new findings");
    expect(renderMarkdown(review([]))).toContain("**Passing**: nothing new at or above `high`.");
  });

  it("stays under GitHub's limit with an explicit truncation note", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({
        line: i + 1,
        message: `problem number ${i} ${"x".repeat(40)}`,
        fingerprint: `${i}`.padStart(16, "0"),
      }),
    );
    const md = renderMarkdown(review(many, { suppressed: Array.from({ length: 500 }, () => suppressed) }));
    expect(md.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(md).toMatch(/… \d+ more findings not shown: truncated to fit GitHub's 65,535-character limit/);
    // rows are never cut in the middle
    for (const line of md.split("\n").filter((l) => l.startsWith("| 🔵")))
      expect(line.endsWith("|")).toBe(true);
  });

  it("fills the dependency table's flags from findings on the same line", () => {
    const vuln = finding({
      ruleId: "deps/known-vulnerability",
      severity: "high",
      path: "package-lock.json",
      line: 40,
    });
    const md = renderMarkdown(
      review([vuln], {
        dependencyChanges: [
          {
            ecosystem: "npm",
            name: "lodash",
            kind: "added",
            to: "4.17.20",
            path: "package-lock.json",
            line: 40,
            direct: true,
            flags: [],
          },
        ],
      }),
    );
    expect(md).toContain(
      "| `lodash` (npm) | added |  | `4.17.20` | direct | ⚠️ vulnerability | `package-lock.json:40` |",
    );
  });
});

describe("sarif", () => {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, "../fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"),
  );
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

  it("validates against the SARIF 2.1.0 schema, with GitHub's security-severity and fingerprints", () => {
    const sarif = JSON.parse(
      renderSarif(
        review([high], {
          suppressed: [suppressed],
          errors: [{ level: "info", path: "a", message: "skipped" }],
        }),
      ),
    );
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "meta/suppression-added",
      "meta/tollgate-config-changed",
    ]);
    // the rule carries its default severity; a result carries its own
    expect(run.tool.driver.rules[1].properties["security-severity"]).toBe("5.0");
    expect(run.results[0].properties["security-severity"]).toBe("7.5");
    expect(run.results[0]).toMatchObject({
      ruleId: "meta/tollgate-config-changed",
      ruleIndex: 1,
      level: "error",
      locations: [
        { physicalLocation: { artifactLocation: { uri: ".github/tollgate.yml" }, region: { startLine: 1 } } },
      ],
      partialFingerprints: { "tollgate/v1": "0123456789abcdef" },
    });
    expect(run.results[1].suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "accepted" },
    ]);
  });
});
