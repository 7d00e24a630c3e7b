import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { type Attr, isFalse, type TfModule, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Storage written without encryption at rest: an attribute set to `false`
 * (reported on its line), or left out where the provider's default is no
 * encryption (reported on the resource's header). A resource the change did
 * not add or touch has the same finding at base, so it is never reported.
 */

interface Spec {
  type: string;
  /** The attribute that turns encryption on. */
  flag: string;
  /** Absent means unencrypted (the provider's default). */
  missingIsOff: boolean;
  /** An attribute whose presence means encryption is configured another way (a KMS key). */
  alternative?: string;
}

const SPECS: readonly Spec[] = [
  {
    type: "aws_db_instance",
    flag: "storage_encrypted",
    missingIsOff: true,
    alternative: "replicate_source_db",
  },
  {
    type: "aws_rds_cluster",
    flag: "storage_encrypted",
    missingIsOff: true,
    alternative: "replication_source_identifier",
  },
  { type: "aws_ebs_volume", flag: "encrypted", missingIsOff: true, alternative: "snapshot_id" },
  { type: "aws_efs_file_system", flag: "encrypted", missingIsOff: true },
  { type: "aws_elasticache_replication_group", flag: "at_rest_encryption_enabled", missingIsOff: true },
  { type: "aws_redshift_cluster", flag: "encrypted", missingIsOff: false },
  { type: "aws_ebs_encryption_by_default", flag: "enabled", missingIsOff: false },
];

export const awsStorageUnencrypted = defineCheck({
  kind: "review",
  name: "tf/aws-storage-unencrypted",
  families: ["tf"],
  rules: ["tf/aws-storage-unencrypted"],
  run: onModules((mod) => [
    ...SPECS.flatMap((spec) => mod.resourcesOf(spec.type).flatMap((r) => flagged(r, spec))),
    ...queuesAndTopics(mod),
  ]),
});

function flagged(r: TfResource, spec: Spec): RawFinding[] {
  const a = r.attr(spec.flag);
  if (a) return isFalse(a) ? [off(r, a)] : [];
  if (!spec.missingIsOff || (spec.alternative && r.attr(spec.alternative))) return [];
  return [
    tfFinding(
      "tf/aws-storage-unencrypted",
      r.loc,
      `${r.address}:${spec.flag}:missing`,
      `${r.address} is not encrypted at rest: ${spec.flag} is not set and defaults to false.`,
    ),
  ];
}

function off(r: TfResource, a: Attr): RawFinding {
  return tfFinding(
    "tf/aws-storage-unencrypted",
    a.loc,
    `${r.address}:${a.name}:false`,
    `${r.address} turns encryption at rest off (${a.name} = false).`,
  );
}

/** SQS queues with SSE explicitly off; SNS topics have no switch, only a key. */
function queuesAndTopics(mod: TfModule): RawFinding[] {
  return mod.resourcesOf("aws_sqs_queue").flatMap((r) => {
    const a = r.attr("sqs_managed_sse_enabled");
    return a && isFalse(a) && !r.attr("kms_master_key_id") ? [off(r, a)] : [];
  });
}
