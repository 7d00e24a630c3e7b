import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { argPosition, positionOf } from "./model.js";
import { literalSecret, literalSecretArg, secretDigest } from "./secrets.js";

/**
 * A password or token written in a playbook, role or inventory variable file
 * is readable by everyone who can read the repository, and stays in its
 * history. Values encrypted with Ansible Vault (`!vault |`) and Jinja
 * expressions (`{{ vault_db_password }}`) are not reported.
 */
const RULE = "ansible/hardcoded-secret";

export const hardcodedSecret = defineCheck({
  kind: "snapshot",
  name: "ansible/hardcoded-secret",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const scope of model.vars) {
      for (const e of scope.entries) {
        const secret = literalSecret(e.key, e.value);
        if (secret === undefined) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: positionOf(model, e.value),
            message: `\`${clip(e.key, 60)}\` (${scope.label}) holds a literal secret, readable by anyone who can read the repository.`,
            fix: `Encrypt it (\`ansible-vault encrypt_string\`) or read it from a secret store (\`lookup('community.hashi_vault.hashi_vault', …)\`); rotate the exposed one.`,
            anchor: `${scope.label}/${e.key}/${secretDigest(secret)}`,
            evidence: `${clip(e.key, 60)}: ${redactSecret(secret)}`,
          }),
        );
      }
    }
    for (const task of model.tasks) {
      for (const arg of task.args) {
        const secret = literalSecretArg(arg);
        if (secret === undefined) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, arg),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) passes \`${clip(arg.name, 60)}\` as a literal, readable by anyone who can read the repository.`,
            fix: 'Use a Vault-encrypted variable (`password: "{{ vault_db_password }}"`) and rotate the exposed secret.',
            anchor: `${task.anchor}/${arg.name}/${secretDigest(secret)}`,
            evidence: `${clip(arg.name, 60)}: ${redactSecret(secret)}`,
          }),
        );
      }
    }
    return out;
  }),
});
