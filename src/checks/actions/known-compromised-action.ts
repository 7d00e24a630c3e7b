import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { advisoriesFor } from "./compromised.js";
import { jobAnchor } from "./model.js";
import { usesRefs } from "./uses.js";

/** An action on the list of known-compromised actions and versions. */
export const knownCompromisedAction = defineCheck({
  kind: "snapshot",
  name: "actions/known-compromised-action",
  families: ["actions"],
  rules: ["actions/known-compromised-action"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const u of usesRefs(wf)) {
      if (u.kind !== "remote" || !u.ref) continue;
      for (const a of advisoriesFor(u.action!, u.ref)) {
        const ids = [a.id, ...a.aliases].join(", ");
        out.push(
          finding({
            ruleId: "actions/known-compromised-action",
            at: at(wf, u.node),
            severity: a.severity,
            message: `\`${u.text}\` is affected by ${ids}: ${a.summary}`,
            fix: a.fixed
              ? `Remove it, or pin a reviewed commit SHA of ${a.fixed} or later; rotate any secret a run with it could read.`
              : "Remove it or pin a reviewed commit SHA; rotate any secret a run with it could read.",
            // Ref-specific on purpose: moving from one compromised tag to another is a new finding.
            anchor: `${jobAnchor(u.job, u.step)}/uses:${u.text.trim().toLowerCase()}/${a.id}`,
            evidence: u.text,
          }),
        );
      }
    }
    return out;
  }),
});
