import type { RawFinding } from "../../review/types.js";
import { knownString } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";

/**
 * A canned ACL that grants everyone (or every AWS account holder) access to a
 * bucket's objects. `AuthenticatedRead` sounds private but means any AWS
 * account in the world.
 */

const RULE = "cfn/s3-public-acl";

const PUBLIC_ACLS: ReadonlyMap<string, string> = new Map([
  ["publicread", "lets anyone on the internet list and read its objects"],
  ["publicreadwrite", "lets anyone on the internet read, write and delete its objects"],
  ["authenticatedread", "lets every AWS account in the world read its objects"],
]);

export const s3PublicAcl = defineCheck({
  kind: "snapshot",
  name: "cfn/s3-public-acl",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      if (resource.type !== "AWS::S3::Bucket") continue;
      const acl = knownString(resource.properties.AccessControl);
      const effect = acl ? PUBLIC_ACLS.get(acl.toLowerCase()) : undefined;
      if (!acl || !effect) continue;
      out.push(
        atProperty({
          ruleId: RULE,
          template,
          resource,
          path: ["AccessControl"],
          anchor: "AccessControl",
          message: `${resourceLabel(resource)} has \`AccessControl: ${acl}\`, which ${effect}.`,
        }),
      );
    }
    return out;
  }),
});
