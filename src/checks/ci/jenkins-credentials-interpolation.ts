import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ciFinding } from "./common.js";
import { jenkinsModelOf } from "./model.js";

/**
 * `withCredentials([string(credentialsId: 'x', variable: 'TOKEN')]) { sh "curl -H 'Authorization: $TOKEN' …" }`:
 * Groovy puts the secret into the command line, where the process list, the
 * shell's tracing and any echo of the command expose it, and Jenkins' log
 * masking no longer recognises it reliably. Jenkins itself warns "A secret
 * was passed to sh using Groovy String interpolation, which is insecure".
 * Variables from `environment { X = credentials('id') }` (and their `_USR`
 * and `_PSW` parts) are secrets the same way.
 */
const RULE = "ci/jenkins-credentials-interpolation";

export const jenkinsCredentialsInterpolation = defineCheck({
  kind: "snapshot",
  name: "ci/jenkins-credentials-interpolation",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const model = jenkinsModelOf(file);
    if (!model) return [];
    const out: RawFinding[] = [];
    for (const step of model.steps) {
      if (!step.literal.interpolates || step.secrets.size === 0) continue;
      for (const i of step.literal.interpolations) {
        const name = /^(?:env\s*\.\s*)?([A-Za-z_]\w*)/.exec(i.expression)?.[1];
        if (!name || !step.secrets.has(name)) continue;
        out.push(
          ciFinding({
            ruleId: RULE,
            at: model.position(i.start),
            message: `The secret \`${name}\` is interpolated by Groovy into the \`${step.step}\` script (${step.scope}): it ends up in the command line and the agent's process list, outside Jenkins' masking (Jenkins warns: "A secret was passed to ${step.step} using Groovy String interpolation").`,
            fix: `Use a single-quoted string so the shell reads it from the environment: \`${step.step} 'curl -u "$${name}" …'\`.`,
            anchor: `jenkins/${step.scope}/${step.step}/secret:${name}|${step.text}`,
          }),
        );
      }
    }
    return out;
  },
});
