import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileChange } from "../types.js";
import { clip, depLabel } from "./describe.js";
import { type Dependency, type DependencyDiff, dependencyView } from "./model.js";

/**
 * The same package at the same version cannot honestly get other bytes: a
 * changed or deleted integrity hash on an unchanged version is how a lockfile
 * is tampered with (the tarball swapped, or the check switched off), and it
 * hides in thousands of lines nobody reads. Moving to a stronger algorithm
 * (npm rewriting sha1 as sha512) is not a change of content and is not reported.
 *
 * The finding sits on the line that holds the new hash (the removed one, on
 * the base side, when the hash was deleted): that is the line the diff shows,
 * while the entry's first line is often outside the hunk.
 */
export const lockfileIntegrityChanged = defineCheck({
  kind: "change",
  name: "deps/lockfile-integrity-changed",
  families: ["deps"],
  rules: ["deps/lockfile-integrity-changed"],
  run(change, ctx) {
    const out: RawFinding[] = [];
    const { findings, cacheKeys } = integrityFindings(change);
    for (const f of findings) out.push(f.finding);
    if (cacheKeys) {
      ctx.note({
        level: "info",
        path: change.path,
        message: `the Yarn cache key changed from ${clip(cacheKeys.from, 20)} to ${clip(cacheKeys.to, 20)} (a Yarn upgrade rewrites every checksum), so checksums were not compared; run \`yarn install --immutable --check-cache\` to verify the packages against the registry`,
      });
    }
    return out;
  },
});

interface IntegrityFinding {
  diff: DependencyDiff;
  finding: RawFinding;
}

interface IntegrityReport {
  findings: IntegrityFinding[];
  /** Set when the lockfile's checksum scheme changed (Yarn cache key 8 → 10c0) and nothing was compared. */
  cacheKeys?: { from: string; to: string };
}

const reports = new WeakMap<FileChange, IntegrityReport>();

/**
 * The integrity findings of one change, computed once: the check reports
 * them, and the dependency table flags the rows they belong to (a finding on
 * the hash line is not on the row's line).
 */
export function integrityFindings(change: FileChange): IntegrityReport {
  const cached = reports.get(change);
  if (cached) return cached;
  const report: IntegrityReport = { findings: [] };
  const view = dependencyView(change);
  for (const diff of view.diffs) {
    if (diff.kind !== "changed" || !diff.before || !diff.after) continue;
    const { before, after } = diff;
    if ((before.version ?? before.range) !== (after.version ?? after.range)) continue;
    const result = integrityChange(before, after);
    if (!result) continue;
    if (result.verdict === "incomparable") {
      report.cacheKeys ??= { from: result.from, to: result.to };
      continue;
    }
    const { verdict, token, file } = result;
    const what =
      verdict === "removed"
        ? "lost its integrity hash"
        : verdict === "weakened"
          ? "now has only a weaker integrity hash"
          : file
            ? `has a different hash for \`${clip(file, 120)}\``
            : "has a different integrity hash";
    const where =
      verdict === "removed"
        ? locate(change.base?.lines, view.base?.dependencies, before, token, "LEFT")
        : locate(change.head?.lines, view.head?.dependencies, after, token, "RIGHT");
    report.findings.push({
      diff,
      finding: {
        ruleId: "deps/lockfile-integrity-changed",
        line: where?.line ?? after.line,
        ...(where?.side === "LEFT" ? { side: "LEFT" as const } : {}),
        message: `${depLabel(after)} ${what} for the same version: the lockfile no longer verifies the package that was reviewed before. Regenerate it from the registry and compare.`,
        // The package's identity and what became of its hash: the same wherever the entry moves.
        anchor: `${after.key}@${after.version ?? after.range ?? ""}:${verdict}:${clip(after.integrity ?? "", 120)}`,
        evidence: after.integrity ? clip(after.integrity, 120) : undefined,
      },
    });
  }
  reports.set(change, report);
  return report;
}

/** Lines searched after an entry's first line for its hash (an entry is a few dozen lines at most). */
const MAX_ENTRY_LINES = 400;

/**
 * The line of `token`'s digest inside the entry that starts at `dep.line` (up
 * to the next dependency's line), or undefined when it is not written there
 * (a digest the parser rebuilt, an entry on one line).
 */
function locate(
  lines: readonly string[] | undefined,
  deps: readonly Dependency[] | undefined,
  dep: Dependency,
  token: string,
  side: "LEFT" | "RIGHT",
): { line: number; side: "LEFT" | "RIGHT" } | undefined {
  if (!lines) return undefined;
  const digest = digestOf(token);
  if (digest.length < 6) return undefined;
  let end = Math.min(lines.length, dep.line - 1 + MAX_ENTRY_LINES);
  const next = nextEntryLine(deps, dep.line);
  if (next !== undefined && next - 1 < end) end = next - 1;
  for (let i = dep.line - 1; i < end; i++) {
    if (lines[i]!.includes(digest)) return { line: i + 1, side };
  }
  return undefined;
}

const entryLines = new WeakMap<readonly Dependency[], number[]>();

/** The first line of the next entry after `line` (a sorted copy of the entry lines, made once per file). */
function nextEntryLine(deps: readonly Dependency[] | undefined, line: number): number | undefined {
  if (!deps) return undefined;
  let sorted = entryLines.get(deps);
  if (!sorted) {
    sorted = deps.map((d) => d.line).sort((a, b) => a - b);
    entryLines.set(deps, sorted);
  }
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= line) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

/** The digest as the file spells it: without a `sha256:` / `h1:` prefix or a Yarn `10c0/` cache key. */
function digestOf(token: string): string {
  const keyed = /^\w+\/(.+)$/.exec(token);
  if (keyed) return keyed[1]!;
  const prefixed = /^[a-z][a-z0-9]*:(.+)$/i.exec(token);
  return prefixed ? prefixed[1]! : token;
}

export type IntegrityVerdict =
  | { verdict: "removed" | "changed" | "weakened"; token: string; file?: string }
  | { verdict: "incomparable"; from: string; to: string };

/**
 * How the integrity of one package at one version changed between base and
 * head, or undefined when the head still verifies the same content:
 * - `incomparable`: the checksum scheme itself changed (Yarn cache key `8` → `10c0`);
 * - per distribution file where the lockfile names files (poetry.lock, uv.lock):
 *   a file whose hash differs;
 * - otherwise per algorithm: a digest removed while another is added (`{a,b}` →
 *   `{b,c}`), or every digest gone; pure additions (a new wheel's hash) pass.
 * `token` is the digest to point at: the new one, or the removed one.
 */
export function integrityChange(before: Dependency, after: Dependency): IntegrityVerdict | undefined {
  if (!before.integrity) return undefined;
  if (!after.integrity) return { verdict: "removed", token: firstToken(before.integrity) };
  const keyBefore = cacheKeyOf(before.integrity);
  const keyAfter = cacheKeyOf(after.integrity);
  if (keyBefore !== keyAfter)
    return { verdict: "incomparable", from: keyBefore ?? "none", to: keyAfter ?? "none" };
  if (before.fileHashes && after.fileHashes) {
    const old = new Map<string, string[]>();
    for (const [file, hash] of before.fileHashes) old.set(file, [...(old.get(file) ?? []), hash]);
    let common = 0;
    for (const [file, hash] of after.fileHashes) {
      const was = old.get(file);
      if (!was) continue;
      common++;
      const v = compareIntegrity(was.join(" "), hash);
      if (v) return { verdict: v.verdict, token: v.token, file };
    }
    if (common > 0) return undefined;
  }
  return compareIntegrity(before.integrity, after.integrity);
}

function firstToken(s: string): string {
  return s.split(/\s+/).find(Boolean) ?? s;
}

/** The Yarn berry cache key of a checksum (`10c0/…` → `10c0`); undefined for other formats. */
function cacheKeyOf(integrity: string): string | undefined {
  return /^(\w+)\//.exec(firstToken(integrity))?.[1];
}

const STRENGTH: Record<string, number> = { md5: 1, sha1: 2, sha256: 3, h1: 3, sha384: 4, sha512: 5 };

/** The hashing algorithm of one integrity token: `sha512-…`, `sha256:…`, `h1:…`; `plain` for a bare hex digest. */
function algorithm(token: string): string {
  return /^([a-z][a-z0-9]*)[-:]/i.exec(token)?.[1]?.toLowerCase() ?? "plain";
}

/**
 * How a set of digests changed, or undefined when the head still verifies the
 * same content: for each algorithm both versions use, a base digest that is
 * gone while a new one appears is a swap (new hashes may be added beside old
 * ones, and dropping one of several narrows what is accepted).
 */
export function compareIntegrity(
  before: string | undefined,
  after: string | undefined,
): { verdict: "removed" | "changed" | "weakened"; token: string } | undefined {
  if (!before) return undefined;
  if (!after) return { verdict: "removed", token: firstToken(before) };
  const byAlgo = (s: string) => {
    const m = new Map<string, Set<string>>();
    for (const t of s.split(/\s+/).filter(Boolean)) {
      const a = algorithm(t);
      if (!m.has(a)) m.set(a, new Set());
      m.get(a)!.add(t);
    }
    return m;
  };
  const b = byAlgo(before);
  const a = byAlgo(after);
  let common = 0;
  for (const [algo, tokens] of b) {
    const next = a.get(algo);
    if (!next) continue;
    common++;
    const removed = [...tokens].some((t) => !next.has(t));
    const added = [...next].find((t) => !tokens.has(t));
    if (removed && added) return { verdict: "changed", token: added };
  }
  if (common > 0) return undefined;
  const strongest = (m: Map<string, Set<string>>) =>
    Math.max(0, ...[...m.keys()].map((k) => STRENGTH[k] ?? 3));
  return strongest(a) < strongest(b) ? { verdict: "weakened", token: firstToken(after) } : undefined;
}
