import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isFalse, isTrue, stringOf, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Azure Storage exposed or weakly protected: blobs that may be made public
 * (`allow_nested_items_to_be_public = true`, a container with
 * `container_access_type` `blob` or `container`), HTTP allowed
 * (`https_traffic_only_enabled`/`enable_https_traffic_only = false`), or a
 * minimum TLS version below 1.2. Only values written in the configuration are
 * reported.
 */

const RULE = "tf/azure-storage-public";

export const azureStoragePublic = defineCheck({
  kind: "review",
  name: "tf/azure-storage-public",
  families: ["tf"],
  rules: [RULE],
  run: onModules((mod) => [
    ...mod.resourcesOf("azurerm_storage_account").flatMap(account),
    ...mod.resourcesOf("azurerm_storage_container").flatMap(container),
  ]),
});

function account(r: TfResource): RawFinding[] {
  const out: RawFinding[] = [];
  const nested = r.attr("allow_nested_items_to_be_public") ?? r.attr("allow_blob_public_access");
  if (nested && isTrue(nested))
    out.push(
      tfFinding(
        RULE,
        nested.loc,
        `${r.address}:${nested.name}`,
        `${r.address} sets \`${nested.name} = true\`: any container of the account can be made readable by anyone on the internet.`,
      ),
    );
  const https = r.attr("https_traffic_only_enabled") ?? r.attr("enable_https_traffic_only");
  if (https && isFalse(https))
    out.push(
      tfFinding(
        RULE,
        https.loc,
        `${r.address}:https-only`,
        `${r.address} sets \`${https.name} = false\`: the account accepts plain HTTP, so keys and data cross the network unencrypted.`,
      ),
    );
  const tls = r.attr("min_tls_version");
  const version = stringOf(tls);
  if (tls && version && /^TLS1_[01]$/i.test(version))
    out.push(
      tfFinding(
        RULE,
        tls.loc,
        `${r.address}:min_tls_version`,
        `${r.address} accepts ${version.replace("_", ".")}, a TLS version with known weaknesses; require \`TLS1_2\`.`,
      ),
    );
  return out;
}

function container(r: TfResource): RawFinding[] {
  const a = r.attr("container_access_type");
  const type = stringOf(a)?.toLowerCase();
  if (!a || (type !== "blob" && type !== "container")) return [];
  const what =
    type === "container" ? "list and read every blob" : "read every blob whose name they know or guess";
  return [
    tfFinding(
      RULE,
      a.loc,
      `${r.address}:container_access_type`,
      `${r.address} has \`container_access_type = "${type}"\`: anyone on the internet can ${what}.`,
    ),
  ];
}
