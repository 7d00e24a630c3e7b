/**
 * File content that a person reads in a terminal or on GitHub must not be able
 * to act on the reader's screen: a raw ESC drives the terminal, a bidi
 * override reorders the rest of the line, a zero-width character hides a
 * difference. Every human-facing output passes such text through `visible`,
 * which writes those characters as `<U+202E>`. JSON keeps exact strings (it is
 * data, and escapes control characters itself).
 */

/** Control characters but TAB and LF, and everything fonts draw as nothing; a bare CR but not a CRLF's. */
const HIDDEN = /\r(?!\n)|[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Default_Ignorable_Code_Point}]+/gu;

const PICTOGRAPH = /^(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])$/u;

/** Runs longer than this print as their first character and a count (a hidden payload can be thousands). */
const MAX_RUN = 3;

function label(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

function lastCodePoint(text: string, end: number): string {
  const low = text.charCodeAt(end - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && end >= 2 ? end - 2 : end - 1;
  return start < 0 ? "" : text.slice(start, end);
}

/** What emoji need and reading loses nothing by: a selector after a symbol (❤️), a joiner between pictographs. */
function harmless(text: string, run: string, offset: number): boolean {
  const before = lastCodePoint(text, offset);
  if (run === "\ufe0f" || run === "\ufe0e") return before !== "" && before.charCodeAt(0) > 0x7f;
  if (run !== "\u200d" && run !== "\ufe0f\u200d") return false;
  const next = text.codePointAt(offset + run.length);
  return PICTOGRAPH.test(before) && next !== undefined && PICTOGRAPH.test(String.fromCodePoint(next));
}

export function visible(text: string): string {
  HIDDEN.lastIndex = 0;
  if (!HIDDEN.test(text)) return text;
  return text.replace(HIDDEN, (run: string, offset: number) => {
    if (harmless(text, run, offset)) return run;
    const cps = [...run].map((c) => c.codePointAt(0)!);
    if (cps.length > MAX_RUN) return `<${label(cps[0]!)} and ${cps.length - 1} more invisible>`;
    return cps.map((cp) => `<${label(cp)}>`).join("");
  });
}
