import { posix } from "node:path";

/**
 * Whether an `actions/upload-artifact` `path:` can take a checkout's `.git`
 * directory with it. The patterns follow @actions/glob, which upload-artifact
 * uses: `*`, `?`, `[…]` within a segment, `**` across segments, dot-files
 * matched by wildcards, `!` lines excluding, and every match taking its
 * descendants with it (so `.` and `dist/..` upload the whole workspace).
 * A pattern built from an expression other than `github.workspace`, or an
 * absolute path, names a directory this file cannot place: it is not counted.
 */

/** Bounds on what an author controls: lines of `path:` and segments of one pattern. */
const MAX_PATTERNS = 200;
const MAX_SEGMENTS = 64;
const MAX_PATTERN_CHARS = 1_000;

/** A stand-in for the runner's workspace, so `..` resolves to something above it. */
const WORKSPACE = "/__workspace__/repo";

const GITHUB_WORKSPACE = /^\$\{\{\s*github\.workspace\s*\}\}/i;

/** The workspace-relative checkout directory, or undefined when an expression hides it. */
export function checkoutDir(path: string | undefined): string | undefined {
  const text = (path ?? "").trim().replace(GITHUB_WORKSPACE, "");
  if (text.includes("${{") || text.startsWith("/") || text.startsWith("~")) return undefined;
  return text.length > MAX_PATTERN_CHARS ? undefined : text;
}

/**
 * The first `path:` line that uploads `<checkout>/.git`, unless a `!` line
 * excludes it; undefined when none does. An unknown checkout directory is
 * matched only by patterns that cover every top-level directory.
 */
export function uploadsGitDir(pathInput: string, checkout: string | undefined): string | undefined {
  const target = segments(posix.join(WORKSPACE, checkout ?? "\u0000unknown", ".git", "config"));
  let hit: string | undefined;
  for (const raw of pathInput.split("\n").slice(0, MAX_PATTERNS)) {
    const line = raw.trim();
    if (!line || line.length > MAX_PATTERN_CHARS) continue;
    const negated = line.startsWith("!");
    const pattern = resolve(negated ? line.slice(1).trim() : line);
    if (!pattern || !coversPrefix(pattern, target)) continue;
    if (negated) return undefined;
    hit ??= line;
  }
  return hit;
}

function resolve(pattern: string): string[] | undefined {
  const text = pattern.replace(GITHUB_WORKSPACE, "");
  if (text.includes("${{") || text.startsWith("~")) return undefined;
  // An absolute path other than the workspace expression: which directory it is depends on the runner.
  if (text.startsWith("/") && !GITHUB_WORKSPACE.test(pattern)) return undefined;
  const parts = segments(posix.join(WORKSPACE, text.replace(/^\/+/, "")));
  return parts.length > MAX_SEGMENTS ? undefined : parts;
}

function segments(path: string): string[] {
  return posix
    .normalize(path)
    .split("/")
    .filter((s) => s !== "");
}

/** Does the pattern match `target` or a directory above it (a match takes its descendants)? */
function coversPrefix(pattern: string[], target: string[]): boolean {
  // The file-system root holds everything.
  if (pattern.length === 0) return true;
  // reach[j]: the pattern so far can match exactly the first j target segments.
  let reach = new Array<boolean>(target.length + 1).fill(false);
  reach[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(target.length + 1).fill(false);
    for (let j = 0; j <= target.length; j++) {
      if (!reach[j]) continue;
      if (p === "**") {
        for (let k = j; k <= target.length; k++) next[k] = true;
      } else if (j < target.length && segmentMatches(p, target[j]!)) {
        next[j + 1] = true;
      }
    }
    reach = next;
  }
  return reach.some((r, j) => r && j > 0);
}

type Token =
  | { kind: "star" }
  | { kind: "one" }
  | { kind: "set"; chars: string; negated: boolean }
  | { kind: "char"; c: string };

function tokens(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") {
      if (out.at(-1)?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "?") out.push({ kind: "one" });
    else if (c === "[" && segment.indexOf("]", i + 2) !== -1) {
      const end = segment.indexOf("]", i + 2);
      const body = segment.slice(i + 1, end);
      const negated = body.startsWith("!") || body.startsWith("^");
      out.push({ kind: "set", chars: expandRanges(negated ? body.slice(1) : body), negated });
      i = end;
    } else out.push({ kind: "char", c });
  }
  return out;
}

/** `a-z0-9_` → the characters it names, bounded: a class is at most a few hundred characters. */
function expandRanges(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const from = body.charCodeAt(i);
    if (body[i + 1] === "-" && i + 2 < body.length) {
      const to = body.charCodeAt(i + 2);
      for (let c = from; c <= to && out.length < 1_024; c++) out += String.fromCharCode(c);
      i += 2;
    } else out += body[i];
  }
  return out;
}

/** Wildcard match of one path segment, by dynamic programming: linear in pattern × text, no backtracking. */
function segmentMatches(pattern: string, text: string): boolean {
  const toks = tokens(pattern);
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const t of toks) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (t.kind === "star") {
      let any = false;
      for (let j = 0; j <= text.length; j++) {
        any ||= row[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < text.length; j++) {
        if (!row[j]) continue;
        const c = text[j]!;
        const ok =
          t.kind === "one" ||
          (t.kind === "char" && t.c === c) ||
          (t.kind === "set" && t.chars.includes(c) !== t.negated);
        if (ok) next[j + 1] = true;
      }
    }
    row = next;
  }
  return row[text.length]!;
}
