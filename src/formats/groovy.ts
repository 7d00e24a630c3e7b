/**
 * A Groovy string reader for Jenkinsfiles: where each string literal is, of
 * which kind, and what it interpolates. Not a Groovy parser, on purpose: the
 * security questions asked of a pipeline ("which `sh` step receives which
 * string, and does that string paste `${params.X}` into the shell?") are
 * answered by the lexical layer alone, Jenkins pipelines are mostly Groovy
 * DSL calls whose grammar (closures, command expressions without
 * parentheses, optional commas) a full parser would have to know entirely to
 * be right, and a lexer stays linear and never fails on the dynamic
 * constructs a real parser would reject.
 *
 * Groovy's rules, as the language defines them:
 * - `'…'` and `'''…'''` are plain `java.lang.String`s: no interpolation.
 * - `"…"` and `"""…"""` are GStrings: `${expr}` and `$name.dotted.path`
 *   interpolate; `\$` is a literal dollar.
 * - `/…/` (slashy) interpolates like a GString, only `\/` is an escape; it
 *   is recognised where an expression may start (after `(`, `=`, `,`, an
 *   operator, `return`, a line start), since elsewhere `/` divides.
 * - `$/…/$` (dollar-slashy) interpolates; `$$` and `$/` escape.
 * - `//` and `/* *\/` are comments; a `#!` first line is a shebang.
 *
 * Every character is looked at a bounded number of times, so an unterminated
 * string or `${` costs one pass: single-line literals end at their newline,
 * multi-line ones at the end of the text, and both are marked unterminated.
 */

export type GroovyStringKind =
  | "single"
  | "triple-single"
  | "double"
  | "triple-double"
  | "slashy"
  | "dollar-slashy";

export interface GroovyInterpolation {
  /** The expression: `params.BRANCH` for `${params.BRANCH}` and for `$params.BRANCH`. */
  expression: string;
  /** Offset of the `$`. */
  start: number;
  /** Offset after the closing `}` (or the name). */
  end: number;
  braced: boolean;
}

export interface GroovyString {
  kind: GroovyStringKind;
  /** Offset of the opening delimiter. */
  start: number;
  /** Offsets of the content between the delimiters. */
  contentStart: number;
  contentEnd: number;
  /** Offset after the closing delimiter (the content's end when unterminated). */
  end: number;
  /** GStrings, slashy and dollar-slashy strings interpolate. */
  interpolates: boolean;
  interpolations: GroovyInterpolation[];
  terminated: boolean;
}

export interface GroovyReading {
  strings: GroovyString[];
  /**
   * The text with every comment and every string's content blanked (newlines
   * kept, delimiters kept): brackets, step names and keywords can be matched
   * on it without a string or a comment confusing them. Same length as the text.
   */
  code: string;
}

/** Character tests by code: they run on every character of every interpolation. */
const IDENT_START = { test: (c: string) => isIdentStart(c.charCodeAt(0)) };
const IDENT = { test: (c: string) => isIdentStart(c.charCodeAt(0)) || isDigit(c.charCodeAt(0)) };

function isIdentStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
/** After one of these (ignoring blanks), a `/` starts a slashy string rather than dividing. */
const EXPRESSION_START = new Set([
  "",
  "(",
  "[",
  "{",
  ",",
  "=",
  ":",
  "!",
  "&",
  "|",
  "?",
  ";",
  "+",
  "-",
  "*",
  "%",
  "<",
  ">",
  "~",
  "\n",
]);
const KEYWORDS_BEFORE_EXPRESSION = /(?:^|[^A-Za-z0-9_])(return|case|in|assert|else)$/;

const SPECIAL = /[/'"$]/g;
const MAX_LOOKBEHIND = 64;

/**
 * The last non-blank character before a `/`, for the slashy/division decision
 * (a newline counts: a line may start with an expression). Blanks are looked
 * at no further back than a bounded distance, so many slashes stay linear.
 */
/** The text with every character but newlines turned into a space (by lines: much faster than a regex replace). */
function blanked(text: string): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(line.length))
    .join("\n");
}

function previousCodeChar(text: string, i: number): string {
  for (let k = i - 1; k >= 0 && i - k <= MAX_LOOKBEHIND; k--) {
    const c = text[k]!;
    if (c !== " " && c !== "\t" && c !== "\r") return c;
  }
  return "";
}

export function readGroovy(text: string): GroovyReading {
  const strings: GroovyString[] = [];
  const code: string[] = [];
  const n = text.length;
  let i = 0;
  let copied = 0;
  const blank = (from: number, to: number) => {
    code.push(text.slice(copied, from), blanked(text.slice(from, to)));
    copied = to;
  };

  if (text.startsWith("#!")) {
    const eol = text.indexOf("\n");
    i = eol < 0 ? n : eol;
    blank(0, i);
  }
  while (i < n) {
    // Jump to the next character that can start a comment or a literal: code between them is copied as is.
    SPECIAL.lastIndex = i;
    const found = SPECIAL.exec(text);
    if (!found) break;
    i = found.index;
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const eol = text.indexOf("\n", i);
      const end = eol < 0 ? n : eol;
      blank(i, end);
      i = end;
      continue;
    }
    if (c === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? n : close + 2;
      blank(i, end);
      i = end;
      continue;
    }
    let s: GroovyString | undefined;
    if (c === "'" || c === '"') {
      s = text.startsWith(c.repeat(3), i) ? readTriple(text, i, c) : readSingleLine(text, i, c);
    } else if (c === "$" && next === "/") {
      s = readDollarSlashy(text, i);
    } else if (c === "/" && startsSlashy(text, i, previousCodeChar(text, i))) {
      s = readSlashy(text, i);
    }
    if (s) {
      strings.push(s);
      blank(s.contentStart, s.contentEnd);
      i = s.end;
      continue;
    }
    i++;
  }
  code.push(text.slice(copied));
  return { strings, code: code.join("") };
}

function startsSlashy(text: string, i: number, previous: string): boolean {
  const after = text[i + 1];
  if (after === undefined || after === " " || after === "\n" || after === "\t" || after === "=") return false;
  if (EXPRESSION_START.has(previous)) return true;
  // `return /x/`: only the few characters before the `/` are looked at.
  return (
    IDENT.test(previous) && KEYWORDS_BEFORE_EXPRESSION.test(text.slice(Math.max(0, i - 12), i).trimEnd())
  );
}

/** Where reading a literal's content must stop and look: everything else is content. */
const DOUBLE_STOPS = /[\\"$\n]/g;
const SINGLE_STOPS = /[\\'\n]/g;
const TRIPLE_DOUBLE_STOPS = /[\\"$]/g;
const TRIPLE_SINGLE_STOPS = /[\\']/g;
const SLASHY_STOPS = /[\\/$]/g;
const DOLLAR_SLASHY_STOPS = /[$/]/g;

function readSingleLine(text: string, start: number, quote: string): GroovyString {
  const interpolates = quote === '"';
  const interpolations: GroovyInterpolation[] = [];
  const n = text.length;
  let i = start + 1;
  let terminated = false;
  while (i < n) {
    {
      const re = quote === '"' ? DOUBLE_STOPS : SINGLE_STOPS;
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) {
        i = n;
        break;
      }
      i = m.index;
    }
    const c = text[i]!;
    if (c === "\\" && text[i + 1] !== "\n") {
      i += 2;
      continue;
    }
    if (c === quote) {
      terminated = true;
      break;
    }
    if (c === "\n") break;
    if (interpolates && c === "$") {
      i = readInterpolation(text, i, interpolations, false);
      continue;
    }
    i++;
  }
  const contentEnd = Math.min(i, n);
  return {
    kind: interpolates ? "double" : "single",
    start,
    contentStart: start + 1,
    contentEnd,
    end: terminated ? contentEnd + 1 : contentEnd,
    interpolates,
    interpolations,
    terminated,
  };
}

function readTriple(text: string, start: number, quote: string): GroovyString {
  const interpolates = quote === '"';
  const interpolations: GroovyInterpolation[] = [];
  const closing = quote.repeat(3);
  let i = start + 3;
  const n = text.length;
  while (i < n) {
    {
      const re = quote === '"' ? TRIPLE_DOUBLE_STOPS : TRIPLE_SINGLE_STOPS;
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) {
        i = n;
        break;
      }
      i = m.index;
    }
    const c = text[i]!;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === quote && text.startsWith(closing, i)) {
      // `""""` closes at the last three quotes: the first is content.
      let close = i;
      while (text[close + 3] === quote && close - i < 2) close++;
      return {
        kind: interpolates ? "triple-double" : "triple-single",
        start,
        contentStart: start + 3,
        contentEnd: close,
        end: close + 3,
        interpolates,
        interpolations,
        terminated: true,
      };
    }
    if (interpolates && c === "$") {
      i = readInterpolation(text, i, interpolations, true);
      continue;
    }
    i++;
  }
  return {
    kind: interpolates ? "triple-double" : "triple-single",
    start,
    contentStart: start + 3,
    contentEnd: n,
    end: n,
    interpolates,
    interpolations,
    terminated: false,
  };
}

function readSlashy(text: string, start: number): GroovyString {
  const interpolations: GroovyInterpolation[] = [];
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    i = nextStop(SLASHY_STOPS, text, i);
    if (i >= n) break;
    const c = text[i]!;
    if (c === "\\" && text[i + 1] === "/") {
      i += 2;
      continue;
    }
    if (c === "/") {
      return slashy("slashy", start, start + 1, i, i + 1, interpolations, true);
    }
    if (c === "$") {
      i = readInterpolation(text, i, interpolations, true);
      continue;
    }
    i++;
  }
  return slashy("slashy", start, start + 1, n, n, interpolations, false);
}

function readDollarSlashy(text: string, start: number): GroovyString {
  const interpolations: GroovyInterpolation[] = [];
  let i = start + 2;
  const n = text.length;
  while (i < n) {
    i = nextStop(DOLLAR_SLASHY_STOPS, text, i);
    if (i >= n) break;
    const c = text[i]!;
    if (c === "$" && (text[i + 1] === "$" || text[i + 1] === "/")) {
      i += 2;
      continue;
    }
    if (c === "/" && text[i + 1] === "$") {
      return slashy("dollar-slashy", start, start + 2, i, i + 2, interpolations, true);
    }
    if (c === "$") {
      i = readInterpolation(text, i, interpolations, true);
      continue;
    }
    i++;
  }
  return slashy("dollar-slashy", start, start + 2, n, n, interpolations, false);
}

function slashy(
  kind: GroovyStringKind,
  start: number,
  contentStart: number,
  contentEnd: number,
  end: number,
  interpolations: GroovyInterpolation[],
  terminated: boolean,
): GroovyString {
  return { kind, start, contentStart, contentEnd, end, interpolates: true, interpolations, terminated };
}

/**
 * Reads `${…}` or `$name.path` at `i` (a `$`), records it, and returns where
 * reading resumes. A `${` scans to its matching `}` (nested braces and quoted
 * strings inside counted) but no further than the line's end in a
 * single-line string, so an unterminated one is read once.
 */
function readInterpolation(text: string, i: number, out: GroovyInterpolation[], multiline: boolean): number {
  const n = text.length;
  if (text[i + 1] === "{") {
    let depth = 1;
    let k = i + 2;
    let quote = "";
    for (; k < n; k++) {
      const c = text[k]!;
      if (c === "\n" && !multiline) break;
      if (quote) {
        if (c === "\\") k++;
        else if (c === quote) quote = "";
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) break;
    }
    if (k < n && text[k] === "}") {
      out.push({ expression: text.slice(i + 2, k).trim(), start: i, end: k + 1, braced: true });
      return k + 1;
    }
    // Unterminated `${`: Groovy rejects the file. What was scanned is not scanned again (reading resumes
    // where the scan stopped, the line's end or the text's), so a run of them stays linear.
    return k;
  }
  if (!IDENT_START.test(text[i + 1] ?? "")) return i + 1;
  let k = i + 1;
  for (;;) {
    while (k < n && IDENT.test(text[k]!)) k++;
    // `$a.b` continues through `.ident`; `$a.` ends at the dot (a full stop in prose).
    if (text[k] === "." && IDENT_START.test(text[k + 1] ?? "")) {
      k++;
      continue;
    }
    break;
  }
  out.push({ expression: text.slice(i + 1, k), start: i, end: k, braced: false });
  return k;
}

/** Where the next character a string reader must look at is (the end when there is none): one sticky-free regex scan, so a reader never re-reads what it skipped. */
function nextStop(stops: RegExp, text: string, from: number): number {
  stops.lastIndex = from;
  const m = stops.exec(text);
  return m ? m.index : text.length;
}
