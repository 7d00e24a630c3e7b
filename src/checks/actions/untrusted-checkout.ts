import { analyseExpression, findExpressions, renderExpressions } from "../../formats/expressions.js";
import { fileWrites } from "../../formats/shell/env-files.js";
import { scalarText } from "../../formats/yaml.js";
import { defineCheck } from "../define.js";
import { at, atOffset, clip, finding, onWorkflow, scriptLines } from "./common.js";
import {
  actionName,
  anchorExpression,
  type Job,
  jobAnchor,
  type Step,
  type Workflow,
  withValue,
} from "./model.js";
import { describeSource, type TaintModel } from "./taint.js";

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

/** A ref the checkout or fetch uses, and why it is the pull request's code (when not obvious from the ref). */
interface HeadRef {
  /** Canonical, for the fingerprint. */
  ref: string;
  /** As written, for the message. */
  shown?: string;
  why?: string;
}

/**
 * Does this text name the pull request's head? `refs/pull/<n>/head|merge`
 * (also built with `format()`), a head SHA or branch from the event, an output
 * of an earlier step or job that looked the head up (`gh pr view`, the API),
 * or any ref an outsider chooses (a tainted expression).
 */
function headReference(
  text: string,
  heads: HeadOutputs,
  taint: TaintModel | undefined,
  job: Job | undefined,
  step: Step | undefined,
): HeadRef | undefined {
  if (PULL_REF.test(renderExpressions(text))) return { ref: "refs/pull/…" };
  for (const e of findExpressions(text)) {
    const facts = analyseExpression(e.body);
    for (const p of facts.values) {
      const dotted = p.join(".");
      const shown = text.slice(e.start, e.end);
      if (HEAD_PATHS.some((h) => matchesDotted(dotted, h))) return { ref: `\${{ ${facts.text} }}`, shown };
      const resolved = heads.lookup(p, job, step);
      if (resolved) return { ref: `\${{ ${facts.text} }}`, shown, why: resolved };
    }
  }
  const tainted = taint && job ? taint.taintedExpressions(text, job, step)[0] : undefined;
  if (tainted)
    return {
      ref: `\${{ ${tainted.facts.text} }}`,
      shown: text.slice(tainted.expression.start, tainted.expression.end),
      why: `an outsider chooses it: ${describeSource(tainted.sources[0]!)}`,
    };
  return undefined;
}

const PULL_REF = /(^|[\s:/'"])(refs\/)?pull\/(\$\{\{|\d)/;

/** Text that looks up the pull request's head: `gh pr view --json headRefOid`, `pr.head.sha` from the API, `refs/pull/…`. */
const HEAD_LOOKUP =
  /\bheadRef(?:Oid|Name)\b|\.head\.(?:sha|ref)\b|\bhead_sha\b|\brefs\/pull\/|\bpull\/[^/\s]+\/head\b/;

/**
 * Outputs of steps (and jobs) that hold the pull request's head ref or SHA,
 * resolved at run time: an `issue_comment` workflow has no head in its event,
 * so it asks `gh pr view` or the API and checks out what it got.
 */
class HeadOutputs {
  private readonly steps = new Map<Step, Set<string>>();
  private readonly jobs = new Map<Job, Set<string> | "computing">();

  constructor(private readonly wf: Workflow) {}

  /** Why `path` (`steps.<id>.outputs.<x>` or `needs.<job>.outputs.<x>`) is the head, if it is. */
  lookup(path: readonly string[], job: Job | undefined, before: Step | undefined): string | undefined {
    const [root, id, outputs, name] = path;
    if (outputs !== "outputs" || id === undefined || name === undefined) return undefined;
    if (root === "steps" && job) {
      let last: Step | undefined;
      for (const s of job.steps) {
        if (before && s.index >= before.index) break;
        if (s.id?.toLowerCase() === id) last = s;
      }
      if (last && this.ofStep(last).has(name)) return `step \`${last.id}\` looked up the pull request's head`;
    }
    if (root === "needs") {
      const other = this.wf.jobs.find((j) => j.id.toLowerCase() === id);
      if (other && this.ofJob(other).has(name))
        return `job \`${other.id}\` looked up the pull request's head`;
    }
    return undefined;
  }

  private ofStep(step: Step): Set<string> {
    const cached = this.steps.get(step);
    if (cached) return cached;
    const out = new Set<string>();
    this.steps.set(step, out);
    const script = scalarText(step.run);
    if (script) {
      // Shell variables assigned from a lookup, then written out (`SHA=$(gh pr view … -q .headRefOid)`).
      const vars = new Set<string>();
      for (const m of script.matchAll(/^[ \t]*(?:export[ \t]+|local[ \t]+)?([A-Za-z_]\w*)=(.*)$/gm)) {
        if (HEAD_LOOKUP.test(m[2]!)) vars.add(m[1]!);
      }
      for (const w of fileWrites(script)) {
        if (w.file !== "GITHUB_OUTPUT") continue;
        const usesVar = [...w.text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].some((m) => vars.has(m[1]!));
        if (!usesVar && !HEAD_LOOKUP.test(w.text)) continue;
        for (const m of w.text.matchAll(/(?:^|["'\s])([A-Za-z_][\w-]*)=/g)) out.add(m[1]!.toLowerCase());
      }
    }
    const uses = scalarText(step.uses)?.toLowerCase() ?? "";
    const code = scalarText(step.with.find((e) => e.key === "script")?.value);
    if (uses.startsWith("actions/github-script@") && code) {
      for (const m of code.matchAll(/\bsetOutput\(\s*['"`]([\w-]+)['"`]\s*,([^\n;]*)/g)) {
        if (HEAD_LOOKUP.test(m[2]!)) out.add(m[1]!.toLowerCase());
      }
      for (const m of code.matchAll(/(?:^|[\s;{}])return\b([^\n;]*)/g)) {
        if (HEAD_LOOKUP.test(m[1]!)) out.add("result");
      }
    }
    return out;
  }

  private ofJob(job: Job): Set<string> {
    const cached = this.jobs.get(job);
    if (cached === "computing") return new Set();
    if (cached) return cached;
    this.jobs.set(job, "computing");
    const out = new Set<string>();
    for (const e of job.outputs) {
      const text = scalarText(e.value);
      if (text && headReference(text, this, undefined, job, undefined)) out.add(e.key.toLowerCase());
    }
    this.jobs.set(job, out);
    return out;
  }
}

function matchesDotted(path: string, pattern: string): boolean {
  const a = path.split(".");
  const b = pattern.split(".");
  return a.length === b.length && a.every((x, i) => x === b[i] || x === "*" || b[i] === "*");
}

export const untrustedCheckout = defineCheck({
  kind: "snapshot",
  name: "actions/untrusted-checkout",
  families: ["actions"],
  rules: ["actions/untrusted-checkout"],
  run: onWorkflow((input) => {
    const { wf } = input;
    const triggers = wf.triggers.map((t) => t.name).filter((n) => PRIVILEGED_CHECKOUT_TRIGGERS.has(n));
    if (triggers.length === 0) return [];
    const trigger = triggers[0]!;
    const heads = new HeadOutputs(wf);
    const taint = input.taint();
    const out = [];
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const uses = scalarText(step.uses);
        if (uses && actionName(uses) === "actions/checkout") {
          for (const key of ["ref", "repository"]) {
            const { text, entry } = withValue(step, key);
            if (!text || !entry) continue;
            const head = headReference(text, heads, taint, job, step);
            if (!head) continue;
            out.push(
              finding({
                ruleId: "actions/untrusted-checkout",
                at: at(wf, entry.value),
                message: `This \`${trigger}\` workflow checks out the pull request's code (\`${key}: ${clip(head.shown ?? head.ref, 80)}\`${head.why ? `; ${head.why}` : ""}) in a job that has the repository's secrets and a write token: building or running it hands both to the PR's author.`,
                anchor: `${jobAnchor(job, step)}/${key}:${anchorExpression(head.ref, wf, job)}`,
                evidence: clip(`${key}: ${text}`),
              }),
            );
          }
        }
        const script = scalarText(step.run);
        if (step.run && script) {
          for (const line of scriptLines(script)) {
            if (!/\b(git\s+(checkout|fetch|switch|pull)|gh\s+pr\s+checkout)\b/.test(line.text)) continue;
            const head: HeadRef | undefined = /\bgh\s+pr\s+checkout\b/.test(line.text)
              ? { ref: "gh pr checkout" }
              : headReference(line.text, heads, undefined, job, step);
            if (!head) continue;
            out.push(
              finding({
                ruleId: "actions/untrusted-checkout",
                at: atOffset(wf, step.run, line.offset + (line.text.length - line.text.trimStart().length)),
                message: `This \`${trigger}\` workflow fetches the pull request's code (\`${clip(line.text, 80)}\`${head.why ? `; ${head.why}` : ""}) in a job that has the repository's secrets and a write token.`,
                anchor: `${jobAnchor(job, step)}/run:${anchorExpression(clip(line.text, 200), wf, job)}`,
                evidence: clip(line.text),
              }),
            );
          }
        }
      }
    }
    return out;
  }),
});
