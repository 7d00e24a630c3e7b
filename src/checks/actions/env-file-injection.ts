import { scalarText } from "../../formats/yaml.js";
import type { RawFinding, Severity } from "../../review/types.js";
import { atOffset, clip, finding, scriptLines, workflowCheck } from "./common.js";
import { jobAnchor } from "./model.js";
import { describeSource } from "./taint.js";
import { injectionSeverity } from "./triggers.js";

/**
 * Lines written to `$GITHUB_ENV` become environment variables of every later
 * step; a value with a newline adds variables of the attacker's choosing
 * (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`) and so runs code. `$GITHUB_PATH`
 * picks which programs run; `$GITHUB_OUTPUT` forges outputs later steps trust.
 */
const FILES = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"] as const;

export const envFileInjection = workflowCheck(
  "actions/env-file-injection",
  ["actions/env-file-injection"],
  (input) => {
    const { wf } = input;
    const out: RawFinding[] = [];
    const graded = injectionSeverity(wf);
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const script = scalarText(step.run);
        if (!step.run || !script || !FILES.some((f) => script.includes(f))) continue;
        for (const line of scriptLines(script)) {
          const file = FILES.find((f) => new RegExp(`\\$\\{?${f}\\b`).test(line.text));
          if (!file) continue;
          const taint = input.taint();
          const expr = taint.taintedExpressions(line.text, job, step)[0];
          const shell = expr ? undefined : taint.taintedShellVars(line.text, job, step)[0];
          const source = expr?.sources[0] ?? shell?.source;
          if (!source) continue;
          const what = expr ? `\`\${{ ${clip(expr.facts.text, 80)} }}\`` : `\`$${shell!.name}\``;
          out.push(
            finding({
              ruleId: "actions/env-file-injection",
              at: atOffset(wf, step.run, line.offset + (line.text.length - line.text.trimStart().length)),
              severity: severityFor(file, graded),
              message: `${what} (${describeSource(source)}) is written to \`$${file}\`: a value with a newline in it ${consequence(file)}.`,
              fix:
                file === "GITHUB_OUTPUT"
                  ? "Validate the value (e.g. reject newlines) before writing it, or pass it to later steps through env: instead."
                  : `Do not write outsider-controlled text to $${file}; pass it to later steps through env: and quote it there.`,
              anchor: `${jobAnchor(job, step)}/${file}:${expr ? expr.facts.text : `$${shell!.name}`}`,
              evidence: clip(line.text, 200),
            }),
          );
        }
      }
    }
    return out;
  },
);

function consequence(file: (typeof FILES)[number]): string {
  if (file === "GITHUB_ENV")
    return "sets any environment variable (LD_PRELOAD, NODE_OPTIONS, BASH_ENV) for later steps, which runs code";
  if (file === "GITHUB_PATH")
    return "puts a directory of the attacker's choosing first on the PATH of later steps";
  return "forges other outputs that later steps trust";
}

/** `$GITHUB_ENV`/`$GITHUB_PATH` run code in later steps: high under privileged triggers; outputs one step lower. */
function severityFor(file: (typeof FILES)[number], graded: Severity): Severity {
  const base: Severity = graded === "critical" ? "high" : "medium";
  if (file !== "GITHUB_OUTPUT") return base;
  return base === "high" ? "medium" : "low";
}
