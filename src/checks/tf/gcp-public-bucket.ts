import type { RawFinding } from "../../review/types.js";
import { type CloudValue, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import type { Attr, TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Cloud Storage buckets opened to `allUsers` (anyone on the internet) or
 * `allAuthenticatedUsers` (anyone with a Google account): IAM members and
 * bindings, legacy ACLs (`role_entity`) and access controls.
 */

const RULE = "tf/gcp-public-bucket";
const PUBLIC = /^(allUsers|allAuthenticatedUsers)$/;

export const gcpPublicBucket = defineCheck({
  kind: "review",
  name: "tf/gcp-public-bucket",
  families: ["tf"],
  rules: [RULE],
  run: onModules((mod) => [
    ...mod.resourcesOf("google_storage_bucket_iam_member").flatMap((r) => members(r, r.attr("member"))),
    ...mod.resourcesOf("google_storage_bucket_iam_binding").flatMap((r) => members(r, r.attr("members"))),
    ...mod.resourcesOf("google_storage_bucket_access_control").flatMap((r) => members(r, r.attr("entity"))),
    ...mod
      .resourcesOf("google_storage_default_object_access_control")
      .flatMap((r) => members(r, r.attr("entity"))),
    ...mod.resourcesOf("google_storage_bucket_acl").flatMap((r) => members(r, r.attr("role_entity"), true)),
  ]),
});

function members(r: TfResource, a: Attr | undefined, roleEntity = false): RawFinding[] {
  if (!a) return [];
  const items: CloudValue[] = Array.isArray(a.value) ? a.value : [a.value];
  const out: RawFinding[] = [];
  items.forEach((item, i) => {
    const text = knownString(item)?.trim();
    const who = roleEntity ? text?.split(":").pop() : text;
    if (!who || !PUBLIC.test(who)) return;
    const role = knownString(r.attr("role")?.value) ?? (roleEntity ? text?.split(":")[0] : undefined);
    const loc = r.mod.evaluator.locate(a.value, Array.isArray(a.value) ? [i] : [], a.loc);
    const anyone = who === "allUsers" ? "anyone on the internet" : "anyone with a Google account";
    out.push(
      tfFinding(
        RULE,
        loc,
        `${r.address}:${who}:${role ?? ""}`,
        `${r.address} grants ${role ? `\`${role}\`` : "access"} to \`${who}\`: ${anyone} can use the bucket.`,
      ),
    );
  });
  return out;
}
