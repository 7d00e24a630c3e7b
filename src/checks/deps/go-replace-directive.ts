import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip } from "./describe.js";
import { dependencyView, type Replacement } from "./model.js";

/**
 * A `replace` directive silently swaps a module for another one (a fork, a
 * different path) or for a local directory. The swap bypasses the checksum
 * database for the original path and is easy to miss in review. Pinning the
 * same module to another version is not reported.
 */
export const goReplaceDirective = defineCheck({
  kind: "change",
  name: "deps/go-replace-directive",
  families: ["deps"],
  rules: ["deps/go-replace-directive"],
  run(change) {
    const view = dependencyView(change);
    if (!view.head || view.baseError) return [];
    const key = (r: Replacement) => `${r.from}@${r.fromVersion ?? ""}=>${r.to}@${r.toVersion ?? ""}`;
    const before = new Set((view.base?.replacements ?? []).map(key));
    const out: RawFinding[] = [];
    for (const r of view.head.replacements) {
      if (before.has(key(r))) continue;
      if (!r.local && r.to === r.from) continue;
      const target = clip(r.to, 160);
      out.push({
        ruleId: "deps/go-replace-directive",
        line: r.line,
        message: r.local
          ? `Replaces \`${r.from}\` with the local directory \`${target}\`: builds use whatever that path holds, outside the checksum database.`
          : `Replaces \`${r.from}\` with a different module, \`${target}${r.toVersion ? `@${r.toVersion}` : ""}\`: every import of the original now compiles the replacement's code.`,
        anchor: `replace:${clip(key(r), 400)}`,
      });
    }
    return out;
  },
});
