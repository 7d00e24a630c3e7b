import { lineStarts, positionFinder } from "./ruby.js";

/**
 * A reader for Puppet manifests (`*.pp`): resource declarations
 * (`file { '/x': mode => '0777', }`, several titles separated by `;`,
 * resource defaults `File { … }`), their attributes with values, and
 * variable assignments and class parameters (`$db_password = 'x'`).
 *
 * A tokenizer (strings with `${…}` interpolation, comments, heredocs
 * `@("END")…END`) and one pass over the tokens with a brace stack: linear on
 * any input; an unterminated string, heredoc or block runs to the end of the
 * file. Anything it does not understand (functions, collectors, selectors)
 * is skipped, not an error.
 */

export type TokenKind = "string" | "word" | "variable" | "number" | "punct" | "heredoc";

export interface PuppetToken {
  kind: TokenKind;
  /** The source text (for strings, the value between the quotes). */
  text: string;
  start: number;
  end: number;
  /** For strings: double-quoted with `${…}` or `$x` inside. */
  interpolated?: boolean;
  /** For strings: offset of the value's first character. */
  valueStart?: number;
}

export interface PuppetValue {
  /** The value's tokens (a string, a bareword, an array, a function call …). */
  tokens: PuppetToken[];
  /** The literal text when the value is a single string, word or number. */
  literal?: string;
  /** The value is one string with interpolation, or a variable: unknown. */
  dynamic: boolean;
  start: number;
}

export interface PuppetAttribute {
  name: string;
  nameToken: PuppetToken;
  value: PuppetValue;
}

export interface PuppetResource {
  /** `file`, `exec`, `apt::source`; capitalised for resource defaults (`File`). */
  type: string;
  typeToken: PuppetToken;
  /** The title as written (a string's value, a variable, or an array's text). */
  title: string;
  titleToken: PuppetToken;
  attributes: PuppetAttribute[];
}

export interface PuppetAssignment {
  /** Without the `$`. */
  name: string;
  nameToken: PuppetToken;
  value: PuppetValue;
}

export interface PuppetFile {
  resources: PuppetResource[];
  assignments: PuppetAssignment[];
  position(offset: number): { line: number; column: number };
}

const PUNCT2 = new Set([
  "=>",
  "+>",
  "->",
  "~>",
  "<-",
  "<~",
  "==",
  "!=",
  ">=",
  "<=",
  "::",
  "|>",
  "<|",
  "=~",
  "!~",
]);
// Sticky token patterns, made once: a regex literal inside the loop is a new RegExp object for every
// token (a tenth of reviewing a manifest). Each use sets `lastIndex` first.
const HEREDOC_OPEN = /@\(\s*"?([A-Za-z0-9_ -]{1,64}?)"?\s*(?::[a-z]+)?\s*(?:\/[a-z$]*)?\)/y;
const VARIABLE = /\$(?:::)?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/y;
const WORD = /(?:::)?[A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z_][A-Za-z0-9_-]*)*/y;
const NUMBER = /[0-9][0-9A-Fa-fxX.]*/y;

const MAX_TOKENS = 2_000_000;

export function tokenizePuppet(text: string): PuppetToken[] {
  const out: PuppetToken[] = [];
  const n = text.length;
  let i = 0;
  let pendingHeredoc: { tag: string; token: PuppetToken } | undefined;
  while (i < n && out.length < MAX_TOKENS) {
    const c = text[i]!;
    if (c === "\n") {
      i++;
      if (pendingHeredoc) {
        i = readHeredocBody(text, i, pendingHeredoc.tag, pendingHeredoc.token);
        pendingHeredoc = undefined;
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? n : eol;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? n : close + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const t = readString(text, i, c);
      out.push(t);
      i = t.end;
      continue;
    }
    if (c === "@" && text[i + 1] === "(") {
      HEREDOC_OPEN.lastIndex = i;
      const h = HEREDOC_OPEN.exec(text);
      if (h) {
        const token: PuppetToken = {
          kind: "heredoc",
          text: "",
          start: i,
          end: i + h[0].length,
          valueStart: i,
        };
        token.interpolated = h[0].includes('"');
        out.push(token);
        pendingHeredoc = { tag: h[1]!.trim(), token };
        i += h[0].length;
        continue;
      }
    }
    if (c === "$") {
      VARIABLE.lastIndex = i;
      const v = VARIABLE.exec(text);
      if (v) {
        out.push({ kind: "variable", text: v[0], start: i, end: i + v[0].length });
        i += v[0].length;
        continue;
      }
    }
    WORD.lastIndex = i;
    const w = WORD.exec(text);
    if (w) {
      out.push({ kind: "word", text: w[0], start: i, end: i + w[0].length });
      i += w[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const d = NUMBER.exec(text);
    if (d) {
      out.push({ kind: "number", text: d[0], start: i, end: i + d[0].length });
      i += d[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    const p = PUNCT2.has(two) ? two : c;
    out.push({ kind: "punct", text: p, start: i, end: i + p.length });
    i += p.length;
  }
  return out;
}

function readString(text: string, at: number, quote: string): PuppetToken {
  let k = at + 1;
  let interpolated = false;
  while (k < text.length) {
    const ch = text[k]!;
    if (ch === "\\") {
      k += 2;
      continue;
    }
    if (quote === '"' && ch === "$" && /[{A-Za-z_:]/.test(text[k + 1] ?? "")) interpolated = true;
    if (ch === quote) break;
    k++;
  }
  const end = Math.min(k + 1, text.length);
  return {
    kind: "string",
    text: text.slice(at + 1, Math.min(k, text.length)),
    start: at,
    end,
    interpolated,
    valueStart: at + 1,
  };
}

/** A heredoc body ends at a line `| END`, `|- END` or `END` (leading spaces allowed). */
function readHeredocBody(text: string, from: number, tag: string, token: PuppetToken): number {
  let k = from;
  while (k < text.length) {
    const eol = text.indexOf("\n", k);
    const lineEnd = eol === -1 ? text.length : eol;
    const line = text.slice(k, lineEnd).trim();
    if (line === tag || (/^\|-?\s*/.test(line) && line.replace(/^\|-?\s*/, "") === tag)) {
      token.text = text.slice(from, k);
      token.valueStart = from;
      token.interpolated = token.interpolated === true && token.text.includes("$");
      return eol === -1 ? text.length : eol + 1;
    }
    k = eol === -1 ? text.length : eol + 1;
  }
  token.text = text.slice(from);
  token.valueStart = from;
  return text.length;
}

/** Reads resources, attributes and assignments from a manifest. */
export function readPuppet(text: string): PuppetFile {
  const tokens = tokenizePuppet(text);
  const resources: PuppetResource[] = [];
  const assignments: PuppetAssignment[] = [];
  let k = 0;
  while (k < tokens.length) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    if (t.kind === "variable" && next?.kind === "punct" && next.text === "=") {
      const value = readValue(tokens, k + 2);
      assignments.push({ name: t.text.slice(1), nameToken: t, value: value.value });
      k = Math.max(k + 2, value.next);
      continue;
    }
    if (
      t.kind === "word" &&
      next?.kind === "punct" &&
      next.text === "{" &&
      isResourceBody(tokens, k + 2, t)
    ) {
      k = readResourceBody(tokens, k, resources);
      continue;
    }
    k++;
  }
  return { resources, assignments, position: positionFinder(lineStarts(text)) };
}

const NOT_TYPES = new Set([
  "class",
  "define",
  "node",
  "if",
  "elsif",
  "else",
  "unless",
  "case",
  "default",
  "and",
  "or",
  "in",
]);

/** `type {` starts a resource when a title and `:` follow (or, for defaults, the type is capitalised). */
function isResourceBody(tokens: PuppetToken[], at: number, type: PuppetToken): boolean {
  if (NOT_TYPES.has(type.text)) return false;
  const first = tokens[at];
  if (!first) return false;
  if (/^[A-Z]/.test(type.text)) return first.kind === "word" && tokens[at + 1]?.text === "=>";
  if (first.kind === "string" || first.kind === "variable" || first.kind === "word") {
    return tokens[at + 1]?.text === ":";
  }
  if (first.kind === "punct" && first.text === "[") {
    for (let j = at + 1; j < tokens.length && j < at + 200; j++) {
      if (tokens[j]!.text === "]") return tokens[j + 1]?.text === ":";
    }
  }
  return false;
}

function readResourceBody(tokens: PuppetToken[], typeAt: number, out: PuppetResource[]): number {
  const typeToken = tokens[typeAt]!;
  let k = typeAt + 2;
  const defaults = /^[A-Z]/.test(typeToken.text);
  while (k < tokens.length) {
    let titleToken = typeToken;
    let title = "";
    if (!defaults) {
      const first = tokens[k];
      if (!first || first.text === "}") return k + 1;
      titleToken = first;
      if (first.text === "[") {
        const start = k;
        while (k < tokens.length && tokens[k]!.text !== "]") k++;
        title = tokens
          .slice(start + 1, k)
          .filter((x) => x.text !== ",")
          .map((x) => x.text)
          .join(", ");
      } else title = first.text;
      k++;
      if (tokens[k]?.text !== ":") return skipToClose(tokens, k);
      k++;
    }
    const resource: PuppetResource = { type: typeToken.text, typeToken, title, titleToken, attributes: [] };
    out.push(resource);
    while (k < tokens.length) {
      const name = tokens[k]!;
      if (name.text === "}") return k + 1;
      if (name.text === ";") {
        k++;
        break;
      }
      if (name.text === ",") {
        k++;
        continue;
      }
      if (
        (name.kind === "word" || name.text === "*") &&
        (tokens[k + 1]?.text === "=>" || tokens[k + 1]?.text === "+>")
      ) {
        const value = readValue(tokens, k + 2);
        resource.attributes.push({ name: name.text, nameToken: name, value: value.value });
        k = Math.max(k + 2, value.next);
        continue;
      }
      return skipToClose(tokens, k);
    }
    if (defaults) return k;
  }
  return k;
}

/** Skips to just after the `}` that closes the current body. */
function skipToClose(tokens: PuppetToken[], k: number): number {
  let depth = 0;
  for (; k < tokens.length; k++) {
    const t = tokens[k]!.text;
    if (tokens[k]!.kind !== "punct") continue;
    if (t === "{" || t === "[" || t === "(") depth++;
    else if (t === "}" || t === "]" || t === ")") {
      if (depth === 0) return k + 1;
      depth--;
    }
  }
  return k;
}

/** A value: tokens up to `,` `;` or the closing bracket at depth 0. */
function readValue(tokens: PuppetToken[], at: number): { value: PuppetValue; next: number } {
  let depth = 0;
  let k = at;
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "punct") {
      // A new statement starts after a complete value at depth 0: `$a = 'x'` then `$b = …`.
      if (depth === 0 && k > at && tokens[k - 1]!.kind !== "punct" && !isOperator(tokens[k - 1]!)) break;
      continue;
    }
    if (t.text === "{" || t.text === "[" || t.text === "(") depth++;
    else if (t.text === "}" || t.text === "]" || t.text === ")") {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (t.text === "," || t.text === ";")) break;
  }
  const valueTokens = tokens.slice(at, k);
  const only = valueTokens.length === 1 ? valueTokens[0] : undefined;
  const literal =
    only &&
    (only.kind === "string" || only.kind === "word" || only.kind === "number" || only.kind === "heredoc")
      ? only.text
      : undefined;
  const dynamic = only ? only.kind === "variable" || only.interpolated === true : false;
  return { value: { tokens: valueTokens, literal, dynamic, start: valueTokens[0]?.start ?? 0 }, next: k };
}

function isOperator(t: PuppetToken): boolean {
  return t.kind === "word" && (t.text === "and" || t.text === "or" || t.text === "in");
}
