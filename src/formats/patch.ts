/**
 * Unified-diff hunks as GitHub's `patch` field and `git diff` give them.
 * Line texts keep a trailing `\r` when the file uses CRLF, so that rebuilding a
 * version from the other is byte-exact.
 */

export type PatchLineKind = "add" | "del" | "ctx";

export interface PatchLine {
  kind: PatchLineKind;
  text: string;
  /** Line number in the base version (deleted and context lines). */
  oldLine?: number;
  /** Line number in the head version (added and context lines). */
  newLine?: number;
  /** Followed by `\ No newline at end of file`. */
  noNewline?: boolean;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: PatchLine[];
}

export class PatchError extends Error {}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  const rows = patch.split("\n");
  // A patch ending in "\n" yields one empty trailing row that is not a line.
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  for (const row of rows) {
    if (row.startsWith("@@")) {
      const m = HUNK_HEADER.exec(row);
      if (!m) throw new PatchError(`malformed hunk header: ${row.slice(0, 80)}`);
      current = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      hunks.push(current);
      oldLine = current.oldStart;
      newLine = current.newStart;
      continue;
    }
    if (!current) continue; // headers before the first hunk (diff --git, ---, +++)
    const marker = row[0];
    const text = row.slice(1);
    if (marker === "+") {
      current.lines.push({ kind: "add", text, newLine: newLine++ });
    } else if (marker === "-") {
      current.lines.push({ kind: "del", text, oldLine: oldLine++ });
    } else if (marker === " " || row === "") {
      // Some tools strip the single space of an empty context line.
      current.lines.push({ kind: "ctx", text, oldLine: oldLine++, newLine: newLine++ });
    } else if (marker === "\\") {
      const last = current.lines[current.lines.length - 1];
      if (last) last.noNewline = true;
    } else {
      throw new PatchError(`unexpected line in hunk: ${row.slice(0, 80)}`);
    }
  }
  return hunks;
}

/** Head line number → text of every added line. */
export function addedLines(hunks: Hunk[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const h of hunks) for (const l of h.lines) if (l.kind === "add") out.set(l.newLine!, l.text);
  return out;
}

/** Base line number → text of every removed line. */
export function removedLines(hunks: Hunk[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const h of hunks) for (const l of h.lines) if (l.kind === "del") out.set(l.oldLine!, l.text);
  return out;
}

/** Lines a review comment may anchor on: RIGHT = added or context lines at head, LEFT = removed lines. */
export interface CommentableLines {
  right: Set<number>;
  left: Set<number>;
}

export function commentableLines(hunks: Hunk[]): CommentableLines {
  const right = new Set<number>();
  const left = new Set<number>();
  for (const h of hunks) {
    for (const l of h.lines) {
      if (l.kind === "del") left.add(l.oldLine!);
      else right.add(l.newLine!);
    }
  }
  return { right, left };
}

/** Head ranges [start, end] covered by hunks (context included). */
export function hunkRanges(hunks: Hunk[]): Array<[number, number]> {
  return hunks.map((h) => [h.newStart, h.newStart + Math.max(h.newLines, 1) - 1]);
}

interface SplitText {
  lines: string[];
  finalNewline: boolean;
}

function splitText(text: string): SplitText {
  if (text === "") return { lines: [], finalNewline: false };
  const finalNewline = text.endsWith("\n");
  const lines = (finalNewline ? text.slice(0, -1) : text).split("\n");
  return { lines, finalNewline };
}

function joinText(lines: string[], finalNewline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join("\n") + (finalNewline ? "\n" : "");
}

/**
 * Rebuilds the base text from the head text and the patch between them, so a
 * review needs one read per file instead of two. Returns null when the patch
 * does not match the head text (the caller then reads the base version).
 */
export function reverseApply(headText: string, hunks: Hunk[]): string | null {
  const head = splitText(headText);
  const out: string[] = [];
  let cursor = 0; // index into head.lines
  let baseFinalNewline = head.finalNewline;
  for (const h of hunks) {
    const start = h.newLines === 0 ? h.newStart : h.newStart - 1;
    if (start < cursor || start > head.lines.length) return null;
    for (; cursor < start; cursor++) out.push(head.lines[cursor]!);
    for (const l of h.lines) {
      if (l.kind === "add" || l.kind === "ctx") {
        if (head.lines[cursor] !== l.text) return null;
        cursor++;
      }
      if (l.kind === "del" || l.kind === "ctx") out.push(l.text);
    }
  }
  const tailStart = cursor;
  for (; cursor < head.lines.length; cursor++) out.push(head.lines[cursor]!);
  if (tailStart === head.lines.length && hunks.length > 0) {
    // The last hunk reaches the end of both versions (their unchanged tails are
    // equal and empty), so the base ends with the last old line of that hunk.
    const lastHunk = hunks[hunks.length - 1]!;
    const lastOld = [...lastHunk.lines].reverse().find((l) => l.kind !== "add");
    baseFinalNewline = lastOld ? !lastOld.noNewline : true;
  }
  return joinText(out, baseFinalNewline);
}

/** Builds a patch that adds every line of a text: how `tollgate scan` sees a file. */
export function additionPatch(text: string): string {
  const { lines, finalNewline } = splitText(text);
  if (lines.length === 0) return "";
  const body = lines.map((l) => `+${l}`).join("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${body}\n${finalNewline ? "" : "\\ No newline at end of file\n"}`;
}

export interface JsdiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** jsdiff numbers an empty side one past git's convention (`+0,0` for an emptied file); this is git's. */
function gitStart(start: number, count: number): number {
  return count === 0 ? start - 1 : start;
}

/**
 * jsdiff's structured hunks as Tollgate's, without writing patch text and
 * reading it back: the same hunks `parsePatch(hunksToPatch(hunks))` gives.
 */
export function fromJsdiffHunks(hunks: readonly JsdiffHunk[]): Hunk[] {
  return hunks.map((h) => {
    const hunk: Hunk = {
      oldStart: gitStart(h.oldStart, h.oldLines),
      oldLines: h.oldLines,
      newStart: gitStart(h.newStart, h.newLines),
      newLines: h.newLines,
      lines: [],
    };
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const row of h.lines) {
      const marker = row[0];
      const text = row.slice(1);
      if (marker === "+") hunk.lines.push({ kind: "add", text, newLine: newLine++ });
      else if (marker === "-") hunk.lines.push({ kind: "del", text, oldLine: oldLine++ });
      else if (marker === " " || row === "")
        hunk.lines.push({ kind: "ctx", text, oldLine: oldLine++, newLine: newLine++ });
      else if (marker === "\\") {
        const last = hunk.lines[hunk.lines.length - 1];
        if (last) last.noNewline = true;
      } else throw new PatchError(`unexpected line in hunk: ${row.slice(0, 80)}`);
    }
    return hunk;
  });
}

/** The patch text of jsdiff's hunks, as git writes it (what `memoryFile` hands the engine as a host's patch). */
export function hunksToPatch(hunks: readonly JsdiffHunk[]): string {
  return hunks
    .map((h) => {
      const oldStart = gitStart(h.oldStart, h.oldLines);
      const newStart = gitStart(h.newStart, h.newLines);
      return `@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@\n${h.lines.join("\n")}\n`;
    })
    .join("");
}
