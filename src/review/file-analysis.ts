import type { Check, CheckContext, FileChange } from "../checks/types.js";
import { ParseError } from "../formats/errors.js";
import {
  addedLines,
  fromJsdiffHunks,
  type Hunk,
  PatchError,
  parsePatch,
  removedLines,
  reverseApply,
} from "../formats/patch.js";
import type { Config } from "./config.js";
import {
  type Decoded,
  decodeContent,
  describeSkip,
  describeUnreadable,
  formatBytes,
  groupDigits,
  TextVersion,
} from "./content.js";
import {
  familiesFromContent,
  familiesFromPath,
  helmChartOf,
  isAmbiguousStructuredFile,
  isHelmTemplate,
} from "./families.js";
import { fileByteLimitForPath, isEnvFile } from "./file-limits.js";
import type { Unfingerprinted } from "./fingerprint.js";
import { findInlineSuppressions, type InlineSuppression } from "./suppressions.js";
import type { ChangedFile, Family, RawFinding, ReviewNote } from "./types.js";

const HELM_NOTE =
  "Helm chart: its templates ({{ }}) are Go templates, not YAML, and are skipped without being rendered; its values files are reviewed";

/**
 * One changed file through the engine, in named steps: plan what to read,
 * load and decode the head (or decide the file is unreviewable), read the
 * patch (before the head when the patch decides what is read), load the base,
 * build the change, run the checks within the time budget, read the inline
 * suppressions. `runReview` (engine.ts) runs
 * this for every file, then the review-level steps.
 */

/** The engine's own rule: a file that matters could not be read, so the change in it was not reviewed. */
export const UNREVIEWABLE_RULE_ID = "meta/unreviewable-file";

/** What every file of one review shares: settings, checks, and the notes and bytes of the whole review. */
export interface ReviewRun {
  config: Config;
  mode: "diff" | "scan";
  checks: readonly Check[];
  /** The review-level checks, which see the changes of every file at the end. */
  reviewChecks: readonly Check[];
  ignore: ReadonlyArray<{ match(path: string): boolean }>;
  pathFamilies: ReadonlyMap<string, Family[]>;
  /** Some check wants Kubernetes or CloudFormation: unclaimed structured files are sniffed. */
  sniffContent: boolean;
  maxTotal: number;
  notes: ReviewNote[];
  ctx: CheckContext;
  clock: () => number;
  budgetMs: number;
  /** Bytes read so far by every file of the review (files are analysed concurrently). */
  bytesRead: number;
}

export interface FileOutcome {
  findings: Unfingerprinted[];
  inline: InlineSuppression[];
  change?: FileChange;
  analysed: boolean;
}

/** Each megabyte of a file's text earns one max-file-ms of checking. */
const BUDGET_BYTES = 1_000_000;

export async function analyseFile(run: ReviewRun, file: ChangedFile): Promise<FileOutcome> {
  const skipped: FileOutcome = { findings: [], inline: [], analysed: false };
  if (run.ignore.some((m) => m.match(file.path))) return skipped;
  const planned = new FileAnalysis(run, file);
  if (!planned.planReads()) return skipped;
  let decoded: Decoded | undefined;
  // Awaited here, not in a step of its own: each await is a turn for every file in flight.
  if (planned.needText && !planned.removed)
    decoded = planned.headWithoutReading() ?? (await planned.load("head"));
  // What follows runs in an object allocated after the read. The planned one waited for the other
  // files in flight, long enough to be promoted to the old generation; everything a file reads and
  // parses, written into it, stayed alive through young-generation collections until the next full
  // one (old-to-young pointers are roots for the scavenger, dead or not): on 50 GitLab pipelines the
  // scavenges promoted 0.7 MB each instead of 30 kB and took four times as long.
  const a = planned.resumed();
  if (decoded && !a.readHead(decoded))
    return { findings: a.findings, inline: [], analysed: a.findings.length > 0 };
  a.readPatch();
  // Reads are the only reason to yield: a file whose base needs no read is built and checked in one go
  // (awaiting each step let the files in flight build their line maps in lockstep before any was checked).
  const reading = a.readBase();
  if (reading) await reading;
  const built = a.buildChange();
  const change = isPromise(built) ? await built : built;
  const checking = a.runChecks(change);
  if (checking) await checking;
  return a.outcome(change, a.inlineSuppressions(change));
}

class FileAnalysis {
  // `file.binary` is the host's or git's opinion, which a repository's own attributes can set:
  // the engine reads the bytes and decides for itself.
  families: Family[];
  readonly envFile: boolean;
  readonly limit: ReturnType<typeof fileByteLimitForPath>;
  readonly removed: boolean;
  readonly findings: Unfingerprinted[] = [];
  hunks: Hunk[] | undefined;
  /** A patch with NUL bytes (git diff --text of a binary-looking file): the bytes decide what it is. */
  patchHasNul = false;
  /** The patch has been parsed (or found unreadable): `hunks` and `patchHasNul` say what it holds. */
  patchRead = false;
  needsSniff = false;
  applicable: Check[] = [];
  needText = false;
  head: TextVersion | undefined;
  headRaw: string | undefined;
  base: TextVersion | undefined;
  /** Set when the head could not be read: only the added lines of the patch are checked. */
  headUnread = false;
  readError: string | undefined;
  /**
   * The budget grows with the text checked, so a large but ordinary file (a monorepo's lockfile) is
   * reviewed in full while a blow-up — time growing faster than the input — still stops.
   */
  textBytes = 0;

  constructor(
    readonly run: ReviewRun,
    readonly file: ChangedFile,
  ) {
    this.families = run.pathFamilies.get(file.path) ?? familiesFromPath(file.path);
    this.envFile = isEnvFile(file.path);
    // The path's families are already known: matching every family's globs again cost 7% of a large review.
    this.limit = fileByteLimitForPath(run.config, file.path, this.families);
    this.removed = file.status === "removed";
  }

  /** This analysis, copied into a new (young) object; see `analyseFile`. */
  resumed(): FileAnalysis {
    return Object.assign(Object.create(FileAnalysis.prototype) as FileAnalysis, this);
  }

  get maxBytes(): number {
    return this.limit.bytes;
  }

  /** A file that matters and cannot be read fails the check: a change must not hide by being unreadable. */
  matters(): boolean {
    return this.families.length > 0 || this.envFile;
  }

  unreviewable(kind: string, why: string): void {
    this.findings.push({
      ruleId: UNREVIEWABLE_RULE_ID,
      line: 1,
      message: `${this.file.path} cannot be reviewed: ${why}.`,
      // By kind of reason, never by size or time: a file that stays unreviewable keeps its fingerprint.
      anchor: `unreviewable:${kind}`,
      path: this.file.path,
    });
  }

  /** Unreviewable when the file matters, else a note at `level`. */
  unreviewableOrNote(kind: string, why: string, level: ReviewNote["level"], message: string): void {
    if (this.matters()) this.unreviewable(kind, why);
    else this.run.notes.push({ level, path: this.file.path, message });
  }

  forFamilies(families: readonly Family[]): Check[] {
    return this.run.checks.filter(
      (c) => c.families === "all" || c.families.some((f) => families.includes(f)),
    );
  }

  /**
   * The host's patch, when it gave one; parsed once, before anything that reads it or notes the file.
   * A file whose text is read anyway has its patch parsed once its head is in, not before: the sixteen
   * files in flight each held their hunks (an object per line) while the others were checked, and the
   * young-generation collector copied and promoted them.
   */
  readPatch(): void {
    if (this.patchRead) return;
    this.patchRead = true;
    if (this.file.patch === undefined) return;
    try {
      this.hunks = parsePatch(this.file.patch);
    } catch (e) {
      this.run.notes.push({
        level: "warning",
        path: this.file.path,
        message: `patch not readable (${(e as Error).message})`,
      });
    }
    this.patchHasNul = this.hunks !== undefined && this.file.patch.includes("\u0000");
  }

  /** Step 1: which checks apply and whether the text must be read. False: nothing to analyse. */
  planReads(): boolean {
    const { run, file } = this;
    this.needsSniff = run.sniffContent && this.families.length === 0 && isAmbiguousStructuredFile(file.path);
    this.applicable = this.forFamilies(this.families);
    const textAnyway = this.needsSniff || this.applicable.some((c) => !(c.kind === "change" && c.linesOnly));
    const skip = this.removed && !this.applicable.some((c) => c.kind !== "snapshot");
    if (!textAnyway || skip) this.readPatch();
    const hunks = this.hunks;
    this.needText = textAnyway || hunks === undefined;
    if (skip) return false;
    if (this.patchHasNul && !this.needText) {
      // Only secrets read this file, from the patch: the patch's own bytes say whether it is data.
      const decoded = decodeContent(patchSample(hunks!), Number.POSITIVE_INFINITY);
      if (decoded.kind === "binary") {
        run.notes.push({ level: "info", path: file.path, message: describeSkip(decoded, 0) });
        return false;
      }
      // UTF-16 lines are pairs of bytes in the patch: decode the file itself.
      if (decoded.kind === "text" && decoded.encoding) this.needText = true;
    }
    return true;
  }

  async load(which: "head" | "base"): Promise<Decoded> {
    const { run, file } = this;
    let content: Awaited<ReturnType<ChangedFile["loadHead"]>>;
    try {
      content = await (which === "head" ? file.loadHead() : file.loadBase());
    } catch (e) {
      const message = firstLine(e);
      if (which === "head") this.readError = message;
      else
        run.notes.push({
          level: "error",
          path: file.path,
          message: `could not read the base version: ${message}`,
        });
      return { kind: "missing" };
    }
    const decoded = decodeContent(content, this.maxBytes, which === "head" ? file.size : undefined);
    if (decoded.kind === "text") {
      run.bytesRead += decoded.bytes;
      this.textBytes = Math.max(this.textBytes, decoded.bytes);
    } else if (decoded.kind !== "missing") run.bytesRead += Math.min(decoded.bytes, this.maxBytes + 1);
    return decoded;
  }

  /** Step 2: the loaded and decoded head. False: the analysis stops here (nothing more can be checked). */
  readHead(decoded: Decoded): boolean {
    this.readPatch();
    if (decoded.kind === "text") {
      this.acceptHead(decoded);
      return true;
    }
    return this.headNotText(decoded);
  }

  /** What the head is known to be without reading it: over the review's byte budget, or too large. */
  headWithoutReading(): Decoded | undefined {
    const { run, file } = this;
    if (run.bytesRead > run.maxTotal) {
      this.readPatch();
      this.unreviewableOrNote(
        "review-budget",
        `the review had already read its limit of ${formatBytes(run.maxTotal)} in other files of this change`,
        "warning",
        "not analysed: the review reached its limit of bytes read",
      );
      return { kind: "missing" };
    }
    if (file.size !== undefined && file.size > this.maxBytes && !this.needsSniff) {
      // The host gave the size: no need to read the bound's worth of bytes to learn it is too large.
      return { kind: "too-large", bytes: file.size, exact: true };
    }
    return undefined;
  }

  private acceptHead(decoded: Extract<Decoded, { kind: "text" }>): void {
    const { run, file } = this;
    if (decoded.invalidUtf8) {
      const bad = decoded.text.split("\n").findIndex((l) => l.includes("\uFFFD"));
      run.notes.push({
        level: "warning",
        path: file.path,
        ...(bad >= 0 ? { line: bad + 1 } : {}),
        message: "not valid UTF-8 text: checked with the invalid bytes replaced (U+FFFD)",
      });
    }
    if (decoded.encoding) {
      run.notes.push({ level: "info", path: file.path, message: `read as ${decoded.encoding} text` });
      // The patch's lines are pairs of bytes: the added lines come from diffing the decoded versions.
      this.hunks = undefined;
    }
    this.headRaw = decoded.text;
    const head = new TextVersion(file.path, decoded.text);
    this.head = head;
    if (this.needsSniff) {
      if (isHelmTemplate(file.path, head.text)) {
        // One note per chart: a chart of thirty templates is one thing not reviewed, not thirty.
        const chart = helmChartOf(file.path);
        if (!run.notes.some((n) => n.path === chart && n.message === HELM_NOTE))
          run.notes.push({ level: "info", path: chart, message: HELM_NOTE });
      } else {
        this.families = familiesFromContent(file.path, head.text);
      }
      this.applicable = this.forFamilies(this.families);
    }
    if (decoded.firstNul !== undefined) {
      const where = `NUL bytes (the first at byte ${groupDigits(decoded.firstNul)})`;
      // A parser and the tool that consumes the file may read a NUL differently: fail closed. A file only
      // searched for secrets is fully read with each NUL as a separator.
      if (this.families.length > 0)
        this.unreviewable("binary", `it holds ${where}, so it is binary, not the text its tools read`);
      else
        run.notes.push({
          level: "warning",
          path: file.path,
          message: `holds ${where}: searched for secrets with each NUL read as a separator`,
        });
    }
  }

  /** The head is not text: decide whether the file is unreviewable, and whether its patch is still read. */
  private headNotText(decoded: Exclude<Decoded, { kind: "text" }>): boolean {
    const { run, file } = this;
    if (this.needsSniff && decoded.kind === "too-large" && decoded.sample !== undefined) {
      this.families = familiesFromContent(file.path, decoded.sample);
    }
    if (decoded.kind === "missing") {
      if (this.readError !== undefined) {
        this.unreviewableOrNote(
          "read-error",
          `its head version could not be read (${this.readError})`,
          "error",
          `could not read the head version: ${this.readError}`,
        );
      } else if (run.bytesRead <= run.maxTotal) {
        this.unreviewableOrNote("unavailable", "its content is unavailable", "info", "content unavailable");
      }
    } else {
      this.unreviewableOrNote(
        decoded.kind,
        describeUnreadable(decoded, this.maxBytes, this.limit.key),
        "info",
        describeSkip(decoded, this.maxBytes, this.limit.key),
      );
    }
    // Without the head, the patch's added lines are still searched for secrets (any size)
    // — except in data that is binary, whose "lines" are noise.
    if (this.hunks === undefined || (decoded.kind === "binary" && !this.matters())) return false;
    this.headUnread = true;
    this.applicable = this.applicable.filter((c) => c.kind === "change" && c.linesOnly);
    return true;
  }

  /** Step 3: the base version, rebuilt from the head and the patch when possible, else read (a promise only then). */
  readBase(): Promise<void> | undefined {
    const { run, file, hunks } = this;
    const diff = run.mode === "diff" && file.status !== "added";
    const needBase =
      !this.headUnread && diff && this.applicable.some((c) => c.kind !== "change" || !c.linesOnly);
    if (!needBase && !(hunks === undefined && diff)) return undefined;
    const basePath = file.previousPath ?? file.path;
    if (this.headRaw !== undefined && hunks !== undefined && !this.patchHasNul) {
      const rebuilt = hunks.length === 0 ? this.headRaw : reverseApply(this.headRaw, hunks);
      if (rebuilt !== null) this.base = new TextVersion(basePath, rebuilt);
    }
    if (this.base || run.bytesRead > run.maxTotal) return undefined;
    return this.loadBase(basePath);
  }

  private async loadBase(basePath: string): Promise<void> {
    const { run, file } = this;
    const decoded = await this.load("base");
    if (decoded.kind === "text") this.base = new TextVersion(basePath, decoded.text);
    else if (decoded.kind !== "missing") {
      // Without a base every finding at head counts as new: the base state never excuses the change.
      run.notes.push({
        level: "info",
        path: file.path,
        message: `base version: ${describeSkip(decoded, this.maxBytes, this.limit.key)}`,
      });
    }
  }

  /** Step 4: the FileChange the checks read (a promise only when the two versions must be diffed here). */
  buildChange(): FileChange | Promise<FileChange> {
    const { file, head, base } = this;
    const common = {
      path: file.path,
      previousPath: file.previousPath,
      status: file.status,
      families: this.families,
      head,
      base,
    };
    // A whole file counts as added (scan mode, an added file): its added lines are its lines, and the
    // one all-added hunk, which no check reads, is built only if asked for (scanning a tree spent its
    // time collecting per-line hunk objects).
    const wholeFile =
      this.hunks === undefined &&
      head !== undefined &&
      (this.run.mode === "scan" || file.status === "added" || !base);
    if (wholeFile && head) {
      let lazy: Hunk[] | undefined;
      return {
        ...common,
        get hunks() {
          lazy ??= wholeFileHunks(head);
          return lazy;
        },
        added: lineMap(head.lines),
        removed: new Map(),
      };
    }
    if (this.hunks) return this.changeFromHunks(common, this.hunks);
    return computeHunks(head, base).then((hunks) => this.changeFromHunks(common, hunks));
  }

  private changeFromHunks(
    common: Omit<FileChange, "hunks" | "added" | "removed">,
    hunks: Hunk[],
  ): FileChange {
    this.hunks = hunks;
    const added = stripCr(addedLines(hunks));
    const removed = stripCr(removedLines(hunks));
    // Field by field: spreading `common` into a literal of another shape is V8's slow path, and it
    // was the largest cost of this step on small files (a tenth of a Salt state's engine overhead).
    return {
      path: common.path,
      previousPath: common.previousPath,
      status: common.status,
      families: common.families,
      head: common.head,
      base: common.base,
      hunks,
      added: this.patchHasNul ? spaceNuls(added) : added,
      removed: this.patchHasNul ? spaceNuls(removed) : removed,
    };
  }

  /**
   * Step 5: the file's checks. Checks are synchronous, so the budget is kept between them: the time
   * each one took is summed and, once past the budget, the rest do not run and the file is reported.
   *
   * Returns a promise only when a check returned one (a change check that queries a service): otherwise
   * the file is checked, and its parse dropped, without yielding to the other files being analysed.
   * Yielding after every file's checks kept sixteen files' YAML trees alive through each young-generation
   * collection, which copied and promoted them all (three times the collector's time on 200 playbooks).
   */
  runChecks(change: FileChange): Promise<void> | undefined {
    const checks = this.applicable.filter((c) => c.kind !== "review");
    const budget = {
      spentMs: 0,
      fileMs: Math.round(this.run.budgetMs * Math.max(1, this.textBytes / BUDGET_BYTES)),
    };
    return this.runChecksFrom(checks, 0, change, budget);
  }

  private runChecksFrom(
    checks: readonly Check[],
    from: number,
    change: FileChange,
    budget: { spentMs: number; fileMs: number },
  ): Promise<void> | undefined {
    for (let i = from; i < checks.length; i++) {
      if (budget.spentMs > budget.fileMs) {
        this.overBudget(checks.slice(i), budget);
        return undefined;
      }
      const pending = this.runCheck(checks[i]!, change, budget);
      if (pending) return pending.then(() => this.runChecksFrom(checks, i + 1, change, budget));
    }
    return undefined;
  }

  private overBudget(left: readonly Check[], budget: { spentMs: number; fileMs: number }): void {
    const basis = budget.fileMs > this.run.budgetMs ? "max-file-ms for each MB of its text" : "max-file-ms";
    const why = `its checks took ${groupDigits(budget.spentMs)} ms, over the ${groupDigits(budget.fileMs)} ms budget (${basis}), and ${left
      .map((c) => c.name)
      .join(", ")} did not run`;
    this.unreviewableOrNote("time-budget", why, "warning", `not fully analysed: ${why}`);
  }

  /** One check; a promise when the check returned one (its awaited time is not the file's budget). */
  private runCheck(check: Check, change: FileChange, budget: { spentMs: number }): Promise<void> | undefined {
    const { run, file } = this;
    const started = run.clock();
    let measured = false;
    try {
      if (check.kind === "snapshot") {
        if (!this.head) return undefined;
        const base = run.mode === "diff" ? this.base : undefined;
        this.findings.push(...runSnapshot(check, this.head, base, run.ctx, file.path));
      } else if (check.kind === "change") {
        const result = check.run(change, run.ctx);
        budget.spentMs += run.clock() - started;
        measured = true;
        if (isPromise(result))
          return result.then(
            (raw) => this.keep(raw),
            (e) => this.checkFailed(check, e),
          );
        this.keep(result);
      }
    } catch (e) {
      this.checkFailed(check, e);
    } finally {
      if (!measured) budget.spentMs += run.clock() - started;
    }
    return undefined;
  }

  private keep(raw: readonly RawFinding[]): void {
    for (const r of raw) this.findings.push({ ...r, path: r.path ?? this.file.path });
  }

  private checkFailed(check: Check, e: unknown): void {
    this.unreviewableOrNote(
      `check-failed:${check.name}`,
      `the check ${check.name} failed: ${firstLine(e)}`,
      "error",
      `check ${check.name} failed: ${firstLine(e)}`,
    );
  }

  /** Step 6: the file's inline suppressions, read only when it has findings. */
  inlineSuppressions(change: FileChange): InlineSuppression[] {
    if (this.findings.length === 0) return [];
    if (!this.head) return findInlineSuppressionsInHunks(change.hunks, this.file.path, this.run.notes);
    const found = findInlineSuppressions(this.head.lines, this.file.path);
    this.run.notes.push(...found.problems);
    return found.entries;
  }

  outcome(change: FileChange, inline: InlineSuppression[]): FileOutcome {
    // Only review-level checks look at a change after its file is done; keeping every file's text and
    // lines until the end made scanning a large tree spend its time in the garbage collector. A file
    // whose head could not be read is not theirs to judge (they would see its dependencies as gone).
    const keep =
      !this.headUnread &&
      this.run.reviewChecks.some(
        (c) => c.families === "all" || c.families.some((f) => change.families.includes(f)),
      );
    const findings = this.findings;
    return keep ? { findings, inline, change, analysed: true } : { findings, inline, analysed: true };
  }
}

function runSnapshot(
  check: Extract<Check, { kind: "snapshot" }>,
  head: TextVersion,
  base: TextVersion | undefined,
  ctx: CheckContext,
  path: string,
): Unfingerprinted[] {
  const headFindings = snapshotOrParseError(check, head, ctx);
  if (headFindings.length === 0 || !base) return headFindings.map((r) => ({ ...r, path }));
  const baseFindings = snapshotOrParseError(check, base, ctx);
  // New = present at head and not at base, compared by rule + anchor as a multiset,
  // so moving a line is not new while adding a second copy is.
  const remaining = new Map<string, number>();
  for (const b of baseFindings) {
    const key = `${b.ruleId}\u0000${b.anchor}`;
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const fresh: Unfingerprinted[] = [];
  for (const h of [...headFindings].sort((a, b) => a.line - b.line)) {
    const key = `${h.ruleId}\u0000${h.anchor}`;
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else fresh.push({ ...h, path });
  }
  return fresh;
}

function snapshotOrParseError(
  check: Extract<Check, { kind: "snapshot" }>,
  file: TextVersion,
  ctx: CheckContext,
): RawFinding[] {
  try {
    return check.run(file, ctx);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return [
      {
        ruleId: "meta/parse-error",
        line: Math.max(1, e.line),
        column: e.column,
        message: `${file.path} could not be parsed: ${e.message}`,
        anchor: `parse-error:${check.name}`,
      },
    ];
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** Line number → text of every line (a loop: no pair array per line). */
function lineMap(lines: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < lines.length; i++) out.set(i + 1, lines[i]!);
  return out;
}

/** One hunk that adds every line of the file. */
function wholeFileHunks(head: TextVersion): Hunk[] {
  const lines = head.lines;
  return [
    {
      oldStart: 0,
      oldLines: 0,
      newStart: 1,
      newLines: lines.length,
      lines: lines.map((text, i) => ({ kind: "add" as const, text, newLine: i + 1 })),
    },
  ];
}

async function computeHunks(head: TextVersion | undefined, base: TextVersion | undefined): Promise<Hunk[]> {
  if (!head) return [];
  if (!base) return wholeFileHunks(head);
  // The host gave no patch (too large) or it was unreadable: diff the two versions ourselves.
  const { structuredPatch } = await import("diff");
  const patch = structuredPatch("a", "b", base.text, head.text, "", "", {
    context: 3,
    maxEditLength: 50_000,
  });
  if (!patch) return multisetHunks(head, base);
  try {
    return fromJsdiffHunks(patch.hunks);
  } catch (e) {
    if (e instanceof PatchError) return multisetHunks(head, base);
    throw e;
  }
}

/** Fallback for pathological diffs: a head line is "added" when the base has fewer copies of it. */
function multisetHunks(head: TextVersion, base: TextVersion): Hunk[] {
  const counts = new Map<string, number>();
  for (const l of base.lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  const hunks: Hunk[] = [];
  head.lines.forEach((text, i) => {
    const left = counts.get(text) ?? 0;
    if (left > 0) counts.set(text, left - 1);
    else
      hunks.push({
        oldStart: 0,
        oldLines: 0,
        newStart: i + 1,
        newLines: 1,
        lines: [{ kind: "add", text, newLine: i + 1 }],
      });
  });
  return hunks;
}

/** The start of what a patch adds, to tell data from text. */
function patchSample(hunks: readonly Hunk[]): string {
  let out = "";
  for (const h of hunks) {
    for (const l of h.lines) {
      if (l.kind !== "add") continue;
      out += `${l.text}\n`;
      if (out.length >= 8000) return out;
    }
  }
  return out;
}

/** NUL bytes in patch lines separate what is on either side, as in a decoded file (`decodeContent`). */
function spaceNuls(lines: Map<number, string>): Map<number, string> {
  for (const [n, t] of lines) if (t.includes("\u0000")) lines.set(n, t.replaceAll("\u0000", " "));
  return lines;
}

/** An error's first line, bounded and without control characters: it may quote the file. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = (text.split("\n")[0] ?? "").replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || (e instanceof Error ? e.name : "error");
}

function stripCr(lines: Map<number, string>): Map<number, string> {
  for (const [n, t] of lines) if (t.endsWith("\r")) lines.set(n, t.slice(0, -1));
  return lines;
}

/** Without the head text, suppression comments can still be read from the patch (added and context lines). */
function findInlineSuppressionsInHunks(
  hunks: readonly Hunk[],
  path: string,
  notes: ReviewNote[],
): InlineSuppression[] {
  const out: InlineSuppression[] = [];
  for (const h of hunks) {
    for (const l of h.lines) {
      if (l.kind === "del" || !l.text.includes("tollgate:ignore")) continue;
      const found = findInlineSuppressions([l.text], path);
      for (const e of found.entries) out.push({ ...e, line: l.newLine! });
      for (const p of found.problems) notes.push({ ...p, line: l.newLine! });
    }
  }
  return out;
}
