import { mapEntries, mapGet, scalarText } from "../../formats/yaml.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";

/** A container or service registry password written in the workflow instead of a secret. */
export const hardcodedContainerCredentials = defineCheck({
  kind: "snapshot",
  name: "actions/hardcoded-container-credentials",
  families: ["actions"],
  rules: ["actions/hardcoded-container-credentials"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      const containers = [
        { label: "container", node: job.container },
        ...job.services.map((s) => ({ label: `services.${s.key}`, node: s.value })),
      ];
      for (const c of containers) {
        const credentials = mapGet(wf.doc, c.node, "credentials");
        const password = mapEntries(wf.doc, credentials).find((e) => e.key === "password");
        const value = scalarText(password?.value);
        if (!password || value === undefined || value.trim() === "") continue;
        // Only an expression (a secret, a variable) keeps the password out of the file.
        if (/^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value)) continue;
        out.push(
          finding({
            ruleId: "actions/hardcoded-container-credentials",
            at: at(wf, password.value),
            message: `The registry password of \`${c.label}\` in job \`${job.id}\` is written in the workflow, readable by anyone who can read the repository.`,
            fix: `Store it as a secret and use \`password: $\{{ secrets.REGISTRY_PASSWORD }}\`; rotate the exposed one.`,
            anchor: `${jobAnchor(job)}/${c.label}/credentials.password`,
            evidence: `password: ${redactSecret(value)}`,
          }),
        );
      }
    }
    return out;
  }),
});
