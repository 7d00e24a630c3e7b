import { runReview } from "../src/review/engine.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import { syntheticChange } from "./synthetic.js";

/**
 * One engine measurement in its own process, so peak RSS belongs to that
 * change size alone: `node dist/bench/engine-child.js <files> <runs>`.
 */

const files = Number(process.argv[2] ?? 100);
const runs = Number(process.argv[3] ?? 5);
await loadRuleCatalog();
const { changeSet, bytes } = syntheticChange(files);
// One warm-up run loads every check family and lets the JIT settle.
await runReview(changeSet);
const times: number[] = [];
let findings = 0;
for (let i = 0; i < runs; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const review = await runReview(changeSet);
  times.push(performance.now() - t0);
  findings = review.findings.length;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
process.stdout.write(
  JSON.stringify({
    files,
    bytes,
    medianMs: median,
    filesPerSec: files / (median / 1000),
    mbPerSec: bytes / 1e6 / (median / 1000),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    findings,
  }),
);
