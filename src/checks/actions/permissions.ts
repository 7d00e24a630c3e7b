import { isMap, isScalar } from "yaml";
import { mapEntries, scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { at, finding, workflowCheck } from "./common.js";
import { jobAnchor } from "./model.js";
import { privilegedTriggerNames } from "./triggers.js";

/**
 * The token a job gets is the blast radius of everything else going wrong in
 * it. `write-all`, writes granted to every job at workflow level, and a
 * privileged trigger left on the repository's default token all widen it.
 */
export const excessivePermissions = workflowCheck(
  "actions/excessive-permissions",
  ["actions/excessive-permissions"],
  ({ wf }) => {
    if (wf.kind !== "workflow") return [];
    const out: RawFinding[] = [];
    const writeAll = (node: unknown) =>
      isScalar(node) && scalarText(node)?.trim().toLowerCase() === "write-all";

    const top = wf.permissions;
    if (top && writeAll(top.value)) {
      out.push(
        finding({
          ruleId: "actions/excessive-permissions",
          at: at(wf, top.value),
          message:
            "`permissions: write-all` gives every job a token that can push code, publish releases and change settings.",
          fix: "Set `permissions: {}` at the top and grant each job only the scopes it needs (e.g. `contents: read`).",
          anchor: "permissions:write-all",
        }),
      );
    } else if (top && isMap(top.value)) {
      for (const e of mapEntries(wf.doc, top.value)) {
        if (scalarText(e.value)?.trim().toLowerCase() !== "write") continue;
        out.push(
          finding({
            ruleId: "actions/excessive-permissions",
            at: at(wf, e.keyNode),
            message: `\`${e.key}: write\` at workflow level is granted to every job, including ones that never need it.`,
            fix: `Move \`${e.key}: write\` to the job that needs it and keep the workflow default read-only.`,
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
            severity: privileged.includes("pull_request_target") ? "high" : undefined,
            message: `Job \`${job.id}\` runs on \`${privileged[0]}\` with the repository's default token, which may be able to write: no \`permissions:\` block limits it.`,
            fix: "Add a minimal `permissions:` block (e.g. `permissions: { contents: read }`) to the workflow or this job.",
            anchor: `${jobAnchor(job)}/permissions:missing`,
          }),
        );
      }
    }
    return out;
  },
);
