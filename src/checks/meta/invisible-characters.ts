import { createHash } from "node:crypto";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileChange } from "../types.js";

/**
 * Trojan Source (CVE-2021-42574) and its relatives: characters that change
 * what a reviewer sees without changing what a compiler, shell or parser
 * reads. The set is Unicode's Default_Ignorable_Code_Point (what fonts draw as
 * nothing: bidi controls, zero-width characters, variation selectors, tag
 * characters, Hangul fillers, …) plus control characters (ESC rewrites what a
 * terminal shows). Uses that real text needs are exempt by context, not by
 * code point: a ZWJ inside an emoji sequence or between Indic or Arabic
 * letters, one variation selector after the symbol it styles, an emoji flag's
 * tag sequence, Mongolian selectors after Mongolian letters, a BOM at the
 * start of the file. Runs of variation selectors are never exempt: one per
 * byte is how a payload is hidden in an empty-looking string.
 */

/**
 * Every Default_Ignorable_Code_Point and every control character but TAB and
 * LF, written without the `u` flag so the common line (no match) is a plain
 * scan; a test checks it against `\p{Default_Ignorable_Code_Point}` and `\p{Cc}`.
 */
export const PREFILTER =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: it matches joiners and combining characters alone, on purpose.
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\udb40-\udb43]|\ud82f[\udca0-\udca3]|\ud834[\udd73-\udd7a]/;

const CANDIDATES = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;

export type InvisibleKind = "bidi" | "control" | "tag" | "variation" | "invisible";

/** One flagged character, or a run of adjacent ones. */
export interface InvisibleHit {
  /** 1-based, in UTF-16 code units (as the other findings count). */
  column: number;
  /** 1-based column just after the last flagged character. */
  endColumn: number;
  codePoints: number[];
  kinds: Set<InvisibleKind>;
}

const C0_NAMES = [
  "NULL",
  "START OF HEADING",
  "START OF TEXT",
  "END OF TEXT",
  "END OF TRANSMISSION",
  "ENQUIRY",
  "ACKNOWLEDGE",
  "BELL",
  "BACKSPACE",
  "CHARACTER TABULATION",
  "LINE FEED",
  "LINE TABULATION",
  "FORM FEED",
  "CARRIAGE RETURN",
  "SHIFT OUT",
  "SHIFT IN",
  "DATA LINK ESCAPE",
  "DEVICE CONTROL ONE",
  "DEVICE CONTROL TWO",
  "DEVICE CONTROL THREE",
  "DEVICE CONTROL FOUR",
  "NEGATIVE ACKNOWLEDGE",
  "SYNCHRONOUS IDLE",
  "END OF TRANSMISSION BLOCK",
  "CANCEL",
  "END OF MEDIUM",
  "SUBSTITUTE",
  "ESCAPE",
  "INFORMATION SEPARATOR FOUR",
  "INFORMATION SEPARATOR THREE",
  "INFORMATION SEPARATOR TWO",
  "INFORMATION SEPARATOR ONE",
];

const NAMES: Record<number, string> = {
  127: "DELETE",
  133: "NEXT LINE",
  155: "CONTROL SEQUENCE INTRODUCER",
  173: "SOFT HYPHEN",
  847: "COMBINING GRAPHEME JOINER",
  1564: "ARABIC LETTER MARK",
  4447: "HANGUL CHOSEONG FILLER",
  4448: "HANGUL JUNGSEONG FILLER",
  6068: "KHMER VOWEL INHERENT AQ",
  6069: "KHMER VOWEL INHERENT AA",
  6155: "MONGOLIAN FREE VARIATION SELECTOR ONE",
  6156: "MONGOLIAN FREE VARIATION SELECTOR TWO",
  6157: "MONGOLIAN FREE VARIATION SELECTOR THREE",
  6158: "MONGOLIAN VOWEL SEPARATOR",
  6159: "MONGOLIAN FREE VARIATION SELECTOR FOUR",
  8203: "ZERO WIDTH SPACE",
  8204: "ZERO WIDTH NON-JOINER",
  8205: "ZERO WIDTH JOINER",
  8206: "LEFT-TO-RIGHT MARK",
  8207: "RIGHT-TO-LEFT MARK",
  8234: "LEFT-TO-RIGHT EMBEDDING",
  8235: "RIGHT-TO-LEFT EMBEDDING",
  8236: "POP DIRECTIONAL FORMATTING",
  8237: "LEFT-TO-RIGHT OVERRIDE",
  8238: "RIGHT-TO-LEFT OVERRIDE",
  8288: "WORD JOINER",
  8289: "FUNCTION APPLICATION",
  8290: "INVISIBLE TIMES",
  8291: "INVISIBLE SEPARATOR",
  8292: "INVISIBLE PLUS",
  8294: "LEFT-TO-RIGHT ISOLATE",
  8295: "RIGHT-TO-LEFT ISOLATE",
  8296: "FIRST STRONG ISOLATE",
  8297: "POP DIRECTIONAL ISOLATE",
  8298: "INHIBIT SYMMETRIC SWAPPING",
  8299: "ACTIVATE SYMMETRIC SWAPPING",
  8300: "INHIBIT ARABIC FORM SHAPING",
  8301: "ACTIVATE ARABIC FORM SHAPING",
  8302: "NATIONAL DIGIT SHAPES",
  8303: "NOMINAL DIGIT SHAPES",
  12644: "HANGUL FILLER",
  65279: "ZERO WIDTH NO-BREAK SPACE",
  65440: "HALFWIDTH HANGUL FILLER",
  917505: "LANGUAGE TAG",
  917631: "CANCEL TAG",
};

export function codePointName(cp: number): string {
  if (cp < 0x20) return C0_NAMES[cp]!;
  const known = NAMES[cp];
  if (known) return known;
  if (cp >= 0x80 && cp <= 0x9f) return "C1 CONTROL";
  if (cp >= 0xfe00 && cp <= 0xfe0f) return `VARIATION SELECTOR-${cp - 0xfe00 + 1}`;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  if (cp >= 0xe0020 && cp <= 0xe007e) return `TAG ${JSON.stringify(String.fromCharCode(cp - 0xe0000))}`;
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return "SHORTHAND FORMAT CONTROL";
  if (cp >= 0x1d173 && cp <= 0x1d17a) return "MUSICAL SYMBOL FORMAT CONTROL";
  return "INVISIBLE (UNASSIGNED)";
}

export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${codePointName(cp)}`;
}

const isBidi = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;
const isVariation = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);

function kindOf(cp: number): InvisibleKind {
  if (isBidi(cp)) return "bidi";
  if (isControl(cp)) return "control";
  if (isTag(cp)) return "tag";
  if (isVariation(cp)) return "variation";
  return "invisible";
}

const PICTOGRAPH = /^(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])$/u;
/** Letters and marks of scripts whose spelling needs ZWJ/ZWNJ (Devanagari, Arabic, Persian, …): not ASCII. */
const NON_ASCII_LETTER = /^[\p{L}\p{M}]$/u;
const IDEOGRAPH = /^\p{Ideographic}$/u;
const MONGOLIAN = /^\p{Script=Mongolian}$/u;
const VISIBLE_BASE = /^[^\p{Default_Ignorable_Code_Point}\p{Cc}\p{White_Space}]$/u;

/** The code point that ends just before `index`, or -1. */
function before(line: string, index: number): number {
  if (index <= 0) return -1;
  const low = line.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = line.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return line.codePointAt(index - 2)!;
  }
  return low;
}

function startOf(line: string, index: number): number {
  const low = line.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 && line.charCodeAt(index - 2) >= 0xd800
    ? index - 2
    : index - 1;
}

const test = (re: RegExp, cp: number) => cp >= 0 && re.test(String.fromCodePoint(cp));
const width = (cp: number) => (cp > 0xffff ? 2 : 1);

/** Indices of an emoji flag's tag sequence (🏴 + tag letters + CANCEL TAG), which is exempt as a whole. */
function flagTagEnd(line: string, index: number): number {
  if (before(line, index) !== 0x1f3f4) return -1;
  let i = index;
  let letters = 0;
  for (;;) {
    const cp = line.codePointAt(i);
    if (cp === 0xe007f) return letters > 0 && letters <= 7 ? i + 2 : -1;
    if (cp === undefined || cp < 0xe0020 || cp > 0xe007e) return -1;
    letters++;
    i += 2;
  }
}

/** Whether the character at `index` is a use real text needs (see the module comment). */
function exempt(line: string, index: number, cp: number, lineNumber: number): boolean {
  const prev = before(line, index);
  const next = line.codePointAt(index + width(cp)) ?? -1;
  switch (true) {
    case cp === 0x09 || cp === 0x0c:
      // TAB, and the page breaks of GNU-style sources.
      return true;
    case cp === 0x0d:
      // A trailing CR of a CRLF line the diff kept; only one in the middle rewrites a terminal line.
      return /^\r*$/.test(line.slice(index));
    case cp >= 0x80 && cp <= 0x9f:
      // Most C1 bytes in real files are mojibake (GitHubâ\x80\x99s is a double-encoded ’); NEL is a
      // line break to some parsers and CSI starts a terminal sequence, so those two still count.
      return cp !== 0x85 && cp !== 0x9b;
    case cp === 0xfeff:
      return lineNumber === 1 && index === 0;
    case cp === 0x200d:
      if (test(NON_ASCII_LETTER, prev) && test(NON_ASCII_LETTER, next) && prev > 0x7f && next > 0x7f)
        return true;
      if (!test(PICTOGRAPH, next)) return false;
      if (prev === 0xfe0f) return test(PICTOGRAPH, before(line, startOf(line, index)));
      return test(PICTOGRAPH, prev);
    case cp === 0x200c:
      return prev > 0x7f && next > 0x7f && test(NON_ASCII_LETTER, prev) && test(NON_ASCII_LETTER, next);
    case isVariation(cp): {
      // One selector styles the symbol before it; two in a row style nothing and carry data.
      if (isVariation(prev) || isVariation(next)) return false;
      if (cp >= 0xe0100) return test(IDEOGRAPH, prev);
      if (prev > 0x7f) return test(VISIBLE_BASE, prev);
      // Keycaps: 1️⃣ is "1", U+FE0F, U+20E3.
      return /^[0-9#*]$/.test(String.fromCharCode(prev)) && next === 0x20e3;
    }
    case cp >= 0x180b && cp <= 0x180f:
      return test(MONGOLIAN, prev);
    default:
      return false;
  }
}

/**
 * The flagged characters of one line, adjacent ones merged into one hit.
 * `lineNumber` matters only for a BOM, which is legitimate at the start of line 1.
 */
export function findInvisible(line: string, lineNumber = 0): InvisibleHit[] {
  if (!PREFILTER.test(line)) return [];
  const hits: InvisibleHit[] = [];
  let skipUntil = -1;
  CANDIDATES.lastIndex = 0;
  for (let m = CANDIDATES.exec(line); m; m = CANDIDATES.exec(line)) {
    const index = m.index;
    if (index < skipUntil) continue;
    const cp = m[0].codePointAt(0)!;
    if (isTag(cp)) {
      const end = flagTagEnd(line, index);
      if (end > 0) {
        skipUntil = end;
        continue;
      }
    }
    if (exempt(line, index, cp, lineNumber)) continue;
    const last = hits[hits.length - 1];
    if (last && last.endColumn === index + 1) {
      last.endColumn += m[0].length;
      last.codePoints.push(cp);
      last.kinds.add(kindOf(cp));
    } else {
      hits.push({
        column: index + 1,
        endColumn: index + 1 + m[0].length,
        codePoints: [cp],
        kinds: new Set([kindOf(cp)]),
      });
    }
  }
  return hits;
}

/** Prose and translations legitimately use ZWJ, ZWNJ, soft hyphens and directional marks. */
const PROSE_EXTENSION =
  /\.(?:md|markdown|mdown|mkd|mkdn|mdx|txt|text|rst|adoc|asciidoc|org|textile|rdoc|pod|tex|rtf|po|pot|xlf|xliff|strings|stringsdict|arb|resx)$/i;
const PROSE_NAMES = new Set(
  "readme licence license copying authors contributors notice changelog changes history news thanks credits".split(
    " ",
  ),
);
/** LICENSE, LICENSE-MIT, COPYING.LESSER; not readme.py. */
const PROSE_NAME = /^([A-Za-z]+)(?:[-_].*|\.[A-Z0-9]+)?$/;
const TRANSLATION_DIR = /(?:^|\/)(?:locales?|i18n|l10n|translations?|langs?|languages|[^/]+\.lproj)\//i;
const ANDROID_STRINGS = /(?:^|\/)res\/values[^/]*\/strings\.xml$/;
/**
 * Instructions for coding agents are prose that a program obeys: hidden text there
 * (the "rules file backdoor") is read by the model and not by the reviewer.
 */
const AGENT_INSTRUCTIONS =
  /(?:^|\/)(?:AGENTS\.md|CLAUDE\.md|GEMINI\.md|\.cursorrules|\.windsurfrules|\.clinerules(?:\/.*)?|\.cursor\/rules\/.*|\.github\/copilot-instructions\.md|\.github\/(?:instructions|prompts|chatmodes)\/.*)$/;

/** Whether the rule looks at this path: code, workflows, Dockerfiles, configs and lockfiles, not prose. */
export function isReviewedPath(path: string): boolean {
  if (AGENT_INSTRUCTIONS.test(path)) return true;
  const name = path.slice(path.lastIndexOf("/") + 1);
  return !(
    PROSE_EXTENSION.test(name) ||
    PROSE_NAMES.has(PROSE_NAME.exec(name)?.[1]?.toLowerCase() ?? "") ||
    TRANSLATION_DIR.test(path) ||
    ANDROID_STRINGS.test(path)
  );
}

const WHY: Record<InvisibleKind, string> = {
  bidi: "Bidirectional controls reorder how the line is displayed, so the code a reviewer reads is not the code that runs (Trojan Source, CVE-2021-42574).",
  control:
    "Control characters such as ESC or a bare CR rewrite what a terminal shows (git diff, cat), hiding code from a reviewer.",
  tag: "Tag characters are invisible text that tools and language models read but reviewers do not see.",
  variation:
    "Variation selectors that style no symbol are invisible; a run of them can encode a hidden payload that code decodes at run time.",
  invisible:
    "Invisible characters make identifiers, strings or URLs that look identical differ, and hide what a line contains.",
};

/** Entries named in one message; the rest are counted. */
const MAX_NAMED = 4;
/** Characters of the line kept as evidence around the first hit. */
const EVIDENCE_CHARS = 120;
/** Past this many, a file is made of such lines and more findings add nothing. */
const MAX_FINDINGS_PER_FILE = 100;
/** Hidden tag text quoted in a message. */
const MAX_TAG_TEXT = 60;

function describeHit(hit: InvisibleHit): string[] {
  const n = hit.codePoints.length;
  if (n <= 3) {
    let column = hit.column;
    return hit.codePoints.map((cp) => {
      const at = `${codePointLabel(cp)} at column ${column}`;
      column += width(cp);
      return at;
    });
  }
  const distinct = [...new Set(hit.codePoints)];
  const sample = distinct.slice(0, 2).map(codePointLabel).join(", ");
  return [
    `${n.toLocaleString("en-US")} invisible characters (${sample}${distinct.length > 2 ? ", …" : ""}) at columns ${hit.column}–${hit.endColumn - 1}`,
  ];
}

function hiddenTagText(hits: readonly InvisibleHit[]): string {
  let text = "";
  for (const h of hits)
    for (const cp of h.codePoints)
      if (cp >= 0xe0020 && cp <= 0xe007e) text += String.fromCharCode(cp - 0xe0000);
  return text.length > MAX_TAG_TEXT ? `${text.slice(0, MAX_TAG_TEXT)}…` : text;
}

export function invisibleMessage(hits: readonly InvisibleHit[]): string {
  const entries = hits.flatMap(describeHit);
  const named = entries.slice(0, MAX_NAMED).join(", ");
  const more = entries.length > MAX_NAMED ? ` and ${entries.length - MAX_NAMED} more` : "";
  const kinds = new Set(hits.flatMap((h) => [...h.kinds]));
  const order: InvisibleKind[] = ["bidi", "control", "tag", "variation", "invisible"];
  const why = order.filter((k) => kinds.has(k)).map((k) => WHY[k]);
  const tagText = kinds.has("tag") ? hiddenTagText(hits) : "";
  const hidden = tagText ? ` The tag characters spell ${JSON.stringify(tagText)}.` : "";
  return `Adds ${named}${more}. ${why.join(" ")}${hidden}`;
}

/** The line around the first hit, without splitting a surrogate pair. */
function evidenceFor(line: string, hit: InvisibleHit): string {
  if (line.length <= EVIDENCE_CHARS) return line.trim();
  let start = Math.max(0, hit.column - 1 - EVIDENCE_CHARS / 3);
  let end = Math.min(line.length, start + EVIDENCE_CHARS);
  if (start > 0 && line.charCodeAt(start) >= 0xdc00 && line.charCodeAt(start) <= 0xdfff) start++;
  if (end < line.length && line.charCodeAt(end) >= 0xdc00 && line.charCodeAt(end) <= 0xdfff) end--;
  return `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
}

/** The line as a reader would compare it: moving or re-indenting it is not new. */
function normalise(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}

function removedCounts(change: FileChange): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of change.removed.values()) {
    if (!PREFILTER.test(text)) continue;
    const key = normalise(text);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export const invisibleCharacters = defineCheck({
  kind: "change",
  name: "meta/invisible-characters",
  families: "all",
  rules: ["meta/invisible-characters"],
  linesOnly: true,
  run(change, ctx) {
    if (change.added.size === 0 || !isReviewedPath(change.path)) return [];
    const out: RawFinding[] = [];
    let moved: Map<string, number> | undefined;
    for (const [line, text] of change.added) {
      if (!PREFILTER.test(text)) continue;
      const hits = findInvisible(text, line);
      if (hits.length === 0) continue;
      const key = normalise(text);
      moved ??= removedCounts(change);
      const left = moved.get(key) ?? 0;
      if (left > 0) {
        moved.set(key, left - 1);
        continue;
      }
      if (out.length === MAX_FINDINGS_PER_FILE) {
        ctx.note({
          level: "warning",
          path: change.path,
          message: `more than ${MAX_FINDINGS_PER_FILE} added lines with invisible characters in this file: only the first ${MAX_FINDINGS_PER_FILE} are reported`,
        });
        break;
      }
      const first = hits[0]!;
      const lastHit = hits[hits.length - 1]!;
      const bidi = hits.some((h) => h.kinds.has("bidi"));
      out.push({
        ruleId: "meta/invisible-characters",
        line,
        column: first.column,
        endColumn: lastHit.endColumn,
        message: invisibleMessage(hits),
        anchor: `line:${createHash("sha256").update(key).digest("hex").slice(0, 16)}`,
        evidence: evidenceFor(text, first),
        ...(bidi ? {} : { severity: "medium" as const }),
      });
    }
    return out;
  },
});
