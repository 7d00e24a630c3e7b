import { readdirSync, readFileSync } from "node:fs";
import { checks as composeChecks } from "../../../src/checks/compose/checks.generated.js";
import { parseRuleFile } from "../../../src/review/rule-files.js";
import { RuleCatalog } from "../../../src/review/rules.js";
import type { Review } from "../../../src/review/types.js";
import { config, reviewFiles } from "../../support/review.js";

/**
 * Reviews files with the compose checks alone, against the compose rules
 * plus `meta/parse-error`: assertions see exactly what the family reports.
 */

const ruleFiles = [
  ...readdirSync("rules/compose").map((f) => `rules/compose/${f}`),
  "rules/meta/parse-error.yml",
];
export const composeCatalog = new RuleCatalog(
  ruleFiles.map((p) => parseRuleFile(readFileSync(p, "utf8"), p)),
);

export async function reviewCompose(
  files: Array<{ path: string; base?: string | null; head?: string | null }>,
  options: { mode?: "diff" | "scan" } = {},
): Promise<Review> {
  return reviewFiles(files, {
    catalog: composeCatalog,
    checks: composeChecks,
    config: config({}),
    mode: options.mode,
  });
}

/** `[ruleId, line]` pairs of one added (or changed, with `base`) docker-compose.yml, sorted. */
export async function findingsIn(head: string, base?: string): Promise<Array<[string, number]>> {
  return pairs(await reviewCompose([{ path: "docker-compose.yml", base: base ?? null, head }]));
}

export function pairs(review: Review): Array<[string, number]> {
  return review.findings
    .map((f) => [f.ruleId, f.line] as [string, number])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}
