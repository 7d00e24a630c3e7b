import { worldWritableMode } from "../../formats/file-mode.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, finding, onModel, TOOL_NAMES } from "./common.js";
import { leafName } from "./model.js";

/**
 * A file or directory every local user can write (Chef `mode '0777'`, Puppet
 * `mode => '0777'`, Salt `mode: 777`, `file_mode`/`dir_mode`): whatever later
 * runs or reads it with more privilege runs what anyone wrote.
 */
const RULE = "config-mgmt/world-writable-permissions";
const MODE_NAMES = /^(?:mode|file_mode|dir_mode|files_mode)$/;

export const worldWritablePermissions = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/world-writable-permissions",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    for (const s of model.settings) {
      const name = leafName(s.name);
      if (!MODE_NAMES.test(name) || s.dynamic || s.value === undefined) continue;
      // Salt reads `mode: 777` as the octal string it always means; Ruby's `0777` is octal, `777` decimal.
      const numeric = s.kind === "number" && model.tool === "chef";
      const mode = worldWritableMode(s.value, numeric);
      if (!mode) continue;
      out.push(
        finding({
          ruleId: RULE,
          at: s,
          message: `${TOOL_NAMES[model.tool]} \`${clip(s.resource, 80)}\` sets \`${name} ${s.value}\`${mode.decimal ? ` (a decimal number in Ruby: the mode applied is ${mode.effective})` : ""}, so every user on the host can write it.`,
          anchor: `${s.resource}/${s.name}`,
          evidence: `${name} ${s.value}`,
        }),
      );
    }
    return out;
  }),
});
