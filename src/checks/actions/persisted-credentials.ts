import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { at, finding, workflowCheck } from "./common.js";
import { actionName, jobAnchor, withValue } from "./model.js";
import { hasPrivilegedTrigger } from "./triggers.js";

/**
 * `actions/checkout` writes the job's token into `.git/config` unless told
 * not to. Any later step (a build script from the PR, an uploaded artifact
 * of the workspace) can then read it.
 */
export const persistedCredentials = workflowCheck(
  "actions/persisted-credentials",
  ["actions/persisted-credentials"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    const privileged = hasPrivilegedTrigger(wf);
    for (const job of wf.jobs) {
      const uploads = job.steps.some((s) => {
        const uses = scalarText(s.uses);
        return uses !== undefined && actionName(uses) === "actions/upload-artifact";
      });
      if (!uploads && !privileged) continue;
      for (const step of job.steps) {
        const uses = scalarText(step.uses);
        if (!uses || actionName(uses) !== "actions/checkout") continue;
        const persist = withValue(step, "persist-credentials").text?.trim().toLowerCase();
        if (persist === "false") continue;
        const why = uploads
          ? "an artifact uploaded by this job can carry it"
          : "later steps of this privileged workflow can read it";
        out.push(
          finding({
            ruleId: "actions/persisted-credentials",
            at: at(wf, step.uses),
            message: `\`${uses}\` leaves the job's token in .git/config, and ${why}.`,
            fix: "Add `with: { persist-credentials: false }` to the checkout step.",
            anchor: `${jobAnchor(job, step)}/persist-credentials`,
          }),
        );
      }
    }
    return out;
  },
);
