import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { CheckContext, FileChange, FileVersion } from "../types.js";

const CONFIG_PATH = /^\.github\/tollgate\.ya?ml$/;

/**
 * Tollgate reads its configuration from the base branch, so a pull request
 * cannot loosen the gate for itself; but once merged it loosens it for
 * everyone. Such an edit is shown, and an invalid one is high: it would break
 * every later review.
 */
export const configChanged = defineCheck({
  kind: "change",
  name: "meta/tollgate-config-changed",
  families: ["meta"],
  rules: ["meta/tollgate-config-changed"],
  // Synchronous for every other file: a check that returns a promise makes its file yield to the others
  // in flight (file-analysis.ts), which kept sixteen files' parses alive through each young-generation
  // collection (on 50 GitLab pipelines, 0.7 MB promoted per scavenge instead of 24 kB, four times the pause).
  run(change, ctx) {
    if (!CONFIG_PATH.test(change.path) || !change.head) return [];
    return configFindings(change, change.head, ctx);
  },
});

async function configFindings(
  change: FileChange,
  head: FileVersion,
  ctx: CheckContext,
): Promise<RawFinding[]> {
  // The schema library loads only for the rare change that edits this file.
  const { parseConfigText } = await import("../../review/config.js");
  const { issues } = parseConfigText(head.text, ctx.catalog.ids());
  const out: RawFinding[] = issues.map((issue) => ({
    ruleId: "meta/tollgate-config-changed",
    severity: "high",
    line: issue.line ?? 1,
    message: `Invalid Tollgate configuration${issue.path ? ` at \`${issue.path}\`` : ""}: ${issue.message}. Until it is fixed, every review on the default branch fails to load its configuration.`,
    anchor: `invalid:${issue.path}:${issue.message}`,
  }));
  if (ctx.mode === "diff" && issues.length === 0 && change.added.size + change.removed.size > 0) {
    const first = Math.min(...change.added.keys(), ...(change.added.size ? [] : [1]));
    out.push({
      ruleId: "meta/tollgate-config-changed",
      line: Number.isFinite(first) ? first : 1,
      message:
        "Changes Tollgate's own configuration. It takes effect only after merge (reviews read the base branch); check that no rule is turned off or lowered without a reason.",
      anchor: `changed:${[...change.added.values(), ...change.removed.values()].join("\n")}`,
    });
  }
  return out;
}
