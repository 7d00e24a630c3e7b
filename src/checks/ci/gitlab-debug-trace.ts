import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ciFinding } from "./common.js";
import { ciFacts } from "./model.js";

/**
 * `CI_DEBUG_TRACE: "true"` makes the runner trace every shell command with
 * its expanded values, masked variables included, into a job log that
 * everyone with access to the project's jobs can read (GitLab's docs warn
 * about it). `CI_DEBUG_SERVICES` does the same for service containers' logs.
 */
const RULE = "ci/gitlab-debug-trace";
const DEBUG = new Set(["CI_DEBUG_TRACE", "CI_DEBUG_SERVICES"]);

export const gitlabDebugTrace = defineCheck({
  kind: "snapshot",
  name: "ci/gitlab-debug-trace",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (facts?.flavor !== "gitlab") return [];
    const out: RawFinding[] = [];
    for (const v of facts.variables) {
      if (!DEBUG.has(v.name) || v.value.trim().toLowerCase() !== "true") continue;
      out.push(
        ciFinding({
          ruleId: RULE,
          at: v,
          message: `\`${v.name}: "true"\` (${v.scope === "global" ? "every job" : v.scope}) writes every command with its expanded values, masked secrets included, into the job log.`,
          anchor: `gitlab/${v.scope}/variables/${v.name}`,
        }),
      );
    }
    return out;
  },
});
