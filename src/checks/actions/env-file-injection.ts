import type { ENV_FILES, FileWrite } from "../../formats/shell/env-files.js";
import { scalarText } from "../../formats/yaml.js";
import type { RawFinding, Severity } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { atOffset, clip, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";
import { describeSource } from "./taint.js";
import { injectionSeverity } from "./triggers.js";

/**
 * Lines written to `$GITHUB_ENV` become environment variables of every later
 * step; a value with a newline adds variables of the attacker's choosing
 * (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`) and so runs code. `$GITHUB_PATH`
 * picks which programs run; `$GITHUB_OUTPUT` forges outputs later steps trust.
 */
type File = (typeof ENV_FILES)[number];

export const envFileInjection = defineCheck({
  kind: "snapshot",
  name: "actions/env-file-injection",
  families: ["actions"],
  rules: ["actions/env-file-injection"],
  run: onWorkflow((input) => {
    const { wf } = input;
    const out: RawFinding[] = [];
    const graded = injectionSeverity(wf);
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const script = scalarText(step.run);
        if (!step.run || !script || !/github_(?:env|path|output)/i.test(script)) continue;
        const reported = new Set<number>();
        for (const { write, carrier, source } of input.taint().taintedWrites(job, step)) {
          // One finding per line, for the first file it writes to.
          if (reported.has(write.line)) continue;
          reported.add(write.line);
          const file = write.file;
          const what =
            carrier.kind === "expression"
              ? `\`${clip(carrier.raw, 80)}\``
              : carrier.kind === "variable"
                ? `\`$${carrier.name}\``
                : `\`${clip(carrier.filter, 60)}\` of the event payload`;
          const key =
            carrier.kind === "expression"
              ? carrier.facts.text
              : carrier.kind === "variable"
                ? `$${carrier.name}`
                : `$GITHUB_EVENT_PATH${carrier.filter}`;
          out.push(
            finding({
              ruleId: "actions/env-file-injection",
              at: atOffset(wf, step.run, write.offset + (write.text.length - write.text.trimStart().length)),
              severity: severityFor(file, graded),
              message: `${what} (${describeSource(source)}) is written to \`$${file}\`${HOW[write.how]}: a value with a newline in it ${consequence(file)}.`,
              fix:
                file === "GITHUB_OUTPUT"
                  ? "Validate the value (e.g. reject newlines) before writing it, or pass it to later steps through env: instead."
                  : `Do not write outsider-controlled text to $${file}; pass it to later steps through env: and quote it there.`,
              // The key names the file and the value, never how or where it is written, so moving it into a block is not new.
              anchor: `${jobAnchor(job, step)}/${file}:${key}`,
              evidence: clip(write.text, 200),
            }),
          );
        }
      }
    }
    return out;
  }),
});

const HOW: Record<FileWrite["how"], string> = {
  direct: "",
  group: " (its block's output is redirected there)",
  exec: " (an earlier `exec` sends every command's output there)",
  heredoc: " (in a heredoc written there)",
};

function consequence(file: File): string {
  if (file === "GITHUB_ENV")
    return "sets any environment variable (LD_PRELOAD, NODE_OPTIONS, BASH_ENV) for later steps, which runs code";
  if (file === "GITHUB_PATH")
    return "puts a directory of the attacker's choosing first on the PATH of later steps";
  return "forges other outputs that later steps trust";
}

/** `$GITHUB_ENV`/`$GITHUB_PATH` run code in later steps: high under privileged triggers; outputs one step lower. */
function severityFor(file: File, graded: Severity): Severity {
  const base: Severity = graded === "critical" ? "high" : "medium";
  if (file !== "GITHUB_OUTPUT") return base;
  return base === "high" ? "medium" : "low";
}
