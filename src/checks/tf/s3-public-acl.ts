import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isTrue, stringOf, type TfModule, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

const PUBLIC_ACLS: Record<string, string> = {
  "public-read": "anyone can list and read its objects",
  "public-read-write": "anyone can read and write its objects",
  "authenticated-read": "any AWS account can read its objects",
};

const PUBLIC_GROUPS = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

/**
 * S3 buckets made public by a canned ACL or a grant to AllUsers or
 * AuthenticatedUsers, on the bucket (provider v3) or through a separate
 * `aws_s3_bucket_acl` (v4+), joined to its bucket by reference. A public ACL
 * on a bucket whose public access block in the same module ignores public
 * ACLs has no effect and is not reported.
 */
export const awsS3PublicAcl = defineCheck({
  kind: "review",
  name: "tf/aws-s3-public-acl",
  families: ["tf"],
  rules: ["tf/aws-s3-public-acl"],
  run: onModules((mod) => [
    ...mod.resourcesOf("aws_s3_bucket").flatMap((b) => cannedAcl(mod, b, b)),
    ...mod.resourcesOf("aws_s3_bucket_acl").flatMap((r) => {
      const bucket = mod.referenced(r.expr("bucket"), "aws_s3_bucket", "bucket");
      return [...cannedAcl(mod, r, bucket), ...grants(mod, r, bucket)];
    }),
  ]),
});

/** Per module, the buckets whose public access block ignores public ACLs: found once, not once per bucket. */
const ignoring = new WeakMap<TfModule, Set<TfResource>>();

function ignoresPublicAcls(mod: TfModule, bucket: TfResource | undefined): boolean {
  if (!bucket) return false;
  let buckets = ignoring.get(mod);
  if (!buckets) {
    buckets = new Set();
    for (const pab of mod.resourcesOf("aws_s3_bucket_public_access_block")) {
      const target = mod.referenced(pab.expr("bucket"), "aws_s3_bucket", "bucket");
      if (target && isTrue(pab.attr("ignore_public_acls"))) buckets.add(target);
    }
    ignoring.set(mod, buckets);
  }
  return buckets.has(bucket);
}

function which(r: TfResource, bucket: TfResource | undefined): string {
  return bucket && bucket !== r ? `${r.address} (bucket ${bucket.address})` : r.address;
}

function cannedAcl(mod: TfModule, r: TfResource, bucket: TfResource | undefined): RawFinding[] {
  const acl = r.attr("acl");
  const value = stringOf(acl)?.trim();
  if (!acl || value === undefined || !Object.hasOwn(PUBLIC_ACLS, value) || ignoresPublicAcls(mod, bucket))
    return [];
  return [
    tfFinding(
      "tf/aws-s3-public-acl",
      acl.loc,
      `${r.address}:acl:${value}`,
      `${which(r, bucket)} sets the ACL "${value}": ${PUBLIC_ACLS[value]}.`,
    ),
  ];
}

function grants(mod: TfModule, r: TfResource, bucket: TfResource | undefined): RawFinding[] {
  if (ignoresPublicAcls(mod, bucket)) return [];
  const out: RawFinding[] = [];
  for (const policy of r.blocks("access_control_policy")) {
    for (const grant of policy.blocks("grant")) {
      for (const grantee of grant.blocks("grantee")) {
        const uri = grantee.attr("uri");
        const group = PUBLIC_GROUPS.exec(stringOf(uri)?.trim() ?? "")?.[1];
        if (!group || !uri) continue;
        const permission = stringOf(grant.attr("permission")) ?? "access";
        out.push(
          tfFinding(
            "tf/aws-s3-public-acl",
            uri.loc,
            `${r.address}:grant:${group}:${permission}`,
            `${which(r, bucket)} grants ${permission} to ${group === "AllUsers" ? "everyone" : "any AWS account"} (${group}).`,
          ),
        );
      }
    }
  }
  return out;
}
