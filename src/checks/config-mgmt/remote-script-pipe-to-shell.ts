import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { commandText, remoteScriptToShell } from "../shell/index.js";
import { clip, finding, onModel, scriptReadings, TOOL_NAMES } from "./common.js";

/**
 * `curl … | sh` in a Chef `execute`/`bash`, a Puppet `exec`, a Salt
 * `cmd.run`, a Vagrant shell provisioner or a Packer `inline` runs whatever
 * the server sends at that moment, as root, with no record of what ran.
 */
const RULE = "config-mgmt/remote-script-pipe-to-shell";

export const remoteScriptPipeToShell = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/remote-script-pipe-to-shell",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    const tool = TOOL_NAMES[model.tool];
    for (const { script, reading } of scriptReadings(model)) {
      for (const r of remoteScriptToShell(reading)) {
        const command = commandText(r.site, r.culprit.command);
        out.push(
          finding({
            ruleId: RULE,
            at: r,
            severity: r.plainHttp ? "high" : undefined,
            message: r.plainHttp
              ? `${tool} \`${clip(script.resource, 80)}\` runs a script downloaded over plain HTTP in \`${r.runs}\` (\`${clip(command, 100)}\`): anyone on the network path chooses what runs.`
              : `${tool} \`${clip(script.resource, 80)}\` runs a downloaded script in \`${r.runs}\` unseen (\`${clip(command, 100)}\`).`,
            anchor: `${script.resource}/${script.property}/pipe:${r.site.text}`,
            evidence: clip(r.site.text, 200),
          }),
        );
      }
    }
    return out;
  }),
});
