import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { atOffset, clip, finding, onWorkflow, scriptLines } from "./common.js";
import { jobAnchor } from "./model.js";

/**
 * `curl … | bash` runs whatever the server (or anyone between it and the
 * runner) sends at that moment, with the job's token and secrets, and leaves
 * no record of what ran.
 */
const DOWNLOAD = String.raw`(?:curl|wget|iwr|Invoke-WebRequest)\b`;
const SHELL = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|da|k|fi)?sh|python[23]?|perl|ruby|node|iex|Invoke-Expression`;
const PATTERNS = [
  // curl -fsSL https://x | sudo bash -s --
  new RegExp(String.raw`${DOWNLOAD}[^|\n]{0,1000}\|\s*(?:${SHELL})\b`, "i"),
  // bash <(curl …)   sh -c "$(curl …)"
  new RegExp(String.raw`\b(?:ba|z|k)?sh\s+(?:-c\s+)?["']?(?:<\(|\$\()\s*${DOWNLOAD}`, "i"),
];

/** An `http://` URL on the line: anyone on the network path chooses what runs (MITM = code execution). */
const PLAIN_HTTP = /(^|[\s"'=(])http:\/\//i;

/** Longer lines are checked on their first part only: the patterns stay linear-time on hostile input. */
const MAX_LINE = 4_096;

export function pipesToShell(line: string): boolean {
  const head = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  if (!/curl|wget|iwr|invoke-webrequest/i.test(head)) return false;
  return PATTERNS.some((p) => p.test(head));
}

export const remoteScriptPipeToShell = defineCheck({
  kind: "snapshot",
  name: "actions/remote-script-pipe-to-shell",
  families: ["actions"],
  rules: ["actions/remote-script-pipe-to-shell"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const script = scalarText(step.run);
        if (!step.run || !script) continue;
        for (const line of scriptLines(script)) {
          if (line.text.trimStart().startsWith("#") || !pipesToShell(line.text)) continue;
          const command = line.text.trim();
          const plain = PLAIN_HTTP.test(command.slice(0, MAX_LINE));
          out.push(
            finding({
              ruleId: "actions/remote-script-pipe-to-shell",
              at: atOffset(wf, step.run, line.offset + (line.text.length - line.text.trimStart().length)),
              severity: plain ? "high" : undefined,
              message: plain
                ? `\`${clip(command, 100)}\` runs a script downloaded over plain HTTP, with this job's token and secrets: anyone on the network path chooses what runs.`
                : `\`${clip(command, 100)}\` runs a downloaded script unseen, with this job's token and secrets.`,
              fix: "Download to a file, verify its checksum or signature, then run it; or use a pinned action or package.",
              anchor: `${jobAnchor(job, step)}/pipe:${command.replace(/\s+/g, " ")}`,
              evidence: clip(command, 200),
            }),
          );
        }
      }
    }
    return out;
  }),
});
