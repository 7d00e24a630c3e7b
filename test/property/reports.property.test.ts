import { describe, expect, it } from "vitest";
import { reviewToJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { DependencyChange, Finding, Review } from "../../src/review/types.js";
import { computeVerdict } from "../../src/review/verdict.js";
import { GROWTH, growthRatio, MAX_RATIO } from "./support.js";

/** A lockfile change of `n` packages, each with an install-script finding on its line. */
function lockfileReview(n: number): Review {
  const findings: Finding[] = [];
  const dependencyChanges: DependencyChange[] = [];
  for (let i = 0; i < n; i++) {
    const line = i * 7 + 3;
    dependencyChanges.push({
      ecosystem: "npm",
      name: `pkg-${i}`,
      kind: "added",
      to: "1.0.0",
      path: "package-lock.json",
      line,
      direct: false,
      flags: [],
    });
    findings.push({
      ruleId: "deps/install-script",
      severity: "medium",
      path: "package-lock.json",
      line,
      message: "runs an install script",
      anchor: `pkg-${i}`,
      fingerprint: i.toString(16).padStart(16, "0"),
    });
  }
  return {
    findings,
    suppressed: [],
    errors: [],
    verdict: computeVerdict(findings, [], "high"),
    stats: { filesInChange: 1, filesAnalysed: 1, filesSkipped: 0, bytesRead: n * 100 },
    dependencyChanges,
  };
}

describe("reports stay linear in what a lockfile can make them list", () => {
  it("flags each dependency change with its findings once, not by scanning every finding", () => {
    const flagged = reviewToJson(lockfileReview(3)).dependencyChanges.map((c) => [c.name, c.flags]);
    expect(flagged).toEqual([
      ["pkg-0", ["deps/install-script"]],
      ["pkg-1", ["deps/install-script"]],
      ["pkg-2", ["deps/install-script"]],
    ]);
    for (const [name, render] of [
      ["json", (r: Review) => reviewToJson(r)],
      ["markdown", (r: Review) => renderMarkdown(r)],
    ] as const) {
      const ratio = growthRatio(
        (n) => String(n),
        (s) => render(lockfileReview(Number(s))),
        400,
      );
      expect(ratio, `${name}: ${GROWTH}x the packages took ${ratio.toFixed(1)}x the time`).toBeLessThan(
        MAX_RATIO,
      );
    }
  });
});
