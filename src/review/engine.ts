import { loadChecks } from "../checks/index.js";
import type { Check, CheckContext, ReviewServices } from "../checks/types.js";
import type { Config } from "./config.js";
import { defaultConfig } from "./defaults.js";
import { familiesFromPath, isAmbiguousStructuredFile } from "./families.js";
import { analyseFile, type FileOutcome, type ReviewRun, UNREVIEWABLE_RULE_ID } from "./file-analysis.js";
import { assignFingerprints, type Unfingerprinted } from "./fingerprint.js";
import { loadRuleCatalog, type RuleCatalog, type RuleMeta } from "./rules.js";
import { scrubReview } from "./scrub.js";
import { type InlineSuppression, matchInline } from "./suppressions.js";
import {
  type ChangeSet,
  type DependencyChange,
  type ExternalSuppression,
  type Family,
  type Finding,
  type Review,
  type ReviewNote,
  SEVERITIES,
  type Severity,
  type SuppressedFinding,
} from "./types.js";
import { atOrAbove, computeVerdict } from "./verdict.js";

/**
 * The review engine: ChangeSet + Config → Review. Pure apart from the content
 * loaders and services it is handed; it never fetches, executes or writes.
 *
 * `runReview` is a sequence of named steps: set up the run (configuration,
 * catalogue, the checks the change's families need), analyse every file
 * (file-analysis.ts: load and decode, decide unreviewable, build the change,
 * run the checks within the time budget — diff-awareness is there: snapshot
 * checks keep what is new at head), run the review-level checks, give each
 * finding its severity and fingerprint, apply suppressions, then the verdict.
 */

export interface ReviewOptions {
  config?: Config;
  /** `diff` (default) reports what the change introduces; `scan` treats every line as new. */
  mode?: "diff" | "scan";
  catalog?: RuleCatalog;
  checks?: readonly Check[];
  services?: ReviewServices;
  /** Suppressions from outside the files (slash commands). */
  suppressions?: readonly ExternalSuppression[];
  /** Notes from outside the files (slash commands that could not be applied), reported with the review's own. */
  notes?: readonly ReviewNote[];
  limits?: {
    /** Total bytes the review may read before it stops analysing further files. */
    maxTotalBytes?: number;
    /** Files loaded at once. */
    concurrency?: number;
  };
  /** Milliseconds now, for the per-file time budget (`max-file-ms`); tests inject a clock. */
  now?: () => number;
}

export { UNREVIEWABLE_RULE_ID };

/** Used when a catalogue lacks the rule, so that a file that cannot be read still fails the check. */
const UNREVIEWABLE_FALLBACK = { id: UNREVIEWABLE_RULE_ID, severity: "high" } as RuleMeta;

const DEFAULT_MAX_TOTAL_BYTES = 200_000_000;
const DEFAULT_CONCURRENCY = 16;

interface Run extends ReviewRun {
  catalog: RuleCatalog;
  dependencyChanges: DependencyChange[];
}

export async function runReview(changeSet: ChangeSet, options: ReviewOptions = {}): Promise<Review> {
  const run = await startRun(changeSet, options);
  const outcomes = await mapBounded(
    changeSet.files,
    options.limits?.concurrency ?? DEFAULT_CONCURRENCY,
    (file) => analyseFile(run, file),
  );
  const raws = outcomes.flatMap((o) => o.findings);
  raws.push(...(await runReviewChecks(run, outcomes)));

  const inlineByPath = new Map<string, InlineSuppression[]>();
  changeSet.files.forEach((f, i) => {
    inlineByPath.set(f.path, outcomes[i]!.inline);
  });
  const { config, catalog, notes, mode } = run;
  const resolveId = (id: string) => catalog.get(id)?.id;
  const all = assignFingerprints(withSeverities(raws, run, resolveId));
  const { findings, suppressed } = applySuppressions(all, inlineByPath, run, options.suppressions, resolveId);

  if (mode === "diff") await markFixtures(findings, config.paths.fixtures, config["fail-on"], notes);
  return finishReview(changeSet, run, outcomes, findings, suppressed);
}

/** Step 1: configuration, catalogue, the checks this change's families need, and the run's shared state. */
async function startRun(changeSet: ChangeSet, options: ReviewOptions): Promise<Run> {
  const config = options.config ?? defaultConfig;
  const catalog = options.catalog ?? (await loadRuleCatalog());
  // The glob library loads only for a configuration that has globs (start-up time).
  const ignore =
    config.paths.ignore.length === 0
      ? []
      : await import("minimatch").then(({ minimatch }) =>
          config.paths.ignore.map((g) => new minimatch.Minimatch(g, { dot: true })),
        );
  const pathFamilies = new Map<string, Family[]>();
  for (const f of changeSet.files) pathFamilies.set(f.path, familiesFromPath(f.path));
  // Structured files no path claims may be Kubernetes or CloudFormation: their families load when sniffed.
  const anySniffable = changeSet.files.some(
    (f) => pathFamilies.get(f.path)!.length === 0 && isAmbiguousStructuredFile(f.path),
  );
  const checks =
    options.checks ??
    (await loadChecks([
      ...new Set([...pathFamilies.values()].flat()),
      ...(anySniffable ? (["k8s", "cfn"] as Family[]) : []),
    ]));
  const mode = options.mode ?? "diff";
  const notes: ReviewNote[] = [...(options.notes ?? [])];
  const dependencyChanges: DependencyChange[] = [];
  const ctx: CheckContext = {
    config,
    catalog,
    mode,
    services: options.services ?? {},
    note: (n) => notes.push(n),
    dependencyChange: (c) => dependencyChanges.push(c),
  };
  if (changeSet.truncated) {
    notes.push({
      level: "warning",
      message: `Only ${changeSet.truncated.listed} files were reviewed: ${changeSet.truncated.reason}`,
    });
  }
  const wanted = new Set<Family>(checks.flatMap((c) => (c.families === "all" ? [] : c.families)));
  return {
    config,
    catalog,
    mode,
    checks,
    reviewChecks: checks.filter((c) => c.kind === "review"),
    ignore,
    pathFamilies,
    sniffContent: wanted.has("k8s") || wanted.has("cfn"),
    maxTotal: options.limits?.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
    notes,
    dependencyChanges,
    ctx,
    // Wall time of the synchronous check work only (awaits in between are not counted). Not CPU time:
    // process.cpuUsage() is a system call that cost a fifth of a large review when taken around every check.
    clock: options.now ?? (() => performance.now()),
    budgetMs: config["max-file-ms"],
    bytesRead: 0,
  };
}

/** Step 3: review-level checks see every analysed change of their families at once. */
async function runReviewChecks(run: Run, outcomes: readonly FileOutcome[]): Promise<Unfingerprinted[]> {
  const out: Unfingerprinted[] = [];
  const changes = outcomes.flatMap((o) => (o.change ? [o.change] : []));
  for (const check of run.checks) {
    if (check.kind !== "review") continue;
    const mine = changes.filter(
      (c) => check.families === "all" || c.families.some((f) => check.families.includes(f)),
    );
    if (mine.length === 0) continue;
    try {
      const raw = await check.run(mine, run.ctx);
      for (const r of raw) {
        if (!r.path) throw new Error(`finding ${r.ruleId} has no path`);
        out.push({ ...r, path: r.path });
      }
    } catch (e) {
      run.notes.push({ level: "error", message: `check ${check.name} failed: ${(e as Error).message}` });
    }
  }
  return out;
}

/**
 * Step 4: each finding's severity, from the configuration over the finding over the catalogue (`off`
 * drops it), and the rule's fix where the finding has none.
 */
function withSeverities(
  raws: readonly Unfingerprinted[],
  run: Run,
  resolveId: (id: string) => string | undefined,
): Array<Unfingerprinted & { severity: Severity }> {
  const { catalog, config, notes } = run;
  const settings = new Map<string, "off" | Severity>();
  for (const [id, setting] of Object.entries(config.rules)) settings.set(resolveId(id) ?? id, setting);
  const out: Array<Unfingerprinted & { severity: Severity }> = [];
  for (const raw of raws) {
    const meta =
      catalog.get(raw.ruleId) ?? (raw.ruleId === UNREVIEWABLE_RULE_ID ? UNREVIEWABLE_FALLBACK : undefined);
    if (!meta) {
      notes.push({ level: "error", path: raw.path, message: `internal: unknown rule id ${raw.ruleId}` });
      continue;
    }
    const setting = settings.get(meta.id);
    if (setting === "off") continue;
    if (setting === undefined && meta.severity === "off") continue;
    const severity: Severity =
      setting ?? raw.severity ?? (meta.severity === "off" ? meta["enabled-severity"]! : meta.severity);
    // The rule's one-line fix, filled here once: a finding's own fix (naming the version to pin) wins.
    const fix = raw.fix ?? meta.fix;
    out.push({ ...raw, ruleId: meta.id, severity, ...(fix ? { fix } : {}) });
  }
  return out;
}

/** Step 5: suppressions — a command's first, then an inline comment's (when the repository allows them). */
function applySuppressions(
  all: readonly Finding[],
  inlineByPath: ReadonlyMap<string, InlineSuppression[]>,
  run: Run,
  external: readonly ExternalSuppression[] | undefined,
  resolveId: (id: string) => string | undefined,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const inlineAllowed = run.config["inline-suppressions"] === "allow";
  for (const f of all) {
    const command = external?.find((s) => externalMatches(s, f, resolveId));
    if (command) {
      suppressed.push({
        ...f,
        suppression: {
          kind: "command",
          reason: command.reason,
          by: command.by,
          at: command.at,
          url: command.url,
          commentId: command.commentId,
        },
      });
      continue;
    }
    // A comment in the very file that could not be read does not excuse it: a command or the config can.
    const inline =
      f.ruleId === UNREVIEWABLE_RULE_ID
        ? undefined
        : matchInline(f, inlineByPath.get(f.path) ?? [], resolveId);
    if (inline && inlineAllowed) {
      suppressed.push({
        ...f,
        suppression: { kind: "inline", scope: inline.scope, line: inline.line, reason: inline.reason },
      });
      continue;
    }
    if (inline && !inlineAllowed) {
      run.notes.push({
        level: "info",
        path: f.path,
        line: inline.line,
        message: `inline suppression of ${f.ruleId} ignored: this repository sets inline-suppressions: deny`,
      });
    }
    findings.push(f);
  }
  return { findings, suppressed };
}

/** Step 6: a stable order, the verdict and the stats, and no secret in any string of the review. */
async function finishReview(
  changeSet: ChangeSet,
  run: Run,
  outcomes: readonly FileOutcome[],
  findings: Finding[],
  suppressed: SuppressedFinding[],
): Promise<Review> {
  const { notes, dependencyChanges, config } = run;
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  // Files are analysed concurrently; notes are sorted so every run prints the same report.
  notes.sort((a, b) => byCodePoint(a.path ?? "", b.path ?? "") || (a.line ?? 0) - (b.line ?? 0));
  // The dependency table follows the change's file order; the sort is stable, so each file keeps its own.
  const fileOrder = new Map(changeSet.files.map((f, i) => [f.path, i]));
  const orderOf = (path: string) => fileOrder.get(path) ?? changeSet.files.length;
  dependencyChanges.sort((a, b) => orderOf(a.path) - orderOf(b.path));
  // Never echo a secret: whatever a check quoted, no credential leaves the engine unredacted.
  const { scanLine } = await import("../checks/secrets/scanner.js");
  // Every string of the review, whichever field holds it (paths and dependency versions too).
  const review: Review = {
    findings,
    suppressed,
    errors: notes,
    verdict: computeVerdict(findings, notes, config["fail-on"]),
    stats: {
      filesInChange: changeSet.files.length,
      filesAnalysed: outcomes.filter((o) => o.analysed).length,
      filesSkipped: outcomes.filter((o) => !o.analysed).length,
      bytesRead: run.bytesRead,
    },
    dependencyChanges,
  };
  return scrubReview(review, (line) => scanLine(line));
}

/**
 * Rules that still fail the check in a test-fixture path: a credential leaks wherever it is pasted
 * (secrets keep their own `secrets.test-paths` policy), and test code runs in CI, so hidden
 * characters in it are as dangerous as anywhere.
 */
const FIXTURE_EXEMPT = (ruleId: string) =>
  ruleId.startsWith("secrets/") || ruleId === "meta/invisible-characters";

/**
 * Findings in test-fixture paths are reported but do not fail the check: a scanner's own test data or a
 * deliberately bad fixture is not what the change ships. One note says how many, so nothing is silent.
 */
async function markFixtures(
  findings: Finding[],
  globs: readonly string[],
  failOn: Severity,
  notes: ReviewNote[],
): Promise<void> {
  if (globs.length === 0 || findings.length === 0) return;
  const matchers = await fixtureMatchers(globs);
  let count = 0;
  let wouldBlock = 0;
  for (const f of findings) {
    if (FIXTURE_EXEMPT(f.ruleId) || !matchers.some((m) => m.match(f.path))) continue;
    f.fixture = true;
    count++;
    if (atOrAbove(f.severity, failOn)) wouldBlock++;
  }
  if (count === 0) return;
  notes.push({
    level: "info",
    message: `${count} finding${count === 1 ? " is" : "s are"} in test-fixture paths (paths.fixtures): reported, but ${count === 1 ? "it does" : "they do"} not fail the check${wouldBlock > 0 ? ` (${wouldBlock} would have)` : ""}.`,
  });
}

/**
 * A configuration's fixture globs, compiled once: a process reviewing many small changes (the app, a
 * benchmark of 50 one-file reviews) compiled them, and resolved the glob library's import, for every
 * review with findings — about 3% of reviewing one CircleCI config. Keyed weakly by the configuration's
 * own array, so a configuration that is dropped takes its matchers with it.
 */
const compiledFixtures = new WeakMap<readonly string[], Promise<Array<{ match(path: string): boolean }>>>();

function fixtureMatchers(globs: readonly string[]): Promise<Array<{ match(path: string): boolean }>> {
  let compiled = compiledFixtures.get(globs);
  if (!compiled) {
    compiled = import("minimatch").then(({ minimatch }) =>
      globs.map((g) => new minimatch.Minimatch(g, { dot: true })),
    );
    compiledFixtures.set(globs, compiled);
  }
  return compiled;
}

function externalMatches(
  s: ExternalSuppression,
  f: Finding,
  resolveId: (id: string) => string | undefined,
): boolean {
  if (s.onlyBelow && atOrAbove(f.severity, s.onlyBelow)) return false;
  // A fingerprint names one finding, but only of the rule the command named: a recorded fingerprint never widens it.
  if (s.ruleId !== "*" && resolveId(s.ruleId) !== f.ruleId) return false;
  if (s.fingerprint) return s.fingerprint === f.fingerprint;
  if (s.path && s.path !== f.path) return false;
  if (s.line !== undefined && s.line !== f.line) return false;
  return true;
}

/** Locale-independent, so reports sort the same on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    byCodePoint(a.path, b.path) ||
    a.line - b.line ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    byCodePoint(a.ruleId, b.ruleId)
  );
}

async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
