import { analyseExpression, findExpressions } from "../../formats/expressions.js";
import { scalarText } from "../../formats/yaml.js";
import { at, atOffset, clip, finding, scriptLines, workflowCheck } from "./common.js";
import { actionName, jobAnchor, withValue } from "./model.js";

/**
 * "Pwn request": a privileged trigger (secrets, write token) that checks out
 * and then builds or runs the pull request's code hands that code the
 * secrets. `pull_request_target` and `workflow_run` exist precisely so that
 * untrusted code is *not* checked out.
 */

/** Refs that name the pull request's head (its code, not the base branch's). */
const HEAD_PATHS = [
  "github.event.pull_request.head.sha",
  "github.event.pull_request.head.ref",
  "github.event.pull_request.head.repo.full_name",
  "github.event.pull_request.merge_commit_sha",
  "github.head_ref",
  "github.event.workflow_run.head_sha",
  "github.event.workflow_run.head_branch",
  "github.event.workflow_run.head_repository.full_name",
  "github.event.workflow_run.pull_requests.*.head.sha",
  "github.event.workflow_run.pull_requests.*.head.ref",
];

const PRIVILEGED_CHECKOUT_TRIGGERS = new Set(["pull_request_target", "workflow_run", "issue_comment"]);

function headReference(text: string): string | undefined {
  if (/(^|[\s:/])(refs\/)?pull\/(\$\{\{|\d)/.test(text)) return "refs/pull/…";
  for (const e of findExpressions(text)) {
    const facts = analyseExpression(e.body);
    for (const p of facts.values) {
      const dotted = p.join(".");
      const hit = HEAD_PATHS.find((h) => matchesDotted(dotted, h));
      if (hit) return `\${{ ${facts.text} }}`;
    }
  }
  return undefined;
}

function matchesDotted(path: string, pattern: string): boolean {
  const a = path.split(".");
  const b = pattern.split(".");
  return a.length === b.length && a.every((x, i) => x === b[i] || x === "*" || b[i] === "*");
}

export const untrustedCheckout = workflowCheck(
  "actions/untrusted-checkout",
  ["actions/untrusted-checkout"],
  ({ wf }) => {
    const triggers = wf.triggers.map((t) => t.name).filter((n) => PRIVILEGED_CHECKOUT_TRIGGERS.has(n));
    if (triggers.length === 0) return [];
    const trigger = triggers[0]!;
    const out = [];
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const uses = scalarText(step.uses);
        if (uses && actionName(uses) === "actions/checkout") {
          for (const key of ["ref", "repository"]) {
            const { text, entry } = withValue(step, key);
            if (!text || !entry) continue;
            const ref = headReference(text);
            if (!ref) continue;
            out.push(
              finding({
                ruleId: "actions/untrusted-checkout",
                at: at(wf, entry.value),
                message: `This \`${trigger}\` workflow checks out the pull request's code (\`${key}: ${clip(ref, 80)}\`) in a job that has the repository's secrets and a write token: building or running it hands both to the PR's author.`,
                anchor: `${jobAnchor(job, step)}/${key}:${ref}`,
                evidence: clip(`${key}: ${text}`),
              }),
            );
          }
        }
        const script = scalarText(step.run);
        if (step.run && script) {
          for (const line of scriptLines(script)) {
            if (!/\b(git\s+(checkout|fetch|switch|pull)|gh\s+pr\s+checkout)\b/.test(line.text)) continue;
            const ref = /\bgh\s+pr\s+checkout\b/.test(line.text)
              ? "gh pr checkout"
              : headReference(line.text);
            if (!ref) continue;
            out.push(
              finding({
                ruleId: "actions/untrusted-checkout",
                at: atOffset(wf, step.run, line.offset + (line.text.length - line.text.trimStart().length)),
                message: `This \`${trigger}\` workflow fetches the pull request's code (\`${clip(line.text, 80)}\`) in a job that has the repository's secrets and a write token.`,
                anchor: `${jobAnchor(job, step)}/run:${clip(line.text, 200)}`,
                evidence: clip(line.text),
              }),
            );
          }
        }
      }
    }
    return out;
  },
);
