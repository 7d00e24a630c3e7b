import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { DANGEROUS_TRIGGERS } from "./triggers.js";

/**
 * `pull_request_target` and `workflow_run` run with the base repository's
 * secrets and a write token even for a fork's pull request. They are safe
 * only while nothing from the pull request is checked out, run or
 * interpolated, which is easy to break later: a reviewer should see them.
 */
export const dangerousTrigger = defineCheck({
  kind: "snapshot",
  name: "actions/dangerous-trigger",
  families: ["actions"],
  rules: ["actions/dangerous-trigger"],
  run: onWorkflow(({ wf }) =>
    wf.triggers
      .filter((t) => DANGEROUS_TRIGGERS.has(t.name))
      .map((t) =>
        finding({
          ruleId: "actions/dangerous-trigger",
          at: at(wf, t.node),
          message: `\`${t.name}\` runs with the repository's secrets and a write token even for pull requests from forks; nothing from the pull request may be checked out, run or interpolated in it.`,
          anchor: `on/${t.name}`,
        }),
      ),
  ),
});
