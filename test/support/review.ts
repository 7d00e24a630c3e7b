import type { Check } from "../../src/checks/types.js";
import { type Config, type ConfigInput, configSchema } from "../../src/review/config.js";
import { type ReviewOptions, runReview } from "../../src/review/engine.js";
import { memoryChangeSet } from "../../src/review/memory.js";
import type { Review } from "../../src/review/types.js";

export function config(input: ConfigInput = {}): Config {
  return configSchema.parse(input);
}

/** Reviews in-memory files: `base` null or absent = added file, `head` null = removed. */
export async function reviewFiles(
  files: Array<{ path: string; base?: string | null; head?: string | null; previousPath?: string }>,
  options: ReviewOptions & { checks?: readonly Check[] } = {},
): Promise<Review> {
  return runReview(memoryChangeSet(files), options);
}

/** `[ruleId, line]` pairs, sorted, for exact assertions. */
export function ruleLines(review: Review): Array<[string, number]> {
  return review.findings
    .map((f) => [f.ruleId, f.line] as [string, number])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}
