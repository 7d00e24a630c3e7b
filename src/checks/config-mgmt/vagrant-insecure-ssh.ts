import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onModel } from "./common.js";
import { isFalse } from "./model.js";

/**
 * `config.ssh.insert_key = false` keeps Vagrant's public insecure key, whose
 * private half ships with Vagrant: anyone who reaches the machine's SSH port
 * logs in. A forwarded port without `host_ip: "127.0.0.1"` listens on every
 * interface of the host, so that port is reachable from the network.
 */
const RULE = "config-mgmt/vagrant-insecure-ssh";
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|::1)$/;

export const vagrantInsecureSsh = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/vagrant-insecure-ssh",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    if (model.tool !== "vagrant") return out;
    for (const s of model.settings) {
      if (/\.ssh\.insert_key$/.test(s.name) && isFalse(s)) {
        out.push(
          finding({
            ruleId: RULE,
            at: s,
            message: `\`${s.name} = false\` keeps Vagrant's well-known insecure key: anyone who reaches this machine's SSH port can log in with the private key that ships with Vagrant.`,
            anchor: `${s.name}`,
          }),
        );
      } else if (s.name === "forwarded_port" && !s.dynamic && !LOOPBACK.test(s.value ?? "")) {
        out.push(
          finding({
            ruleId: RULE,
            at: s,
            message: `\`${s.resource}\` ${s.value === undefined ? "has no `host_ip`" : `binds \`host_ip: "${s.value}"\``}, so the forwarded port listens on the host's network interfaces, not only on loopback.`,
            fix: 'Add `host_ip: "127.0.0.1"` to the forwarded port.',
            anchor: `${s.resource}`,
          }),
        );
      }
    }
    return out;
  }),
});
