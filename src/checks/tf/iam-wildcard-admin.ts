import type { RawFinding } from "../../review/types.js";
import { isAdministratorAccessArn, wildcardAdminIssues } from "../cloud/iam.js";
import { defineCheck } from "../define.js";
import type { TfModule } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";
import {
  IDENTITY_POLICIES,
  inlineRolePolicies,
  issueFindings,
  policiesOf,
  statementsOf,
} from "./policy-sources.js";

const ATTACHMENTS = [
  "aws_iam_role_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
  "aws_iam_policy_attachment",
];

/** Identity policies that allow every action on every resource, and the AdministratorAccess policy attached. */
export const awsIamWildcardAdmin = defineCheck({
  kind: "review",
  name: "tf/aws-iam-wildcard-admin",
  families: ["tf"],
  rules: ["tf/aws-iam-wildcard-admin"],
  run: onModules((mod) => [...policies(mod), ...attachments(mod)]),
});

function policies(mod: TfModule): RawFinding[] {
  return [...policiesOf(mod, IDENTITY_POLICIES), ...inlineRolePolicies(mod)].flatMap((found) =>
    issueFindings(
      mod,
      "tf/aws-iam-wildcard-admin",
      found,
      wildcardAdminIssues(statementsOf(found.policy.doc)),
      (i) => `${found.resource.address} grants full administrator rights: ${i.detail}.`,
    ),
  );
}

function attachments(mod: TfModule): RawFinding[] {
  const out: RawFinding[] = [];
  for (const r of mod.resourcesOf(...ATTACHMENTS)) {
    const arn = r.attr("policy_arn");
    if (arn && isAdministratorAccessArn(arn.value)) {
      out.push(
        tfFinding(
          "tf/aws-iam-wildcard-admin",
          arn.loc,
          `${r.address}:policy_arn:AdministratorAccess`,
          `${r.address} attaches the AWS managed AdministratorAccess policy.`,
        ),
      );
    }
  }
  for (const r of mod.resourcesOf("aws_iam_role")) {
    const arns = r.attr("managed_policy_arns");
    if (!arns || !Array.isArray(arns.value)) continue;
    arns.value.forEach((v, i) => {
      if (isAdministratorAccessArn(v))
        out.push(
          tfFinding(
            "tf/aws-iam-wildcard-admin",
            mod.evaluator.locate(arns.value, [i], arns.loc),
            `${r.address}:managed_policy_arns:AdministratorAccess`,
            `${r.address} attaches the AWS managed AdministratorAccess policy.`,
          ),
        );
    });
  }
  return out;
}
