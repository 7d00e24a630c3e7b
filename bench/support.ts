import type { Check, CheckContext } from "../src/checks/types.js";
import { ParseError } from "../src/checks/types.js";
import { TextVersion } from "../src/review/content.js";

/** Helpers the family benchmarks share (not a benchmark itself: bench/run.ts skips this module). */

export function timeIt<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

/** Runs a family's snapshot checks on one text; a parse error counts as one finding, as the engine reports it. */
export function runSnapshotChecks(
  checks: readonly Check[],
  path: string,
  text: string,
  ctx: CheckContext,
): number {
  const file = new TextVersion(path, text);
  let n = 0;
  for (const check of checks) {
    try {
      if (check.kind === "snapshot") n += check.run(file, ctx).length;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      n++;
    }
  }
  return n;
}
