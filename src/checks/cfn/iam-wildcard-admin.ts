import {
  isAdministratorAccessArn,
  itemsOf,
  knownString,
  policyStatements,
  wildcardAdminIssues,
} from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import { policyFindings } from "./policies.js";

/**
 * Full administrator rights: a statement allowing every action on every
 * resource, or the AWS managed `AdministratorAccess` policy attached to a
 * role, user, group or SAM function.
 */

const RULE = "cfn/iam-wildcard-admin";
const WITH_MANAGED = new Set(["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]);
const SAM = new Set(["AWS::Serverless::Function", "AWS::Serverless::StateMachine"]);

export const iamWildcardAdmin = defineCheck({
  kind: "snapshot",
  name: "cfn/iam-wildcard-admin",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out = policyFindings(
      template,
      RULE,
      "identity",
      (s) => wildcardAdminIssues(policyStatements(s.doc, s.path)),
      (s, issue) =>
        `The ${s.label} of ${resourceLabel(s.resource)}: ${issue.detail}, which is full administrator access to the account.`,
    );
    for (const resource of template.resources) {
      const key = WITH_MANAGED.has(resource.type)
        ? "ManagedPolicyArns"
        : SAM.has(resource.type)
          ? "Policies"
          : undefined;
      if (!key) continue;
      for (const item of itemsOf(resource.properties[key], [key])) {
        const text = knownString(item.value);
        const admin =
          isAdministratorAccessArn(item.value) || (key === "Policies" && text === "AdministratorAccess");
        if (!admin) continue;
        out.push(
          atProperty({
            ruleId: RULE,
            template,
            resource,
            path: item.path,
            anchor: `${key}|AdministratorAccess`,
            message: `${resourceLabel(resource)} attaches the AWS managed \`AdministratorAccess\` policy: full access to every service and resource of the account.`,
          }),
        );
      }
    }
    return out;
  }),
});
