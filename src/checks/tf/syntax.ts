import { loadHcl } from "../../formats/hcl.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isTerraformConfig, parseVersion } from "./module-check.js";

/**
 * A Terraform file the grammar cannot read is reported as `meta/parse-error`
 * at the line of the first error; the rest of its module is still reviewed.
 * A file that did not parse at base either is not reported again.
 */
export const tfSyntax = defineCheck({
  kind: "review",
  stage: "parse",
  name: "tf/syntax",
  families: ["tf"],
  rules: ["meta/parse-error"],
  async run(changes, ctx) {
    const relevant = changes.filter((c) => c.head && isTerraformConfig(c.path));
    if (relevant.length === 0) return [];
    const hcl = await loadHcl();
    const out: RawFinding[] = [];
    for (const c of relevant) {
      const head = parseVersion(c.head!, hcl);
      if (!("error" in head)) continue;
      const base =
        c.base && ctx.mode === "diff" && isTerraformConfig(c.base.path)
          ? parseVersion(c.base, hcl)
          : undefined;
      if (base && "error" in base) continue;
      out.push({
        ruleId: "meta/parse-error",
        path: c.path,
        line: Math.max(1, head.error.line),
        message: `${c.path} could not be parsed: ${head.error.message}`,
        anchor: "parse-error:tf/syntax",
      });
    }
    return out;
  },
});
