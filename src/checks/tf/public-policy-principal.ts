import type { RawFinding } from "../../review/types.js";
import { resourcePolicyIssues } from "../cloud/principals.js";
import { defineCheck } from "../define.js";
import { stringOf, type TfModule } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";
import { issueFindings, policiesOf, RESOURCE_POLICIES } from "./policy-sources.js";

/**
 * Resource policies (bucket, topic, queue, key, registry, secret, vault,
 * search domain) that allow `Principal: "*"` with no condition on the caller,
 * and Lambda permissions granted to `*` without a source.
 */
export const awsPublicPolicyPrincipal = defineCheck({
  kind: "review",
  name: "tf/aws-public-policy-principal",
  families: ["tf"],
  rules: ["tf/aws-public-policy-principal"],
  run: onModules((mod) => [
    ...policiesOf(mod, RESOURCE_POLICIES).flatMap((found) =>
      issueFindings(
        mod,
        "tf/aws-public-policy-principal",
        found,
        resourcePolicyIssues(found.policy.doc),
        (i) => `${found.resource.address} is public: ${i.detail}.`,
      ),
    ),
    ...lambdaPermissions(mod),
  ]),
});

function lambdaPermissions(mod: TfModule): RawFinding[] {
  return mod.resourcesOf("aws_lambda_permission").flatMap((r) => {
    const principal = r.attr("principal");
    if (stringOf(principal)?.trim() !== "*") return [];
    // A source ARN or account confines who may invoke; unknown ones count as confining.
    if (r.attr("source_arn") || r.attr("source_account") || r.attr("principal_org_id")) return [];
    return [
      tfFinding(
        "tf/aws-public-policy-principal",
        principal!.loc,
        `${r.address}:principal:*`,
        `${r.address} lets anyone invoke the function (principal "*" with no source_arn, source_account or principal_org_id).`,
      ),
    ];
  });
}
