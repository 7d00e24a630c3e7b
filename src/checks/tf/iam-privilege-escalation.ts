import { privilegeEscalationIssues } from "../cloud/iam.js";
import { defineCheck } from "../define.js";
import { onModules } from "./module-check.js";
import {
  IDENTITY_POLICIES,
  inlineRolePolicies,
  issueFindings,
  policiesOf,
  statementsOf,
} from "./policy-sources.js";

/** Identity policies that let a principal raise its own rights (iam:PassRole on *, iam:Put*Policy, CreateAccessKey…). */
export const awsIamPrivilegeEscalation = defineCheck({
  kind: "review",
  name: "tf/aws-iam-privilege-escalation",
  families: ["tf"],
  rules: ["tf/aws-iam-privilege-escalation"],
  run: onModules((mod) =>
    [...policiesOf(mod, IDENTITY_POLICIES), ...inlineRolePolicies(mod)].flatMap((found) =>
      issueFindings(
        mod,
        "tf/aws-iam-privilege-escalation",
        found,
        privilegeEscalationIssues(statementsOf(found.policy.doc)),
        (i) => `${found.resource.address} allows privilege escalation: ${i.detail}.`,
      ),
    ),
  ),
});
