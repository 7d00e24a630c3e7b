import type { RawFinding } from "../../review/types.js";
import { isSecretName, literalSecret } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { onTemplate } from "./findings.js";
import type { CfnParameter, CfnTemplate } from "./model.js";

/**
 * A parameter that carries a secret must say `NoEcho: true`, or CloudFormation
 * shows its value in the console, `describe-stacks` and the stack's events;
 * and it must have no literal `Default`, which puts the secret in the template.
 * Parameters of an SSM type hold the name of a parameter, not a secret.
 */

const RULE = "cfn/secret-parameter-without-noecho";

export const secretParameterWithoutNoEcho = defineCheck({
  kind: "snapshot",
  name: "cfn/secret-parameter-without-noecho",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const p of template.parameters.values()) {
      if (!isSecretName(p.name) || /^AWS::SSM::/i.test(p.type ?? "")) continue;
      const finding = parameterFinding(template, p);
      if (finding) out.push(finding);
    }
    return out;
  }),
});

function parameterFinding(template: CfnTemplate, p: CfnParameter): RawFinding | undefined {
  const secret = literalSecret(p.name, p.default);
  if (secret) {
    const { line, column } = template.position([...p.path, "Default"]);
    return {
      ruleId: RULE,
      line,
      column,
      anchor: `Parameters.${p.name}|Default`,
      evidence: secret.evidence,
      message: `Parameter \`${p.name}\` has a literal secret as its \`Default\`, stored in the template and used whenever nobody overrides it${p.noEcho ? "" : " (and it is not `NoEcho`)"}; remove the default and pass the value at deploy time or use \`{{resolve:secretsmanager:…}}\`.`,
    };
  }
  if (p.noEcho) return undefined;
  const { line, column } = template.position(p.path);
  return {
    ruleId: RULE,
    line,
    column,
    anchor: `Parameters.${p.name}|NoEcho`,
    message: `Parameter \`${p.name}\` looks like a secret but has no \`NoEcho: true\`, so CloudFormation shows its value in the console, \`describe-stacks\` and the stack's events.`,
  };
}
