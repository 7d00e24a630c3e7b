import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { commandText, remoteScriptToShell } from "../shell/index.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { taskShells } from "./shell.js";

/**
 * `curl … | sh` in a `shell:` task runs whatever the server sends at that
 * moment on every managed host, usually as root, and leaves no record of
 * what ran.
 */
const RULE = "ansible/remote-script-pipe-to-shell";

export const remoteScriptPipeToShell = defineCheck({
  kind: "snapshot",
  name: "ansible/remote-script-pipe-to-shell",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const { task, reading } of taskShells(model)) {
      for (const r of remoteScriptToShell(reading)) {
        const command = commandText(r.site, r.culprit.command);
        out.push(
          finding({
            ruleId: RULE,
            at: { line: r.line, column: r.column },
            severity: r.plainHttp ? "high" : undefined,
            message: r.plainHttp
              ? `The ${taskLabel(task)} (\`${task.moduleKey}\`) runs a script downloaded over plain HTTP in \`${r.runs}\` (\`${clip(command, 100)}\`): anyone on the network path chooses what runs on every host.`
              : `The ${taskLabel(task)} (\`${task.moduleKey}\`) runs a downloaded script in \`${r.runs}\` unseen (\`${clip(command, 100)}\`), on every host of the play.`,
            anchor: `${task.anchor}/pipe:${r.site.text}`,
            evidence: clip(r.site.text, 200),
          }),
        );
      }
    }
    return out;
  }),
});
