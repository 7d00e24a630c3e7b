import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { versionText } from "./describe.js";
import { dependencyView } from "./model.js";

/**
 * Moving a dependency back to an older version can reintroduce fixed
 * vulnerabilities and is rarely what a feature change means to do; it is
 * also how a lockfile edit pins a package to a known-bad release.
 */
export const versionDowngrade = defineCheck({
  kind: "change",
  name: "deps/version-downgrade",
  families: ["deps"],
  rules: ["deps/version-downgrade"],
  run(change) {
    const out: RawFinding[] = [];
    for (const diff of dependencyView(change).diffs) {
      if (diff.kind !== "downgraded" || !diff.after || !diff.before) continue;
      const from = versionText(diff.before);
      const to = versionText(diff.after);
      out.push({
        ruleId: "deps/version-downgrade",
        line: diff.after.line,
        message: `Downgrades \`${diff.after.name}\` from \`${from}\` to \`${to}\`: fixes made since may be lost. Say why in the pull request if it is intended.`,
        anchor: `${diff.after.key}:${from}->${to}`,
      });
    }
    return out;
  },
});
