import { describe, expect, it } from "vitest";
import {
  ANNOTATION_MESSAGE_LIMIT,
  annotationFor,
  annotationsFor,
  batches,
  checkRunOutput,
  checkRunTitle,
  failureOutput,
  truncate,
  truncateBytes,
} from "../../src/report/check-run.js";
import type { Finding, Review } from "../../src/review/types.js";
import { computeVerdict } from "../../src/review/verdict.js";
import { withEngineFix } from "../support/rule-fix.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "docker/runs-as-root",
    severity: "high",
    path: "Dockerfile",
    line: 3,
    message: "runs as root",
    anchor: "a",
    fingerprint: "0123456789abcdef",
    ...overrides,
  };
}

function review(findings: Finding[], failOn: "high" | "low" = "high"): Review {
  return {
    findings,
    suppressed: [],
    errors: [],
    verdict: computeVerdict(findings, [], failOn),
    stats: { filesInChange: 1, filesAnalysed: 1, filesSkipped: 0, bytesRead: 10 },
    dependencyChanges: [],
  };
}

describe("annotations", () => {
  it("are failure at or above fail-on and warning below it", () => {
    const r = review([
      finding(),
      finding({ severity: "medium", ruleId: "docker/unpinned-base-image", line: 1 }),
    ]);
    expect(annotationsFor(r).map((a) => [a.annotation_level, a.title])).toEqual([
      ["failure", "[high] docker/runs-as-root"],
      ["warning", "[medium] docker/unpinned-base-image"],
    ]);
  });

  it("carry columns only on single-line annotations", () => {
    const single = annotationFor(finding({ column: 5, endColumn: 9 }), "high");
    expect(single).toMatchObject({ start_line: 3, end_line: 3, start_column: 5, end_column: 9 });
    const multi = annotationFor(finding({ column: 5, endColumn: 9, endLine: 6 }), "high");
    expect(multi).toMatchObject({ start_line: 3, end_line: 6 });
    expect(multi).not.toHaveProperty("start_column");
    expect(multi).not.toHaveProperty("end_column");
  });

  it("include evidence, the fix (the rule's when the finding has none) and the rule page", async () => {
    // The engine fills the rule's fix into a finding that has none; the annotation shows the finding's.
    const filled = await withEngineFix(finding({ evidence: "USER root" }), "Add a USER");
    const a = annotationFor(filled, "high", {
      docsBaseUrl: "https://docs.example/rules",
    });
    expect(a.message).toBe("runs as root\n\nEvidence: USER root\n\nFix: Add a USER");
    expect(a.raw_details).toBe(
      "Rule: https://docs.example/rules/docker/runs-as-root.md\nFingerprint: 0123456789abcdef",
    );
  });

  it("pin a finding on a removed line to line 1 of the head file and say where it was", () => {
    const a = annotationFor(finding({ side: "LEFT", line: 40 }), "high");
    expect(a).toMatchObject({ start_line: 1, end_line: 1 });
    expect(a.message).toMatch(/^On removed line 40: /);
  });

  it("cap a message at 64 KB", () => {
    const a = annotationFor(finding({ message: "é".repeat(70_000) }), "high");
    expect(Buffer.byteLength(a.message, "utf8")).toBeLessThanOrEqual(ANNOTATION_MESSAGE_LIMIT);
    expect(a.message.endsWith("… (truncated)")).toBe(true);
  });

  it("are sent in batches of at most 50", () => {
    const items = Array.from({ length: 121 }, (_, i) => i);
    expect(batches(items).map((b) => b.length)).toEqual([50, 50, 21]);
    expect(batches([])).toEqual([]);
  });
});

describe("title and summary", () => {
  it("count new findings by severity", () => {
    expect(checkRunTitle(review([finding(), finding({ severity: "low", line: 9 })]))).toBe(
      "2 new findings (1 high, 1 low) — 1 at or above high",
    );
    expect(checkRunTitle(review([]))).toBe("No new findings");
  });

  it("keep the summary under 65,535 characters with an explicit truncation note", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({
        line: i + 1,
        message: `problem ${"x".repeat(100)} ${i}`,
        fingerprint: i.toString(16).padStart(16, "0"),
      }),
    );
    const { summary } = checkRunOutput(review(many));
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary).toMatch(/more findings? not shown: truncated/);
  });
});

describe("errors and truncation", () => {
  it("a failure output names the step, the problem, the conclusion and GitHub's request id", () => {
    const failure = {
      title: "Review failed: could not list the changed files",
      step: "could not list the changed files",
      cause: "GitHub answered 500: boom",
      conclusion: "failure" as const,
      why: "a review that cannot finish fails closed",
    };
    const out = failureOutput({ ...failure, requestId: "ABCD:1" });
    expect(out.title).toBe("Review failed: could not list the changed files");
    expect(out.summary).toContain("Could not list the changed files: GitHub answered 500: boom");
    expect(out.summary).toContain("Concluded `failure`: a review that cannot finish fails closed.");
    expect(out.summary).toContain("GitHub request id: `ABCD:1`");
    expect(failureOutput(failure).summary).not.toContain("request id");
  });

  it("truncate never splits a surrogate pair and always says it cut", () => {
    const text = `${"a".repeat(9)}😀tail`;
    const cut = truncate(text, 11, "…");
    expect(cut).toBe(`${"a".repeat(9)}…`);
    expect(truncate("short", 10)).toBe("short");
    expect(truncateBytes("😀😀😀", 9, "…")).toBe("😀…");
  });
});
