import { isOpenCidr } from "../cloud/network.js";
import { defineCheck } from "../define.js";
import { isFalse } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * EKS clusters whose API endpoint is public to the whole internet: the public
 * endpoint on (the default) with `public_access_cidrs` left at its default
 * `0.0.0.0/0` or set to it. Reported on the CIDR, or on `vpc_config` when the
 * CIDRs are left out.
 */
export const awsEksPublicEndpoint = defineCheck({
  kind: "review",
  name: "tf/aws-eks-public-endpoint",
  families: ["tf"],
  rules: ["tf/aws-eks-public-endpoint"],
  run: onModules((mod) =>
    mod.resourcesOf("aws_eks_cluster").flatMap((r) =>
      r.blocks("vpc_config").flatMap((vpc) => {
        if (isFalse(vpc.attr("endpoint_public_access"))) return [];
        const cidrs = vpc.attr("public_access_cidrs");
        if (!cidrs) {
          return [
            tfFinding(
              "tf/aws-eks-public-endpoint",
              { path: vpc.path, line: vpc.line },
              `${r.address}:public_access_cidrs:default`,
              `${r.address} has a public API endpoint open to 0.0.0.0/0 (public_access_cidrs is not set).`,
            ),
          ];
        }
        const items = Array.isArray(cidrs.value) ? cidrs.value : [];
        return items.flatMap((v, i) =>
          isOpenCidr(v)
            ? [
                tfFinding(
                  "tf/aws-eks-public-endpoint",
                  mod.evaluator.locate(cidrs.value, [i], cidrs.loc),
                  `${r.address}:public_access_cidrs:${String(v)}`,
                  `${r.address} has a public API endpoint open to ${String(v)}.`,
                ),
              ]
            : [],
        );
      }),
    ),
  ),
});
