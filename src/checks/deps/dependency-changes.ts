import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { versionText } from "./describe.js";
import { integrityFindings } from "./lockfile-integrity-changed.js";
import { dependencyView } from "./model.js";

/**
 * Feeds the summary's "Dependency changes" table (one row per dependency that
 * a file adds, updates or removes) and turns an unreadable manifest or
 * lockfile into `meta/parse-error` at the offending line. Flags are left
 * empty on purpose (the report fills them from the findings on the same
 * line), except the integrity flag, whose finding sits on the hash line.
 */
export const dependencyChanges = defineCheck({
  kind: "change",
  stage: "parse",
  name: "deps/dependency-changes",
  families: ["deps"],
  rules: ["meta/parse-error"],
  run(change, ctx) {
    const view = dependencyView(change);
    const out: RawFinding[] = [];
    if (view.headError) {
      // Already broken at base the same way: not something this change introduces.
      const sameAtBase = view.baseError?.message === view.headError.message;
      if (!sameAtBase || ctx.mode === "scan") {
        out.push({
          ruleId: "meta/parse-error",
          line: Math.max(1, view.headError.line),
          column: view.headError.column,
          message: `${change.path} could not be parsed as a dependency file: ${view.headError.message}. Its dependencies were not reviewed.`,
          anchor: `parse-error:deps:${view.headError.message}`,
        });
      }
      return out;
    }
    if (view.baseError && view.head) {
      ctx.note({
        level: "info",
        path: change.path,
        message: `the base version could not be parsed (${view.baseError.message}), so its dependency changes are not listed`,
      });
      return out;
    }
    // An integrity finding sits on the hash line, not the row's: the row is flagged here instead.
    const integrity =
      ctx.config.rules["deps/lockfile-integrity-changed"] === "off"
        ? new Set<unknown>()
        : new Set(integrityFindings(change).findings.map((f) => f.diff));
    for (const diff of view.diffs) {
      const dep = diff.after ?? diff.before!;
      ctx.dependencyChange({
        ecosystem: dep.ecosystem,
        name: dep.name,
        kind: diff.kind,
        from: versionText(diff.before),
        to: versionText(diff.after),
        path: change.path,
        line: dep.line,
        direct: dep.direct,
        dev: dep.dev,
        flags: integrity.has(diff) ? ["deps/lockfile-integrity-changed"] : [],
      });
    }
    return out;
  },
});
