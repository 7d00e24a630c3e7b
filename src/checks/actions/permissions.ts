import { isMap, isScalar } from "yaml";
import { mapEntries, scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";
import { privilegedTriggerNames } from "./triggers.js";

/**
 * The token a job gets is the blast radius of everything else going wrong in
 * it. `write-all`, writes granted at workflow level to several jobs, and a
 * privileged trigger left on the repository's default token all widen it.
 * Medium: none of them is attackable by itself (an injection or an untrusted
 * checkout that would use the token is reported by its own rule).
 */
export const excessivePermissions = defineCheck({
  kind: "snapshot",
  name: "actions/excessive-permissions",
  families: ["actions"],
  rules: ["actions/excessive-permissions"],
  run: onWorkflow(({ wf }) => {
    if (wf.kind !== "workflow") return [];
    const out: RawFinding[] = [];
    const writeAll = (node: unknown) =>
      isScalar(node) && scalarText(node)?.trim().toLowerCase() === "write-all";

    const top = wf.permissions;
    // A job with its own `permissions:` replaces the workflow's; the rest inherit it.
    const inheriting = wf.jobs.filter((j) => !j.permissions);
    if (top && writeAll(top.value)) {
      const who = wf.jobs.length === 1 ? "this workflow's job" : `every job without its own \`permissions:\``;
      out.push(
        finding({
          ruleId: "actions/excessive-permissions",
          at: at(wf, top.value),
          message: `\`permissions: write-all\` gives ${who} a token that can push code, publish releases and change settings.`,
          fix: "Set `permissions: {}` at the top and grant each job only the scopes it needs (e.g. `contents: read`).",
          anchor: "permissions:write-all",
        }),
      );
    } else if (top && isMap(top.value) && inheriting.length > 1) {
      // With one job inheriting them, workflow-level scopes are exactly that job's scopes:
      // saying so at the top or in the job is the same grant, so there is nothing to narrow.
      const names = inheriting.map((j) => `\`${j.id}\``);
      const list =
        names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
      for (const e of mapEntries(wf.doc, top.value)) {
        if (scalarText(e.value)?.trim().toLowerCase() !== "write") continue;
        out.push(
          finding({
            ruleId: "actions/excessive-permissions",
            at: at(wf, e.keyNode),
            message: `\`${e.key}: write\` at workflow level is granted to each of the ${inheriting.length} jobs that inherit it (${list}), whether or not they need it.`,
            fix: `Move \`${e.key}: write\` to the jobs that need it and keep the workflow default read-only.`,
            anchor: `permissions:${e.key}`,
          }),
        );
      }
    }

    for (const job of wf.jobs) {
      if (job.permissions && writeAll(job.permissions.value)) {
        out.push(
          finding({
            ruleId: "actions/excessive-permissions",
            at: at(wf, job.permissions.value),
            message: `Job \`${job.id}\` asks for \`write-all\`: a token that can push code, publish releases and change settings.`,
            fix: "List only the scopes this job needs, e.g. `permissions: { contents: read, pull-requests: write }`.",
            anchor: `${jobAnchor(job)}/permissions:write-all`,
          }),
        );
      }
    }

    const privileged = privilegedTriggerNames(wf);
    if (privileged.length > 0 && !top) {
      for (const job of wf.jobs) {
        if (job.permissions) continue;
        out.push(
          finding({
            ruleId: "actions/excessive-permissions",
            at: at(wf, job.keyNode),
            message: `Job \`${job.id}\` runs on \`${privileged[0]}\` with the repository's default token, which may be able to write: no \`permissions:\` block limits it.`,
            fix: "Add a minimal `permissions:` block (e.g. `permissions: { contents: read }`) to the workflow or this job.",
            anchor: `${jobAnchor(job)}/permissions:missing`,
          }),
        );
      }
    }
    return out;
  }),
});
