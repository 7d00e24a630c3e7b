import { readdirSync, readFileSync } from "node:fs";
import { checks as dockerChecks } from "../../../src/checks/docker/checks.generated.js";
import type { ConfigInput } from "../../../src/review/config.js";
import { parseRuleFile } from "../../../src/review/rule-files.js";
import { RuleCatalog } from "../../../src/review/rules.js";
import type { Review } from "../../../src/review/types.js";
import { config, reviewFiles } from "../../support/review.js";

/**
 * Reviews files with the docker checks alone, against a catalogue of the
 * docker rules plus `meta/parse-error`: assertions then see exactly what the
 * docker family reports, whatever other families would add.
 */

const ruleFiles = [
  ...readdirSync("rules/docker").map((f) => `rules/docker/${f}`),
  "rules/meta/parse-error.yml",
];
export const dockerCatalog = new RuleCatalog(ruleFiles.map((p) => parseRuleFile(readFileSync(p, "utf8"), p)));

/** Every docker rule turned on, off-by-default ones included. */
export const ALL_ON: ConfigInput["rules"] = Object.fromEntries(
  dockerCatalog.rules.filter((r) => r.severity === "off").map((r) => [r.id, r["enabled-severity"]!]),
);

export async function reviewDocker(
  files: Array<{ path: string; base?: string | null; head?: string | null }>,
  options: { config?: ConfigInput; mode?: "diff" | "scan" } = {},
): Promise<Review> {
  return reviewFiles(files, {
    catalog: dockerCatalog,
    checks: dockerChecks,
    config: config(options.config ?? {}),
    mode: options.mode,
  });
}

/** Reviews one added Dockerfile (every line new) and returns `[ruleId, line]` pairs, sorted. */
export async function findingsIn(
  head: string,
  options: { config?: ConfigInput; path?: string } = {},
): Promise<Array<[string, number]>> {
  const review = await reviewDocker([{ path: options.path ?? "Dockerfile", head }], options);
  return pairs(review);
}

export function pairs(review: Review): Array<[string, number]> {
  return review.findings
    .map((f) => [f.ruleId, f.line] as [string, number])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

/** Only the findings of one rule, as `[line, message]`. */
export async function messagesFor(
  ruleId: string,
  head: string,
  options: { config?: ConfigInput } = {},
): Promise<Array<[number, string]>> {
  const review = await reviewDocker([{ path: "Dockerfile", head }], options);
  return review.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.line, f.message]);
}
