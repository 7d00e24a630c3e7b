import { readdirSync, readFileSync } from "node:fs";
import { checks } from "../../../src/checks/ansible/checks.generated.js";
import { parseRuleFile } from "../../../src/review/rule-files.js";
import { RuleCatalog } from "../../../src/review/rules.js";
import type { Review } from "../../../src/review/types.js";
import { config, reviewFiles } from "../../support/review.js";

/** Reviews files with the ansible checks alone, so assertions see exactly what the family reports. */
const ruleFiles = [
  ...readdirSync("rules/ansible").map((f) => `rules/ansible/${f}`),
  "rules/meta/parse-error.yml",
];
const catalog = new RuleCatalog(ruleFiles.map((p) => parseRuleFile(readFileSync(p, "utf8"), p)));

export function reviewAnsible(
  files: Array<{ path: string; base?: string | null; head?: string | null }>,
): Promise<Review> {
  return reviewFiles(files, { catalog, checks, config: config({}) });
}

export function pairs(review: Review): Array<[string, number]> {
  return review.findings
    .map((f) => [f.ruleId, f.line] as [string, number])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}
