import { trustPolicyIssues } from "../cloud/principals.js";
import { defineCheck } from "../define.js";
import { onModules } from "./module-check.js";
import { issueFindings, policiesOf } from "./policy-sources.js";

/** Roles that anyone may assume, or that trust GitHub's OIDC provider for every repository. */
export const awsTrustAnyPrincipal = defineCheck({
  kind: "review",
  name: "tf/aws-trust-any-principal",
  families: ["tf"],
  rules: ["tf/aws-trust-any-principal"],
  run: onModules((mod) =>
    policiesOf(mod, [["aws_iam_role", "assume_role_policy"]]).flatMap((found) =>
      issueFindings(
        mod,
        "tf/aws-trust-any-principal",
        found,
        trustPolicyIssues(found.policy.doc),
        (i) => `${found.resource.address} can be assumed too widely: ${i.detail}.`,
      ),
    ),
  ),
});
