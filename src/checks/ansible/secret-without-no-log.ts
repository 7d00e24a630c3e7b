import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { argPosition, argText, type Task } from "./model.js";
import { isSecretArgName } from "./secrets.js";

/**
 * Ansible prints a task's arguments and results: with `-v`, on failure, for
 * every loop item, and in callback plugins that ship logs elsewhere (AWX,
 * ARA, Splunk). A task that handles a password, or a command line that
 * contains one, needs `no_log: true` (on the task, its block or its play).
 */
const RULE = "ansible/secret-without-no-log";

/** `{{ db_password }}`, `{{ item.password }}`, `-p{{ x }}`, `--password …` in a command line. */
const SECRET_REFERENCE = /\{\{-?\s*([A-Za-z_][A-Za-z0-9_.[\]'"]{0,120}?)\s*(?:\||-?\}\})/g;

function commandSecret(task: Task): string | undefined {
  if (!task.command) return undefined;
  const text = task.command.text.slice(0, 8192);
  if (
    /(?:^|\s)--password[=\s]|(?:^|\s)--(?:token|api-key|client-secret)[=\s]|\bmysql\b[^\n]*\s-p\S/.test(text)
  ) {
    return "a password option";
  }
  SECRET_REFERENCE.lastIndex = 0;
  for (let m = SECRET_REFERENCE.exec(text); m; m = SECRET_REFERENCE.exec(text)) {
    const last =
      m[1]!
        .replace(/\[['"]?|['"]?\]/g, ".")
        .split(".")
        .filter(Boolean)
        .pop() ?? "";
    if (isSecretArgName(last)) return `\`{{ ${clip(m[1]!, 60)} }}\``;
  }
  return undefined;
}

export const secretWithoutNoLog = defineCheck({
  kind: "snapshot",
  name: "ansible/secret-without-no-log",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const task of model.tasks) {
      if (task.noLog) continue;
      const inCommand = commandSecret(task);
      if (inCommand && task.command) {
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, {
              name: "cmd",
              keyNode: task.command.scalar,
              value: undefined,
              freeForm: { text: task.command.text, offset: task.command.offset, scalar: task.command.scalar },
            }),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) puts ${inCommand} in a command line without \`no_log: true\`: Ansible prints the command in verbose output, on failure and to its callbacks.`,
            fix: "Add `no_log: true` to the task, and pass the secret through `environment:` or `stdin:` rather than the command line.",
            anchor: `${task.anchor}/no_log`,
          }),
        );
        continue;
      }
      const arg = task.args.find((a) => isSecretArgName(a.name) && (argText(a) ?? "").trim() !== "");
      if (!arg) continue;
      out.push(
        finding({
          ruleId: RULE,
          at: argPosition(model, arg),
          message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) passes \`${clip(arg.name, 60)}\` without \`no_log: true\`${task.loops ? ", and Ansible prints every loop item" : ""}: the value can reach verbose output, failure messages and log callbacks.`,
          fix: "Add `no_log: true` to the task (or its block).",
          anchor: `${task.anchor}/no_log`,
        }),
      );
    }
    return out;
  }),
});
