import { performance } from "node:perf_hooks";
import { annotationsFor, batches, checkRunOutput } from "../src/report/check-run.js";
import { selectInlineComments } from "../src/report/review-comments.js";
import { unifiedPatch } from "../src/review/memory.js";
import { type Finding, type Review, type RuleId, SEVERITIES } from "../src/review/types.js";
import { computeVerdict } from "../src/review/verdict.js";
import type { BenchLine } from "./types.js";

/**
 * The app's own work around the engine, on a synthetic worst case: a review
 * of 500 changed files with 5,000 new findings turned into a check run
 * (summary capped at 65,535 characters, annotations in batches of 50) and
 * into inline comments checked against every file's hunks. GitHub's calls
 * dominate a real review; this part must stay far below them.
 */

const FILES = 500;
const FINDINGS = 5_000;
const TARGET_MS = 100;
/** The summary re-renders while it drops rows to fit GitHub's limit. */
const TARGET_SUMMARY_MS = 500;

function syntheticPatches(): Map<string, string> {
  const patches = new Map<string, string>();
  for (let f = 0; f < FILES; f++) {
    const base = Array.from({ length: 400 }, (_, i) => `line ${i} of file ${f}`).join("\n");
    const head = base
      .split("\n")
      .map((l, i) => (i % 40 === 0 ? `${l} changed` : l))
      .join("\n");
    patches.set(`svc/${f}/Dockerfile`, unifiedPatch(`${base}\n`, `${head}\n`));
  }
  return patches;
}

function syntheticReview(): Review {
  const findings: Finding[] = Array.from({ length: FINDINGS }, (_, i) => ({
    ruleId: `docker/rule-${i % 13}` as RuleId,
    severity: SEVERITIES[i % 4]!,
    path: `svc/${i % FILES}/Dockerfile`,
    line: 1 + ((i * 7) % 400),
    message: `finding ${i}: ${"something is not right here ".repeat(3)}`,
    evidence: `RUN something --flag ${i}`,
    anchor: `a${i}`,
    fingerprint: i.toString(16).padStart(16, "0"),
  }));
  return {
    findings,
    suppressed: [],
    errors: [],
    verdict: computeVerdict(findings, [], "high"),
    stats: { filesInChange: FILES, filesAnalysed: FILES, filesSkipped: 0, bytesRead: 0 },
    dependencyChanges: [],
  };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void, runs = 5): number {
  fn(); // warm-up
  return median(
    Array.from({ length: runs }, () => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    }),
  );
}

export async function bench(): Promise<BenchLine[]> {
  const review = syntheticReview();
  const patches = syntheticPatches();
  let summaryLength = 0;
  const summaryMs = time(() => {
    summaryLength = checkRunOutput(review).summary.length;
  });
  let batchCount = 0;
  const annotationsMs = time(() => {
    batchCount = batches(annotationsFor(review)).length;
  });
  let inline = 0;
  const commentsMs = time(() => {
    inline = selectInlineComments(review.findings, patches, { max: 25 }).comments.length;
  });
  const n = FINDINGS.toLocaleString("en-US");
  return [
    {
      name: `app: check run summary, ${n} findings cut to 65,535 chars`,
      value: summaryMs,
      unit: "ms",
      target: `< ${TARGET_SUMMARY_MS} ms`,
      ok: summaryMs < TARGET_SUMMARY_MS && summaryLength <= 65_535,
    },
    {
      name: `app: check run annotations, ${n} findings in batches of 50`,
      value: annotationsMs,
      unit: "ms",
      target: `< ${TARGET_MS} ms`,
      ok: annotationsMs < TARGET_MS && batchCount === FINDINGS / 50,
    },
    {
      name: `app: inline comment placement, ${n} findings over ${FILES} patches`,
      value: commentsMs,
      unit: "ms",
      target: `< ${TARGET_MS} ms`,
      ok: commentsMs < TARGET_MS && inline === 25,
    },
  ];
}
