import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { tlsVerificationDisabled } from "../shell/index.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { argBoolean, argPosition, falsy, positionOf } from "./model.js";
import { taskShells } from "./shell.js";

/**
 * `validate_certs: no` accepts any certificate, so whoever sits on the network
 * path serves the download, the API answer or the package repository.
 * yum/dnf repositories say the same with `sslverify: no`, and a variable
 * ending in `validate_certs` turns it off for every module that reads it.
 */
const RULE = "ansible/tls-validation-disabled";
const REPO_MODULES = new Set(["yum_repository", "zypper_repository"]);

export const tlsValidationDisabled = defineCheck({
  kind: "snapshot",
  name: "ansible/tls-validation-disabled",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const task of model.tasks) {
      for (const arg of task.args) {
        const off =
          (arg.name === "validate_certs" && argBoolean(arg) === false) ||
          (arg.name === "sslverify" && REPO_MODULES.has(task.module) && argBoolean(arg) === false);
        if (!off) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, arg),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) sets \`${arg.name}: no\`: any certificate is accepted, so anyone on the network path can answer in the server's place.`,
            fix: `Remove \`${arg.name}: no\`; for a private CA, install it on the host or pass \`ca_path\`/\`client_cert\`.`,
            anchor: `${task.anchor}/${arg.name}`,
          }),
        );
      }
    }
    for (const { task, reading } of taskShells(model)) {
      for (const c of tlsVerificationDisabled(reading)) {
        out.push(
          finding({
            ruleId: RULE,
            at: { line: c.line, column: c.column },
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) runs \`${clip(c.invocation.site.text, 100)}\`, which turns certificate verification off (\`${clip(c.reason, 60)}\`).`,
            fix: "Remove the flag; trust a private CA on the host instead.",
            anchor: `${task.anchor}/shell-tls:${c.reason}`,
          }),
        );
      }
    }
    for (const scope of model.vars) {
      for (const e of scope.entries) {
        if (!/validate_certs$/i.test(e.key) || !falsy(e.value)) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: positionOf(model, e.value ?? e.keyNode),
            message: `\`${clip(e.key, 60)}: false\` turns certificate validation off for every module that reads it.`,
            fix: `Remove \`${clip(e.key, 60)}\` or set it to true; trust a private CA on the host instead.`,
            anchor: `${scope.label}/${e.key}`,
          }),
        );
      }
    }
    return out;
  }),
});
