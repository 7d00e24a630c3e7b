import type { RawFinding } from "../../review/types.js";
import { type CloudObject, isCloudObject, itemsOf, knownBoolean, knownString } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";

/**
 * Data stores left unencrypted at rest: written as `false`, or (on types whose
 * default is unencrypted) left out. A missing property is reported at the
 * logical id and shares the anchor of the explicit `false`, so deleting
 * `StorageEncrypted: false` is not a new finding and an untouched resource
 * never gets one.
 */

const RULE = "cfn/storage-unencrypted";

interface Store {
  property: string;
  what: string;
  /** Whether leaving the property out means unencrypted, given the resource's other properties. */
  missingIsUnencrypted?: (p: CloudObject) => boolean;
}

/** A copy (snapshot, replica, cluster member) takes its encryption from its source. */
const inheritsFrom =
  (...keys: string[]) =>
  (p: CloudObject) =>
    keys.every((k) => p[k] === undefined);

const STORES: ReadonlyMap<string, Store> = new Map<string, Store>([
  [
    "AWS::RDS::DBInstance",
    {
      property: "StorageEncrypted",
      what: "database storage",
      missingIsUnencrypted: (p: CloudObject) =>
        inheritsFrom(
          "DBClusterIdentifier",
          "SourceDBInstanceIdentifier",
          "DBSnapshotIdentifier",
          "SourceDBClusterIdentifier",
        )(p) &&
        !/^aurora/i.test(knownString(p.Engine) ?? "") &&
        p.KmsKeyId === undefined,
    },
  ],
  [
    "AWS::RDS::DBCluster",
    {
      property: "StorageEncrypted",
      what: "cluster storage",
      missingIsUnencrypted: (p: CloudObject) =>
        inheritsFrom("SnapshotIdentifier", "SourceDBClusterIdentifier", "ReplicationSourceIdentifier")(p) &&
        knownString(p.EngineMode)?.toLowerCase() !== "serverless" &&
        p.KmsKeyId === undefined,
    },
  ],
  [
    "AWS::DocDB::DBCluster",
    {
      property: "StorageEncrypted",
      what: "cluster storage",
      missingIsUnencrypted: inheritsFrom("SnapshotIdentifier", "KmsKeyId"),
    },
  ],
  [
    "AWS::Neptune::DBCluster",
    {
      property: "StorageEncrypted",
      what: "cluster storage",
      missingIsUnencrypted: inheritsFrom("SnapshotIdentifier", "KmsKeyId"),
    },
  ],
  [
    "AWS::EC2::Volume",
    { property: "Encrypted", what: "volume", missingIsUnencrypted: inheritsFrom("SnapshotId", "KmsKeyId") },
  ],
  [
    "AWS::EFS::FileSystem",
    { property: "Encrypted", what: "file system", missingIsUnencrypted: inheritsFrom("KmsKeyId") },
  ],
  [
    "AWS::Redshift::Cluster",
    {
      property: "Encrypted",
      what: "cluster",
      missingIsUnencrypted: inheritsFrom("SnapshotIdentifier", "KmsKeyId"),
    },
  ],
  [
    "AWS::ElastiCache::ReplicationGroup",
    {
      property: "AtRestEncryptionEnabled",
      what: "cache",
      missingIsUnencrypted: inheritsFrom("SnapshotName", "KmsKeyId"),
    },
  ],
  ["AWS::SQS::Queue", { property: "SqsManagedSseEnabled", what: "queue" }],
]);

export const storageUnencrypted = defineCheck({
  kind: "snapshot",
  name: "cfn/storage-unencrypted",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      const store = STORES.get(resource.type);
      if (store) out.push(...storeFindings(template, resource, store));
      if (resource.type === "AWS::EC2::LaunchTemplate")
        out.push(...launchTemplateVolumes(template, resource));
    }
    return out;
  }),
});

function storeFindings(template: CfnTemplate, resource: CfnResource, store: Store): RawFinding[] {
  const p = resource.properties;
  const value = p[store.property];
  // SQS encrypts with SSE-SQS unless told not to; a customer key is encryption too.
  if (resource.type === "AWS::SQS::Queue" && p.KmsMasterKeyId !== undefined) return [];
  if (value === undefined) {
    if (!store.missingIsUnencrypted?.(p)) return [];
    return [
      atProperty({
        ruleId: RULE,
        template,
        resource,
        path: undefined,
        anchor: store.property,
        message: `${resourceLabel(resource)} has no \`${store.property}: true\`, so its ${store.what} is not encrypted at rest (encryption cannot be turned on later without recreating it).`,
      }),
    ];
  }
  if (knownBoolean(value) !== false) return [];
  return [
    atProperty({
      ruleId: RULE,
      template,
      resource,
      path: [store.property],
      anchor: store.property,
      message: `${resourceLabel(resource)} sets \`${store.property}: false\`: its ${store.what} is not encrypted at rest.`,
    }),
  ];
}

function launchTemplateVolumes(template: CfnTemplate, resource: CfnResource): RawFinding[] {
  const data = resource.properties.LaunchTemplateData;
  if (!isCloudObject(data)) return [];
  const out: RawFinding[] = [];
  for (const item of itemsOf(data.BlockDeviceMappings, ["LaunchTemplateData", "BlockDeviceMappings"])) {
    if (!isCloudObject(item.value) || !isCloudObject(item.value.Ebs)) continue;
    if (knownBoolean(item.value.Ebs.Encrypted) !== false) continue;
    const device = knownString(item.value.DeviceName) ?? String(item.path[2]);
    out.push(
      atProperty({
        ruleId: RULE,
        template,
        resource,
        path: [...item.path, "Ebs", "Encrypted"],
        anchor: `BlockDeviceMappings[${device}].Ebs.Encrypted`,
        message: `${resourceLabel(resource)} sets \`Encrypted: false\` on the EBS volume ${device}: instances launched from it write unencrypted disks.`,
      }),
    );
  }
  return out;
}
