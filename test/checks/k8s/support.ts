import { readdirSync, readFileSync } from "node:fs";
import { checks as k8sChecks } from "../../../src/checks/k8s/checks.generated.js";
import type { ConfigInput } from "../../../src/review/config.js";
import { parseRuleFile } from "../../../src/review/rule-files.js";
import { RuleCatalog } from "../../../src/review/rules.js";
import type { Review } from "../../../src/review/types.js";
import { config, reviewFiles } from "../../support/review.js";

/** Reviews files with the k8s checks alone (plus `meta/parse-error`), through the real engine. */

const ruleFiles = [...readdirSync("rules/k8s").map((f) => `rules/k8s/${f}`), "rules/meta/parse-error.yml"];
export const k8sCatalog = new RuleCatalog(ruleFiles.map((p) => parseRuleFile(readFileSync(p, "utf8"), p)));

export async function reviewK8s(
  files: Array<{ path: string; base?: string | null; head?: string | null }>,
  options: { config?: ConfigInput; mode?: "diff" | "scan" } = {},
): Promise<Review> {
  return reviewFiles(files, {
    catalog: k8sCatalog,
    checks: k8sChecks,
    config: config(options.config ?? {}),
    mode: options.mode,
  });
}
