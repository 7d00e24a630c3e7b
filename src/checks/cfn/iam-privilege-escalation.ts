import type { RawFinding } from "../../review/types.js";
import { policyStatements, privilegeEscalationIssues } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import { policySites, statementAnchor } from "./policies.js";

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
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const s of policySites(template)) {
      if (s.kind !== "identity") continue;
      for (const issue of privilegeEscalationIssues(policyStatements(s.doc, s.path))) {
        out.push(
          atProperty({
            ruleId: RULE,
            template,
            resource: s.resource,
            path: issue.path,
            anchor: `${s.anchor}|${statementAnchor(issue.statement)}`,
            message: `The ${s.label} of ${resourceLabel(s.resource)}: ${issue.detail}; with these, its holder can grant itself any permission.`,
          }),
        );
      }
    }
    return out;
  }),
});
