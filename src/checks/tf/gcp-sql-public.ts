import type { RawFinding } from "../../review/types.js";
import { isOpenCidr } from "../cloud/network.js";
import { type CloudValue, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import { isFalse, stringOf, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Cloud SQL instances reachable from the whole internet (an authorized network
 * of `0.0.0.0/0` on a public IP) or accepting unencrypted connections
 * (`require_ssl = false`, `ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`).
 * Only values written in the configuration are reported.
 */

const RULE = "tf/gcp-sql-public";

export const gcpSqlPublic = defineCheck({
  kind: "review",
  name: "tf/gcp-sql-public",
  families: ["tf"],
  rules: [RULE],
  run: onModules((mod) => mod.resourcesOf("google_sql_database_instance").flatMap(instance)),
});

function instance(r: TfResource): RawFinding[] {
  const out: RawFinding[] = [];
  for (const settings of r.blocks("settings")) {
    for (const ip of settings.blocks("ip_configuration")) {
      if (isFalse(ip.attr("ipv4_enabled"))) continue;
      for (const network of ip.blocks("authorized_networks")) {
        const a = network.attr("value");
        if (!a || !isOpenCidr(a.value as CloudValue)) continue;
        out.push(
          tfFinding(
            RULE,
            a.loc,
            `${r.address}:authorized_networks:${knownString(a.value)?.trim()}`,
            `${r.address} authorizes ${knownString(a.value)?.trim()} on its public IP: the database accepts connections from the whole internet.`,
          ),
        );
      }
      const ssl = ip.attr("require_ssl");
      const mode = ip.attr("ssl_mode");
      if (ssl && isFalse(ssl))
        out.push(
          tfFinding(
            RULE,
            ssl.loc,
            `${r.address}:ssl`,
            `${r.address} sets \`require_ssl = false\`: clients may connect without TLS.`,
          ),
        );
      else if (mode && stringOf(mode) === "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
        out.push(
          tfFinding(
            RULE,
            mode.loc,
            `${r.address}:ssl`,
            `${r.address} sets \`ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"\`: clients may connect without TLS.`,
          ),
        );
    }
  }
  return out;
}
