import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";

/** `ACTIONS_ALLOW_UNSECURE_COMMANDS` turns back on the deprecated `set-env` and `add-path` workflow commands. */
export const insecureCommands = defineCheck({
  kind: "snapshot",
  name: "actions/insecure-commands",
  families: ["actions"],
  rules: ["actions/insecure-commands"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    const scopes = [
      { label: "env", entries: wf.env },
      ...wf.jobs.flatMap((job) => [
        { label: `${jobAnchor(job)}/env`, entries: job.env },
        ...job.steps.map((step) => ({ label: `${jobAnchor(job, step)}/env`, entries: step.env })),
      ]),
    ];
    for (const scope of scopes) {
      for (const e of scope.entries) {
        if (e.key !== "ACTIONS_ALLOW_UNSECURE_COMMANDS") continue;
        const value = scalarText(e.value)?.trim().toLowerCase();
        if (value === undefined || value === "false" || value === "0" || value === "") continue;
        out.push(
          finding({
            ruleId: "actions/insecure-commands",
            at: at(wf, e.keyNode),
            message:
              "`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables `::set-env` and `::add-path`: any text a step prints (a PR title, a test log) can then set environment variables and run code.",
            fix: "Remove it and write to $GITHUB_ENV / $GITHUB_PATH files instead of workflow commands.",
            anchor: `${scope.label}/ACTIONS_ALLOW_UNSECURE_COMMANDS`,
          }),
        );
      }
    }
    return out;
  }),
});
