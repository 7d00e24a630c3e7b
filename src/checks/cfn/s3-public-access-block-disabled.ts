import type { RawFinding } from "../../review/types.js";
import { isCloudObject, knownBoolean } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";

/**
 * S3 Block Public Access is the guard that keeps a later ACL or policy from
 * making a bucket public. New buckets have all four settings on; a template
 * that writes one of them as `false` switches that guard off.
 */

const RULE = "cfn/s3-public-access-block-disabled";
const FLAGS = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] as const;
const TYPES = new Set(["AWS::S3::Bucket", "AWS::S3::AccessPoint"]);

export const s3PublicAccessBlockDisabled = defineCheck({
  kind: "snapshot",
  name: "cfn/s3-public-access-block-disabled",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      if (!TYPES.has(resource.type)) continue;
      const block = resource.properties.PublicAccessBlockConfiguration;
      if (!isCloudObject(block)) continue;
      for (const flag of FLAGS) {
        if (knownBoolean(block[flag]) !== false) continue;
        out.push(
          atProperty({
            ruleId: RULE,
            template,
            resource,
            path: ["PublicAccessBlockConfiguration", flag],
            anchor: `PublicAccessBlockConfiguration.${flag}`,
            message: `${resourceLabel(resource)} sets \`${flag}: false\`, switching off one of the four S3 Block Public Access guards, so an ACL or policy can make its data public.`,
          }),
        );
      }
    }
    return out;
  }),
});
