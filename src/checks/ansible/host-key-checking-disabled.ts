import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileVersion } from "../types.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { argBoolean, argPosition, falsy, isAnsibleCfg, positionOf } from "./model.js";

/**
 * With host key checking off, Ansible connects to whatever answers at a host's
 * address and hands it the SSH session, the become password and every file
 * and secret the play sends. `ansible.cfg`'s `host_key_checking = False`,
 * `StrictHostKeyChecking=no` in SSH arguments, the same in inventory
 * variables, and the git module's `accept_hostkey` all do it.
 */
const RULE = "ansible/host-key-checking-disabled";
const STRICT_OFF =
  /StrictHostKeyChecking\s*=\s*(?:no|off|false|accept-new)\b|UserKnownHostsFile\s*=\s*\/dev\/null/i;
const MAX_LINES = 100_000;

/** `key = value` lines of an INI file with their section, 1-based line and value column. */
export function iniEntries(
  file: FileVersion,
): Array<{ section: string; key: string; value: string; line: number; column: number }> {
  const out: Array<{ section: string; key: string; value: string; line: number; column: number }> = [];
  let section = "";
  const lines = file.lines.length > MAX_LINES ? file.lines.slice(0, MAX_LINES) : file.lines;
  lines.forEach((raw, i) => {
    const line = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    const header = /^\s*\[([^\]]{1,100})\]/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      return;
    }
    const m = /^(\s*)([A-Za-z0-9_.-]{1,100})\s*[=:]\s*/.exec(line);
    if (!m || /^\s*[#;]/.test(line)) return;
    out.push({
      section,
      key: m[2]!.toLowerCase(),
      value: line.slice(m[0].length).trim(),
      line: i + 1,
      column: m[0].length + 1,
    });
  });
  return out;
}

function cfgFindings(file: FileVersion): RawFinding[] {
  const out: RawFinding[] = [];
  for (const e of iniEntries(file)) {
    const off =
      (e.section === "defaults" && e.key === "host_key_checking" && /^(?:false|no|0|off)\b/i.test(e.value)) ||
      (e.section === "ssh_connection" &&
        /^ssh_(?:common_|extra_)?args$/.test(e.key) &&
        STRICT_OFF.test(e.value));
    if (!off) continue;
    out.push(
      finding({
        ruleId: RULE,
        at: { line: e.line, column: e.column },
        message: `\`ansible.cfg\` [${e.section}] \`${e.key} = ${clip(e.value, 80)}\` turns SSH host key checking off for every play run with this configuration: a machine impersonating a host receives the session, the become password and every secret sent.`,
        anchor: `ansible.cfg/${e.section}/${e.key}`,
      }),
    );
  }
  return out;
}

const onModel = onAnsible((model) => {
  const out: RawFinding[] = [];
  for (const scope of model.vars) {
    for (const e of scope.entries) {
      const text = scalarText(e.value) ?? "";
      const off =
        (/^ansible_host_key_checking$/i.test(e.key) && falsy(e.value)) ||
        (/^ANSIBLE_HOST_KEY_CHECKING$/.test(e.key) && falsy(e.value)) ||
        (/^ansible_(?:ssh_common|ssh_extra)_args$/i.test(e.key) && STRICT_OFF.test(text.slice(0, 4096)));
      if (!off) continue;
      out.push(
        finding({
          ruleId: RULE,
          at: positionOf(model, e.value ?? e.keyNode),
          message: `\`${clip(e.key, 60)}\` (${scope.label}) turns SSH host key checking off: a machine impersonating a host receives the session and every secret the play sends.`,
          anchor: `${scope.label}/${e.key}`,
        }),
      );
    }
  }
  for (const task of model.tasks) {
    const arg = task.args.find((a) => a.name === "accept_hostkey");
    if (task.module !== "git" || !arg || argBoolean(arg) !== true) continue;
    out.push(
      finding({
        ruleId: RULE,
        at: argPosition(model, arg),
        message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) sets \`accept_hostkey: yes\`: the repository server's key is accepted unseen, so an impersonating server supplies the code.`,
        fix: "Add the server's key to `known_hosts` first (`known_hosts` module with a pinned key) and remove `accept_hostkey`.",
        anchor: `${task.anchor}/accept_hostkey`,
      }),
    );
  }
  return out;
});

export const hostKeyCheckingDisabled = defineCheck({
  kind: "snapshot",
  name: "ansible/host-key-checking-disabled",
  families: ["ansible"],
  rules: [RULE],
  run(file, ctx) {
    return isAnsibleCfg(file.path) ? cfgFindings(file) : onModel(file, ctx);
  },
});
