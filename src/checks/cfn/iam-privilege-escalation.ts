import { policyStatements, privilegeEscalationIssues } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { onTemplate, resourceLabel } from "./findings.js";
import { policyFindings } from "./policies.js";

/**
 * IAM actions that let whoever holds the policy raise its own rights
 * (`iam:PassRole` on any role, `iam:Put*Policy`, `iam:CreatePolicyVersion`,
 * `iam:CreateAccessKey` for any user, `iam:UpdateAssumeRolePolicy`, …).
 */

const RULE = "cfn/iam-privilege-escalation";

export const iamPrivilegeEscalation = defineCheck({
  kind: "snapshot",
  name: "cfn/iam-privilege-escalation",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) =>
    policyFindings(
      template,
      RULE,
      "identity",
      (s) => privilegeEscalationIssues(policyStatements(s.doc, s.path)),
      (s, issue) =>
        `The ${s.label} of ${resourceLabel(s.resource)}: ${issue.detail}; with these, its holder can grant itself any permission.`,
    ),
  ),
});
