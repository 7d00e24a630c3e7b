import type { RawFinding } from "../../review/types.js";
import { isAnyPrincipal, knownString, resourcePolicyIssues } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";
import { policyFindings } from "./policies.js";

/**
 * A resource policy (bucket, topic, queue, key, registry, secret, domain,
 * file system) or a Lambda permission that lets anyone in, with no condition
 * tying the caller to an account, an organisation, a source ARN or a network.
 */

const RULE = "cfn/public-policy-principal";

export const publicPolicyPrincipal = defineCheck({
  kind: "snapshot",
  name: "cfn/public-policy-principal",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out = policyFindings(
      template,
      RULE,
      "resource",
      (s) => resourcePolicyIssues(s.doc, s.path),
      (s, issue) =>
        `The ${s.label} of ${resourceLabel(s.resource)}: ${issue.detail}, so anyone on the internet can use it.`,
    );
    for (const resource of template.resources) {
      if (resource.type === "AWS::Lambda::Permission") out.push(...lambdaPermission(template, resource));
    }
    return out;
  }),
});

/** `Principal: "*"` on a function permission with no `SourceArn`, `SourceAccount` or `PrincipalOrgID`. */
function lambdaPermission(template: CfnTemplate, resource: CfnResource): RawFinding[] {
  const p = resource.properties;
  if (!isAnyPrincipal(p.Principal)) return [];
  if (p.SourceArn !== undefined || p.SourceAccount !== undefined || p.PrincipalOrgID !== undefined) return [];
  if (knownString(p.FunctionUrlAuthType)?.toUpperCase() === "AWS_IAM") return [];
  const action = knownString(p.Action) ?? "lambda:InvokeFunction";
  return [
    atProperty({
      ruleId: RULE,
      template,
      resource,
      path: ["Principal"],
      anchor: "Principal",
      message: `${resourceLabel(resource)} grants \`${action}\` to \`Principal: "*"\` with no \`SourceArn\`, \`SourceAccount\` or \`PrincipalOrgID\`, so anyone can invoke the function.`,
    }),
  ];
}
