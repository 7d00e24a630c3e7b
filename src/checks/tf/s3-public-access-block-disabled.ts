import { defineCheck } from "../define.js";
import { isFalse } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** A bucket's or the account's public access block with a protection turned off (`= false`). */
export const awsS3PublicAccessBlockDisabled = defineCheck({
  kind: "review",
  name: "tf/aws-s3-public-access-block-disabled",
  families: ["tf"],
  rules: ["tf/aws-s3-public-access-block-disabled"],
  run: onModules((mod) =>
    mod
      .resourcesOf("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block")
      .flatMap((r) => {
        const bucket = mod.referenced(r.expr("bucket"), "aws_s3_bucket", "bucket");
        const whose = bucket ? ` (bucket ${bucket.address})` : "";
        return FLAGS.flatMap((flag) => {
          const a = r.attr(flag);
          if (!a || !isFalse(a)) return [];
          return [
            tfFinding(
              "tf/aws-s3-public-access-block-disabled",
              a.loc,
              `${r.address}:${flag}`,
              `${r.address}${whose} turns off ${flag}: public ${flag.includes("acl") ? "ACLs" : "bucket policies"} are no longer blocked.`,
            ),
          ];
        });
      }),
  ),
});
