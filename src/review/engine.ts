import { loadChecks } from "../checks/index.js";
import type { Check, CheckContext, FileChange, ReviewServices } from "../checks/types.js";
import { ParseError } from "../checks/types.js";
import {
  addedLines,
  type Hunk,
  hunksToPatch,
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
import { defaultConfig } from "./defaults.js";
import {
  familiesFromContent,
  familiesFromPath,
  isAmbiguousStructuredFile,
  isHelmTemplate,
} from "./families.js";
import { fileByteLimitForPath, isEnvFile } from "./file-limits.js";
import { assignFingerprints, type Unfingerprinted } from "./fingerprint.js";
import { loadRuleCatalog, type RuleCatalog, type RuleMeta } from "./rules.js";
import { scrubReview } from "./scrub.js";
import { findInlineSuppressions, type InlineSuppression, matchInline } from "./suppressions.js";
import {
  type ChangedFile,
  type ChangeSet,
  type DependencyChange,
  type ExternalSuppression,
  type Family,
  type Finding,
  type RawFinding,
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

/** The engine's own rule: a file that matters could not be read, so the change in it was not reviewed. */
export const UNREVIEWABLE_RULE_ID = "meta/unreviewable-file";

/** Used when a catalogue lacks the rule, so that a file that cannot be read still fails the check. */
const UNREVIEWABLE_FALLBACK = { id: UNREVIEWABLE_RULE_ID, severity: "high" } as RuleMeta;

const DEFAULT_MAX_TOTAL_BYTES = 200_000_000;
const DEFAULT_CONCURRENCY = 16;

interface FileOutcome {
  findings: Unfingerprinted[];
  inline: InlineSuppression[];
  change?: FileChange;
  analysed: boolean;
}

export async function runReview(changeSet: ChangeSet, options: ReviewOptions = {}): Promise<Review> {
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
  const reviewChecks = checks.filter((c) => c.kind === "review");
  const mode = options.mode ?? "diff";
  const maxTotal = options.limits?.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const notes: ReviewNote[] = [...(options.notes ?? [])];
  const dependencyChanges: DependencyChange[] = [];
  let bytesRead = 0;

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
  const sniffContent = wanted.has("k8s") || wanted.has("cfn");

  // Wall time of the synchronous check work only (awaits in between are not counted). Not CPU time:
  // process.cpuUsage() is a system call that cost a fifth of a large review when taken around every check.
  const clock = options.now ?? (() => performance.now());
  const budgetMs = config["max-file-ms"];

  const analyseFile = async (file: ChangedFile): Promise<FileOutcome> => {
    const skipped: FileOutcome = { findings: [], inline: [], analysed: false };
    if (ignore.some((m) => m.match(file.path))) return skipped;
    // `file.binary` is the host's or git's opinion, which a repository's own attributes can set:
    // the engine reads the bytes and decides for itself.
    let families = pathFamilies.get(file.path) ?? familiesFromPath(file.path);
    const envFile = isEnvFile(file.path);
    const limit = fileByteLimitForPath(config, file.path);
    const maxBytes = limit.bytes;
    const findings: Unfingerprinted[] = [];
    // A file that matters and cannot be read fails the check: a change must not hide by being unreadable.
    const matters = () => families.length > 0 || envFile;
    const unreviewable = (kind: string, why: string) => {
      findings.push({
        ruleId: UNREVIEWABLE_RULE_ID,
        line: 1,
        message: `${file.path} cannot be reviewed: ${why}.`,
        // By kind of reason, never by size or time: a file that stays unreviewable keeps its fingerprint.
        anchor: `unreviewable:${kind}`,
        path: file.path,
      });
    };
    const forFamilies = (fams: readonly Family[]) =>
      checks.filter((c) => c.families === "all" || c.families.some((f) => fams.includes(f)));

    let hunks: Hunk[] | undefined;
    if (file.patch !== undefined) {
      try {
        hunks = parsePatch(file.patch);
      } catch (e) {
        notes.push({
          level: "warning",
          path: file.path,
          message: `patch not readable (${(e as Error).message})`,
        });
      }
    }
    // A patch with NUL bytes (git diff --text of a binary-looking file): the bytes decide what it is.
    const patchHasNul = hunks !== undefined && file.patch!.includes("\u0000");

    const needsSniff = sniffContent && families.length === 0 && isAmbiguousStructuredFile(file.path);
    let applicable = forFamilies(families);
    const removed = file.status === "removed";
    let needText =
      needsSniff || hunks === undefined || applicable.some((c) => !(c.kind === "change" && c.linesOnly));
    if (removed && !applicable.some((c) => c.kind !== "snapshot")) return skipped;
    if (patchHasNul && !needText) {
      // Only secrets read this file, from the patch: the patch's own bytes say whether it is data.
      const decoded = decodeContent(patchSample(hunks!), Number.POSITIVE_INFINITY);
      if (decoded.kind === "binary") {
        notes.push({ level: "info", path: file.path, message: describeSkip(decoded, 0) });
        return skipped;
      }
      // UTF-16 lines are pairs of bytes in the patch: decode the file itself.
      if (decoded.kind === "text" && decoded.encoding) needText = true;
    }

    let head: TextVersion | undefined;
    let headRaw: string | undefined;
    let base: TextVersion | undefined;
    // Set when the head could not be read: only the added lines of the patch are checked.
    let headUnread = false;

    let readError: string | undefined;
    // The budget grows with the text checked, so a large but ordinary file (a monorepo's lockfile) is
    // reviewed in full while a blow-up — time growing faster than the input — still stops.
    let textBytes = 0;
    const load = async (which: "head" | "base"): Promise<Decoded> => {
      let content: Awaited<ReturnType<ChangedFile["loadHead"]>>;
      try {
        content = await (which === "head" ? file.loadHead() : file.loadBase());
      } catch (e) {
        const message = firstLine(e);
        if (which === "head") readError = message;
        else
          notes.push({
            level: "error",
            path: file.path,
            message: `could not read the base version: ${message}`,
          });
        return { kind: "missing" };
      }
      const decoded = decodeContent(content, maxBytes, which === "head" ? file.size : undefined);
      if (decoded.kind === "text") {
        bytesRead += decoded.bytes;
        textBytes = Math.max(textBytes, decoded.bytes);
      } else if (decoded.kind !== "missing") bytesRead += Math.min(decoded.bytes, maxBytes + 1);
      return decoded;
    };

    if (needText && !removed) {
      let decoded: Decoded;
      if (bytesRead > maxTotal) {
        decoded = { kind: "missing" };
        if (matters())
          unreviewable(
            "review-budget",
            `the review had already read its limit of ${formatBytes(maxTotal)} in other files of this change`,
          );
        else
          notes.push({
            level: "warning",
            path: file.path,
            message: "not analysed: the review reached its limit of bytes read",
          });
      } else if (file.size !== undefined && file.size > maxBytes && !needsSniff) {
        // The host gave the size: no need to read the bound's worth of bytes to learn it is too large.
        decoded = { kind: "too-large", bytes: file.size, exact: true };
      } else {
        decoded = await load("head");
      }
      if (decoded.kind === "text") {
        if (decoded.invalidUtf8) {
          const bad = decoded.text.split("\n").findIndex((l) => l.includes("\uFFFD"));
          notes.push({
            level: "warning",
            path: file.path,
            ...(bad >= 0 ? { line: bad + 1 } : {}),
            message: "not valid UTF-8 text: checked with the invalid bytes replaced (U+FFFD)",
          });
        }
        if (decoded.encoding) {
          notes.push({ level: "info", path: file.path, message: `read as ${decoded.encoding} text` });
          // The patch's lines are pairs of bytes: the added lines come from diffing the decoded versions.
          hunks = undefined;
        }
        headRaw = decoded.text;
        head = new TextVersion(file.path, decoded.text);
        if (needsSniff) {
          if (isHelmTemplate(file.path, head.text)) {
            notes.push({ level: "info", path: file.path, message: "Helm template, not plain YAML: skipped" });
          } else {
            families = familiesFromContent(file.path, head.text);
          }
          applicable = forFamilies(families);
        }
        if (decoded.firstNul !== undefined) {
          const where = `NUL bytes (the first at byte ${groupDigits(decoded.firstNul)})`;
          // A parser and the tool that consumes the file may read a NUL differently: fail closed. A file only
          // searched for secrets is fully read with each NUL as a separator.
          if (families.length > 0)
            unreviewable("binary", `it holds ${where}, so it is binary, not the text its tools read`);
          else
            notes.push({
              level: "warning",
              path: file.path,
              message: `holds ${where}: searched for secrets with each NUL read as a separator`,
            });
        }
      } else {
        if (needsSniff && decoded.kind === "too-large" && decoded.sample !== undefined) {
          families = familiesFromContent(file.path, decoded.sample);
        }
        if (decoded.kind === "missing") {
          if (readError !== undefined) {
            if (matters()) unreviewable("read-error", `its head version could not be read (${readError})`);
            else
              notes.push({
                level: "error",
                path: file.path,
                message: `could not read the head version: ${readError}`,
              });
          } else if (bytesRead <= maxTotal) {
            if (matters()) unreviewable("unavailable", "its content is unavailable");
            else notes.push({ level: "info", path: file.path, message: "content unavailable" });
          }
        } else if (matters()) {
          unreviewable(decoded.kind, describeUnreadable(decoded, maxBytes, limit.key));
        } else {
          notes.push({ level: "info", path: file.path, message: describeSkip(decoded, maxBytes, limit.key) });
        }
        // Without the head, the patch's added lines are still searched for secrets (any size)
        // — except in data that is binary, whose "lines" are noise.
        if (hunks === undefined || (decoded.kind === "binary" && !matters())) {
          return { findings, inline: [], analysed: findings.length > 0 };
        }
        headUnread = true;
        applicable = applicable.filter((c) => c.kind === "change" && c.linesOnly);
      }
    }

    const needBase =
      !headUnread &&
      mode === "diff" &&
      file.status !== "added" &&
      applicable.some((c) => c.kind !== "change" || !c.linesOnly);
    if (needBase || (hunks === undefined && mode === "diff" && file.status !== "added")) {
      const basePath = file.previousPath ?? file.path;
      if (headRaw !== undefined && hunks !== undefined && !patchHasNul) {
        const rebuilt = hunks.length === 0 ? headRaw : reverseApply(headRaw, hunks);
        if (rebuilt !== null) base = new TextVersion(basePath, rebuilt);
      }
      if (!base && bytesRead <= maxTotal) {
        const decoded = await load("base");
        if (decoded.kind === "text") base = new TextVersion(basePath, decoded.text);
        else if (decoded.kind !== "missing") {
          // Without a base every finding at head counts as new: the base state never excuses the change.
          notes.push({
            level: "info",
            path: file.path,
            message: `base version: ${describeSkip(decoded, maxBytes, limit.key)}`,
          });
        }
      }
    }

    // A whole file counts as added (scan mode, an added file): its added lines are its lines, and the
    // one all-added hunk, which no check reads, is built only if asked for (scanning a tree spent its
    // time collecting per-line hunk objects).
    const wholeFile =
      hunks === undefined && head !== undefined && (mode === "scan" || file.status === "added" || !base);
    let change: FileChange;
    if (wholeFile && head) {
      const version = head;
      let lazy: Hunk[] | undefined;
      change = {
        path: file.path,
        previousPath: file.previousPath,
        status: file.status,
        families,
        head,
        base,
        get hunks() {
          lazy ??= wholeFileHunks(version);
          return lazy;
        },
        added: lineMap(version.lines),
        removed: new Map(),
      };
    } else {
      if (hunks === undefined) hunks = await computeHunks(head, base);
      const added = stripCr(addedLines(hunks));
      const removedLines_ = stripCr(removedLines(hunks));
      change = {
        path: file.path,
        previousPath: file.previousPath,
        status: file.status,
        families,
        head,
        base,
        hunks,
        added: patchHasNul ? spaceNuls(added) : added,
        removed: patchHasNul ? spaceNuls(removedLines_) : removedLines_,
      };
    }

    // Checks are synchronous, so the budget is kept between them: the time each one took is summed
    // and, once past the budget, the rest do not run and the file is reported.
    let spentMs = 0;
    const fileBudgetMs = Math.round(budgetMs * Math.max(1, textBytes / BUDGET_BYTES));
    const run = applicable.filter((c) => c.kind !== "review");
    for (let i = 0; i < run.length; i++) {
      const check = run[i]!;
      if (spentMs > fileBudgetMs) {
        const basis = fileBudgetMs > budgetMs ? "max-file-ms for each MB of its text" : "max-file-ms";
        const why = `its checks took ${groupDigits(spentMs)} ms, over the ${groupDigits(fileBudgetMs)} ms budget (${basis}), and ${run
          .slice(i)
          .map((c) => c.name)
          .join(", ")} did not run`;
        if (matters()) unreviewable("time-budget", why);
        else notes.push({ level: "warning", path: file.path, message: `not fully analysed: ${why}` });
        break;
      }
      const started = clock();
      let measured = false;
      try {
        if (check.kind === "snapshot") {
          if (!head) continue;
          findings.push(...runSnapshot(check, head, mode === "diff" ? base : undefined, ctx, file.path));
        } else {
          const pending = check.run(change, ctx);
          spentMs += clock() - started;
          measured = true;
          const raw = await pending;
          for (const r of raw) findings.push({ ...r, path: r.path ?? file.path });
        }
      } catch (e) {
        if (matters())
          unreviewable(`check-failed:${check.name}`, `the check ${check.name} failed: ${firstLine(e)}`);
        else
          notes.push({
            level: "error",
            path: file.path,
            message: `check ${check.name} failed: ${firstLine(e)}`,
          });
      } finally {
        if (!measured) spentMs += clock() - started;
      }
    }

    let inline: InlineSuppression[] = [];
    if (findings.length > 0) {
      const lines = head ? head.lines : [...change.added.values()];
      if (head) {
        const found = findInlineSuppressions(lines, file.path);
        inline = found.entries;
        notes.push(...found.problems);
      } else {
        inline = findInlineSuppressionsInHunks(change.hunks, file.path, notes);
      }
    }
    // Only review-level checks look at a change after its file is done; keeping every file's text and
    // lines until the end made scanning a large tree spend its time in the garbage collector. A file
    // whose head could not be read is not theirs to judge (they would see its dependencies as gone).
    const keep =
      !headUnread &&
      reviewChecks.some((c) => c.families === "all" || c.families.some((f) => change.families.includes(f)));
    return keep ? { findings, inline, change, analysed: true } : { findings, inline, analysed: true };
  };

  const outcomes = await mapBounded(
    changeSet.files,
    options.limits?.concurrency ?? DEFAULT_CONCURRENCY,
    analyseFile,
  );

  // Review-level checks see every analysed change of their families at once.
  const raws: Unfingerprinted[] = outcomes.flatMap((o) => o.findings);
  const changes = outcomes.flatMap((o) => (o.change ? [o.change] : []));
  for (const check of checks) {
    if (check.kind !== "review") continue;
    const mine = changes.filter(
      (c) => check.families === "all" || c.families.some((f) => check.families.includes(f)),
    );
    if (mine.length === 0) continue;
    try {
      const raw = await check.run(mine, ctx);
      for (const r of raw) {
        if (!r.path) throw new Error(`finding ${r.ruleId} has no path`);
        raws.push({ ...r, path: r.path });
      }
    } catch (e) {
      notes.push({ level: "error", message: `check ${check.name} failed: ${(e as Error).message}` });
    }
  }

  const inlineByPath = new Map<string, InlineSuppression[]>();
  changeSet.files.forEach((f, i) => {
    inlineByPath.set(f.path, outcomes[i]!.inline);
  });

  const resolveId = (id: string) => catalog.get(id)?.id;
  const settings = new Map<string, "off" | Severity>();
  for (const [id, setting] of Object.entries(config.rules)) settings.set(resolveId(id) ?? id, setting);

  const withSeverity: Array<Unfingerprinted & { severity: Severity }> = [];
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
    withSeverity.push({ ...raw, ruleId: meta.id, severity, ...(fix ? { fix } : {}) });
  }

  const all = assignFingerprints(withSeverity);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const inlineAllowed = config["inline-suppressions"] === "allow";
  for (const f of all) {
    const external = options.suppressions?.find((s) => externalMatches(s, f, resolveId));
    if (external) {
      suppressed.push({
        ...f,
        suppression: {
          kind: "command",
          reason: external.reason,
          by: external.by,
          at: external.at,
          url: external.url,
          commentId: external.commentId,
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
      notes.push({
        level: "info",
        path: f.path,
        line: inline.line,
        message: `inline suppression of ${f.ruleId} ignored: this repository sets inline-suppressions: deny`,
      });
    }
    findings.push(f);
  }

  if (mode === "diff") await markFixtures(findings, config.paths.fixtures, config["fail-on"], notes);
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
      bytesRead,
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
  const { minimatch } = await import("minimatch");
  const matchers = globs.map((g) => new minimatch.Minimatch(g, { dot: true }));
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

/** Each megabyte of a file's text earns one max-file-ms of checking. */
const BUDGET_BYTES = 1_000_000;

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
  const text = hunksToPatch(patch.hunks);
  try {
    return parsePatch(text);
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
