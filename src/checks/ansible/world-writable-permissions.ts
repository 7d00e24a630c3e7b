import { isScalar } from "yaml";
import { worldWritableMode } from "../../formats/file-mode.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onAnsible, taskLabel } from "./common.js";
import { argPosition, argText, hasJinja } from "./model.js";

/**
 * A file or directory every local user (and every compromised service) can
 * write: a script, a config or a unit file that anyone can change runs later
 * with the privileges of whoever reads it. `mode: 777` unquoted is worse than
 * it looks: YAML reads it as the decimal 777, mode 1411.
 */
const RULE = "ansible/world-writable-permissions";
const MODE_ARGS = new Set(["mode", "directory_mode"]);

export const worldWritablePermissions = defineCheck({
  kind: "snapshot",
  name: "ansible/world-writable-permissions",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const task of model.tasks) {
      for (const arg of task.args) {
        if (!MODE_ARGS.has(arg.name)) continue;
        const text = argText(arg);
        if (text === undefined || hasJinja(text)) continue;
        const numeric = !arg.freeForm && isScalar(arg.value) && typeof arg.value.value === "number";
        const mode = worldWritableMode(text, numeric);
        if (!mode) continue;
        const decimal = mode.decimal
          ? ` (unquoted, YAML reads \`${text}\` as a decimal number: the mode applied is ${mode.effective})`
          : "";
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, arg),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) sets \`${arg.name}: ${text}\`${decimal}, so every user on the host can write it.`,
            fix: "Use a quoted mode without write for others (`mode: '0644'`, `'0755'`) and give the writer ownership (`owner:`/`group:`).",
            anchor: `${task.anchor}/${arg.name}`,
            evidence: `${arg.name}: ${text}`,
          }),
        );
      }
    }
    return out;
  }),
});
