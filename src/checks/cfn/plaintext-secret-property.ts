import type { RawFinding } from "../../review/types.js";
import {
  type CloudValue,
  isCloudObject,
  knownString,
  literalSecret,
  type ValuePath,
} from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";

/**
 * A password, token or key written into a resource property: it is stored in
 * the repository, in the template CloudFormation keeps, and shown by
 * `describe-stacks` and the console. Secret-looking names are decided by the
 * secrets family's shared detector; values are never shown, only redacted.
 */

const RULE = "cfn/plaintext-secret-property";

/** Property names that hold secrets in CloudFormation but are not named like one. */
const SECRET_PROPERTIES = /^(SecretString|SecretBinary)$/;

/** Documents that hold no secrets and are large: not walked. */
const NOT_WALKED = /^(PolicyDocument|AssumeRolePolicyDocument|KeyPolicy|Policies|Tags)$/;

/** Walking stops here: a template's properties are not deeper than this. */
const MAX_DEPTH = 12;

export const plaintextSecretProperty = defineCheck({
  kind: "snapshot",
  name: "cfn/plaintext-secret-property",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      walk(resource.properties, [], [], 0, (name, value, path, anchor) => {
        const secret = literalSecret(SECRET_PROPERTIES.test(name) ? "password" : name, value);
        if (secret)
          out.push(
            finding(
              template,
              resource,
              name,
              path,
              anchor,
              secret.evidence.replace(/^[^=]*=/, `${name}=`),
              secret.digest,
            ),
          );
      });
    }
    return out;
  }),
});

type Visit = (name: string, value: CloudValue, path: ValuePath, anchor: string[]) => void;

/**
 * Visits every named value: object keys, and `{Name, Value}` pairs (ECS and
 * CodeBuild environment variables) by their `Name`. CodeBuild variables of
 * type `PARAMETER_STORE` or `SECRETS_MANAGER` hold a reference, not a secret.
 */
function walk(value: CloudValue, path: ValuePath, anchor: string[], depth: number, visit: Visit): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((item: CloudValue, i: number) => {
      const name = isCloudObject(item) ? (knownString(item.Name) ?? knownString(item.Key)) : undefined;
      walk(item, [...path, i], [...anchor, `[${name ?? i}]`], depth + 1, visit);
    });
    return;
  }
  if (!isCloudObject(value)) return;
  const pairName = knownString(value.Name);
  if (pairName !== undefined && value.Value !== undefined) {
    const type = knownString(value.Type)?.toUpperCase();
    if (type === undefined || type === "PLAINTEXT")
      visit(pairName, value.Value, [...path, "Value"], [...anchor, "Value"]);
  }
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || NOT_WALKED.test(key)) continue;
    if (typeof child === "string" || typeof child === "number")
      visit(key, child, [...path, key], [...anchor, key]);
    else walk(child, [...path, key], [...anchor, key], depth + 1, visit);
  }
}

function finding(
  template: CfnTemplate,
  resource: CfnResource,
  name: string,
  path: ValuePath,
  anchor: string[],
  evidence: string,
  digest: string,
): RawFinding {
  return atProperty({
    ruleId: RULE,
    template,
    resource,
    path,
    anchor: `${anchor.join(".").replace(/\.\[/g, "[")}|${digest}`,
    evidence,
    message: `${resourceLabel(resource)}: \`${name}\` is written in the template as a literal secret, readable in the repository and in the stack's template and events; reference it with \`{{resolve:secretsmanager:…}}\` or a \`NoEcho\` parameter, and rotate it.`,
  });
}
