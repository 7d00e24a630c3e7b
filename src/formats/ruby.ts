/**
 * A reader for the Ruby that configuration-management files are written in
 * (Chef recipes and attribute files, Vagrantfiles): statements with their
 * positions, string literals with their values, heredoc bodies, and the
 * nesting of `do … end` and keyword blocks, so that `remote_file 'x' do …
 * end` is read as one resource with its properties.
 *
 * Not a Ruby parser: it knows strings (`'…'`, `"…#{…}…"`, `%w[…]`, `%q(…)`),
 * comments (`#`, `=begin`/`=end`), heredocs (`<<~EOS`, `<<-EOS`, `<<EOS`,
 * quoted tags) and brackets, which is what it takes to find statement and
 * block boundaries. Regex literals are read as operators. One pass over the
 * text plus one over the statements: linear on any input, unterminated
 * strings, heredocs and blocks included (they run to the end of the file).
 */

export interface RubyString {
  /** Offsets in the file: from the opening delimiter to just after the closing one. */
  start: number;
  end: number;
  /** The raw text between the delimiters (escapes not processed). */
  value: string;
  /** Double-quoted (or %Q, or an unquoted heredoc) with a `#{…}` inside. */
  interpolated: boolean;
  /** Offset of the value's first character. */
  valueStart: number;
}

export interface RubyStatement {
  start: number;
  end: number;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
  /** The statement's text with strings' contents, comments and heredoc bodies blanked. */
  code: string;
  /** The statement's string literals and heredocs, in order. */
  strings: RubyString[];
  /** The enclosing block's opening statement. */
  parent?: RubyStatement;
  /** For a statement that opens a block: the statements directly inside it. */
  children?: RubyStatement[];
  /** Line of the block's `end` (undefined when the file ends first). */
  endLine?: number;
}

export interface RubyFile {
  text: string;
  /** Every statement, in order. */
  statements: RubyStatement[];
  /** Statements outside any block. */
  top: RubyStatement[];
  position(offset: number): { line: number; column: number };
}

const OPENERS = /^(?:if|unless|while|until|case|def|class|module|begin|for)\b/;
const ASSIGNED_OPENER = /=\s*(?:if|unless|case|begin)\b/;
const DO_BLOCK = /\bdo\s*(?:\|[^|]*\|)?\s*$/;
const ENDS_WITH_END = /(?:^|[\s;])end\s*$/;
const CLOSER = /^end\b/;
const PERCENT_OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };
const HEREDOC = /<<([~-]?)(?:([A-Za-z_][A-Za-z0-9_]*)|'([^'\n]{1,64})'|"([^"\n]{1,64})")/y;

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

export function positionFinder(
  starts: readonly number[],
): (offset: number) => { line: number; column: number } {
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

interface PendingHeredoc {
  tag: string;
  squiggly: boolean;
  interpolates: boolean;
  string: RubyString;
}

/** Reads the statements and blocks of a Ruby file. */
export function readRuby(text: string): RubyFile {
  const masked = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (masked[k] !== "\n") masked[k] = " ";
  };
  const raw: Array<{ start: number; end: number; strings: RubyString[] }> = [];
  let current: { start: number; strings: RubyString[] } | undefined;
  let nesting = 0;
  let pending: PendingHeredoc[] = [];
  const n = text.length;
  let i = 0;

  const finish = (end: number) => {
    if (current) raw.push({ start: current.start, end, strings: current.strings });
    current = undefined;
    nesting = 0;
  };

  while (i < n) {
    const c = text[i]!;
    const atLineStart = i === 0 || text[i - 1] === "\n";
    if (atLineStart && text.startsWith("=begin", i)) {
      const close = text.indexOf("\n=end", i);
      const stop = close === -1 ? n : close + 5;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === "\n") {
      if (pending.length > 0) {
        const goesOn = current !== undefined && (nesting > 0 || continues(masked, current.start, i));
        i = readHeredocBodies(text, i + 1, pending, blank);
        pending = [];
        if (!goesOn) finish(i);
        continue;
      }
      if (current && nesting === 0 && !continues(masked, current.start, i)) finish(i);
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      const eol = text.indexOf("\n", i);
      const stop = eol === -1 ? n : eol;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === ";" && nesting === 0) {
      finish(i);
      i++;
      continue;
    }
    if (!current) current = { start: i, strings: [] };
    if (c === "'" || c === '"' || c === "`") {
      const s = readQuoted(text, i, c, c, c !== "'");
      blank(s.valueStart, s.end - 1);
      current.strings.push(s);
      i = s.end;
      continue;
    }
    if (c === "%" && /[qQwWiI]?[([{<|!/]/y.test(text.slice(i + 1, i + 3))) {
      const kind = /[qQwWiI]/.test(text[i + 1]!) ? text[i + 1]! : "Q";
      const openAt = kind === text[i + 1] ? i + 2 : i + 1;
      const open = text[openAt]!;
      const close = PERCENT_OPEN[open] ?? open;
      const s = readQuoted(text, openAt, open, close, kind === "Q" || kind === "W" || kind === "I");
      s.start = i;
      blank(s.valueStart, s.end - 1);
      current.strings.push(s);
      i = s.end;
      continue;
    }
    if (c === "<" && text[i + 1] === "<") {
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      if (m) {
        const tag = m[2] ?? m[3] ?? m[4]!;
        const string: RubyString = {
          start: i,
          end: i + m[0].length,
          value: "",
          interpolated: false,
          valueStart: i,
        };
        current.strings.push(string);
        pending.push({ tag, squiggly: m[1] !== "", interpolates: m[3] === undefined, string });
        i += m[0].length;
        continue;
      }
    }
    if (c === "(" || c === "[" || c === "{") nesting++;
    else if ((c === ")" || c === "]" || c === "}") && nesting > 0) nesting--;
    i++;
  }
  finish(n);
  return structure(text, masked.join(""), raw);
}

/** A line that ends with `,`, `\`, an operator or an open `|x|`, or whose next line starts with `.`, goes on. */
function continues(masked: string[], start: number, newline: number): boolean {
  let k = newline - 1;
  while (k >= start && (masked[k] === " " || masked[k] === "\t" || masked[k] === "\r")) k--;
  if (k < start) return false;
  const last = masked[k]!;
  if (",\\+*=&|<>(-".includes(last) && !(last === "|" && isBlockParams(masked, start, k))) return true;
  let j = newline + 1;
  while (j < masked.length && (masked[j] === " " || masked[j] === "\t")) j++;
  return masked[j] === "." && masked[j + 1] !== ".";
}

/** `do |x|` ends in `|` without continuing. */
function isBlockParams(masked: string[], start: number, k: number): boolean {
  for (let j = k - 1; j >= start && k - j < 200; j--) {
    if (masked[j] === "|") return /\bdo\s*$|\{\s*$/.test(masked.slice(Math.max(start, j - 10), j).join(""));
  }
  return false;
}

function readQuoted(
  text: string,
  at: number,
  open: string,
  close: string,
  interpolates: boolean,
): RubyString {
  let depth = 1;
  let interpolated = false;
  let k = at + 1;
  while (k < text.length) {
    const ch = text[k]!;
    if (ch === "\\") {
      k += 2;
      continue;
    }
    if (interpolates && ch === "#" && text[k + 1] === "{") {
      interpolated = true;
      k = skipInterpolation(text, k + 2);
      continue;
    }
    if (ch === close && open !== close) {
      if (--depth === 0) break;
    } else if (ch === open && open !== close) depth++;
    else if (ch === close) break;
    k++;
  }
  const end = Math.min(k + 1, text.length);
  return {
    start: at,
    end,
    value: text.slice(at + 1, Math.min(k, text.length)),
    interpolated,
    valueStart: at + 1,
  };
}

/** Skips `#{ … }` by counting braces (strings inside an interpolation are rare in these files). */
function skipInterpolation(text: string, k: number): number {
  let depth = 1;
  while (k < text.length && depth > 0) {
    const ch = text[k]!;
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    else if (ch === "\n" && depth > 0 && k > 0 && text[k - 1] === "\n") break;
    k++;
  }
  return k;
}

/** Reads the bodies of the heredocs opened on the line that just ended; returns where code resumes. */
function readHeredocBodies(
  text: string,
  from: number,
  pending: PendingHeredoc[],
  blank: (from: number, to: number) => void,
): number {
  let k = from;
  for (const h of pending) {
    const bodyStart = k;
    let bodyEnd = text.length;
    let next = text.length;
    while (k < text.length) {
      const eol = text.indexOf("\n", k);
      const lineEnd = eol === -1 ? text.length : eol;
      const line = text.slice(k, lineEnd).replace(/\r$/, "");
      if ((h.squiggly ? line.trim() : line) === h.tag) {
        bodyEnd = k;
        next = eol === -1 ? text.length : eol + 1;
        break;
      }
      k = eol === -1 ? text.length : eol + 1;
    }
    h.string.value = text.slice(bodyStart, bodyEnd);
    h.string.valueStart = bodyStart;
    h.string.interpolated = h.interpolates && h.string.value.includes("#{");
    blank(bodyStart, next);
    k = next;
  }
  return k;
}

function structure(
  text: string,
  masked: string,
  raw: Array<{ start: number; end: number; strings: RubyString[] }>,
): RubyFile {
  const position = positionFinder(lineStarts(text));
  const statements: RubyStatement[] = [];
  const top: RubyStatement[] = [];
  const stack: RubyStatement[] = [];
  for (const r of raw) {
    const code = masked.slice(r.start, r.end).trim();
    if (code === "") continue;
    const at = position(r.start);
    const statement: RubyStatement = {
      start: r.start,
      end: r.end,
      line: at.line,
      column: at.column,
      code,
      strings: r.strings,
    };
    if (CLOSER.test(code)) {
      const opener = stack.pop();
      if (opener) opener.endLine = statement.line;
      continue;
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      statement.parent = parent;
      parent.children!.push(statement);
    } else top.push(statement);
    statements.push(statement);
    const opens =
      DO_BLOCK.test(code) ||
      ((OPENERS.test(code) || ASSIGNED_OPENER.test(code)) && !ENDS_WITH_END.test(code));
    if (opens) {
      statement.children = [];
      stack.push(statement);
    }
  }
  return { text, statements, top, position };
}
