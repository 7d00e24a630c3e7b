import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { tlsVerificationDisabled } from "../shell/index.js";
import { clip, finding, onModel, scriptReadings, TOOL_NAMES } from "./common.js";
import { isFalse, isTrue, leafName, type Setting } from "./model.js";

/**
 * Certificate verification off lets a machine on the network path answer in
 * the real server's place: the Chef server, a package repository, a file a
 * Salt state downloads, a vSphere endpoint Packer hands credentials to.
 */
const RULE = "config-mgmt/tls-verification-disabled";

/** Settings whose value `true` turns verification off. */
const ON_DISABLES =
  /^(?:skip_verify|insecure_skip_tls_verify|tls_skip_verify|skip_tls_verify|insecure_connection|winrm_insecure|box_download_insecure|allow_insecure|insecure|ssl_skip_verify|no_check_certificate)$/i;
/** Settings whose value `false` turns it off. */
const OFF_DISABLES =
  /^(?:verify_api_cert|ssl_verify|sslverify|verify_ssl|ssl_verify_peer|validate_certs|verify_certs|tls_verify|ssl_verification|check_certificate)$/i;

function disables(s: Setting): string | undefined {
  if (s.dynamic) return undefined;
  const name = leafName(s.name);
  if (/^ssl_verify_mode$/i.test(name) && /^:?verify_none$/i.test(s.value?.trim() ?? ""))
    return `${name} ${s.value}`;
  if (ON_DISABLES.test(name) && isTrue(s)) return `${name} ${s.value}`;
  if (OFF_DISABLES.test(name) && isFalse(s)) return `${name} ${s.value}`;
  return undefined;
}

export const tlsVerificationDisabledCheck = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/tls-verification-disabled",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    const tool = TOOL_NAMES[model.tool];
    for (const s of model.settings) {
      const what = disables(s);
      if (!what) continue;
      out.push(
        finding({
          ruleId: RULE,
          at: s,
          message: `${tool} \`${clip(s.resource, 80)}\` sets \`${clip(what, 80)}\`: certificates are not verified, so anyone on the network path can answer in the server's place.`,
          anchor: `${s.resource}/${s.name}`,
        }),
      );
    }
    for (const { script, reading } of scriptReadings(model)) {
      for (const c of tlsVerificationDisabled(reading)) {
        out.push(
          finding({
            ruleId: RULE,
            at: c,
            message: `${tool} \`${clip(script.resource, 80)}\` runs \`${clip(c.invocation.site.text, 100)}\`, which turns certificate verification off (\`${clip(c.reason, 60)}\`).`,
            anchor: `${script.resource}/${script.property}/tls:${c.reason}`,
          }),
        );
      }
    }
    return out;
  }),
});
