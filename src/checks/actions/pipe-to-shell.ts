import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { readShell, type ShellSource } from "../shell/reading.js";
import { powershellRemoteScripts, remoteScriptToShell } from "../shell/remote-script.js";
import { atOffset, clip, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";

/**
 * `curl … | bash` runs whatever the server (or anyone between it and the
 * runner) sends at that moment, with the job's token and secrets, and leaves
 * no record of what ran. What counts as a pipe to a shell is the shared shell
 * reading's (src/checks/shell/): the same as in Dockerfiles and pipelines.
 */

const RULE = "actions/remote-script-pipe-to-shell";

export const remoteScriptPipeToShell = defineCheck({
  kind: "snapshot",
  name: "actions/remote-script-pipe-to-shell",
  families: ["actions"],
  rules: [RULE],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const node = step.run;
        const script = scalarText(node);
        if (!node || !script) continue;
        const source: ShellSource = { text: script, position: (offset) => atOffset(wf, node, offset) };
        const lines = new Set<number>();
        const report = (line: number, column: number, command: string, plain: boolean) => {
          // One finding per line, as written: `curl … | sh` inside `sh -c '…'` is the same line.
          if (lines.has(line)) return;
          lines.add(line);
          out.push(
            finding({
              ruleId: RULE,
              at: { line, column },
              severity: plain ? "high" : undefined,
              message: plain
                ? `\`${clip(command, 100)}\` runs a script downloaded over plain HTTP, with this job's token and secrets: anyone on the network path chooses what runs.`
                : `\`${clip(command, 100)}\` runs a downloaded script unseen, with this job's token and secrets.`,
              fix: "Download to a file, verify its checksum or signature, then run it; or use a pinned action or package.",
              anchor: `${jobAnchor(job, step)}/pipe:${command.replace(/\s+/g, " ")}`,
              evidence: clip(command, 200),
            }),
          );
        };
        for (const r of remoteScriptToShell(readShell(source)))
          report(r.line, r.column, r.site.text, r.plainHttp);
        for (const r of powershellRemoteScripts(source)) report(r.line, r.column, r.text, r.plainHttp);
      }
    }
    return out;
  }),
});
