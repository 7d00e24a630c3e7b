/**
 * A small POSIX-shell reader for `RUN` lines: enough structure to tell which
 * program runs with which arguments and what pipes into what — not a full
 * shell grammar. Quotes, escapes, `$(…)`, backticks and `<(…)` are honoured;
 * the bodies of substitutions are read too (marked `nested`), because
 * `sh -c "$(curl …)"` hides the interesting command inside one.
 *
 * Linear in the input; nesting is bounded, so hostile input cannot blow up.
 *
 * Used by the docker checks (`RUN`) and meant for any family that runs shell
 * (actions, pipelines). Its sibling `env-files.ts` is a line-level reader of
 * whole scripts; docs/architecture/layers.md says why they are two and what
 * one reader for both would take.
 */

export interface Word {
  /** The value with quotes and escapes removed (substitutions kept verbatim). */
  value: string;
  /** Offset of the word's first character in the text that was read. */
  start: number;
  end: number;
  /** Contained a `$(…)`, backtick or `<(…)` substitution. */
  substitution: boolean;
  /** Some of it was quoted. */
  quoted: boolean;
}

export interface Redirect {
  op: string;
  target?: Word;
}

export interface SimpleCommand {
  /** `NAME=value` prefixes. */
  assignments: Word[];
  /** Program and its arguments. */
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
  /** Read from inside a `$(…)`, backtick or `<(…)` substitution. */
  nested: boolean;
}

export interface Pipeline {
  commands: SimpleCommand[];
  start: number;
  end: number;
}

const MAX_DEPTH = 6;
const CONTROL_WORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "!",
  "{",
  "}",
]);

/** Reads shell text into pipelines of simple commands, substitutions included (flattened, `nested`). */
export function parseShell(text: string, base = 0, depth = 0): Pipeline[] {
  const pipelines: Pipeline[] = [];
  const nestedTexts: Array<{ text: string; at: number }> = [];
  let commands: SimpleCommand[] = [];
  let current: SimpleCommand | undefined;
  let pendingRedirect: Redirect | undefined;
  let i = 0;
  const n = text.length;

  const command = (start = base + i): SimpleCommand => {
    current ??= {
      assignments: [],
      words: [],
      redirects: [],
      start,
      end: start,
      nested: depth > 0,
    };
    return current;
  };
  const endCommand = () => {
    if (
      current &&
      (current.words.length > 0 || current.assignments.length > 0 || current.redirects.length > 0)
    ) {
      commands.push(current);
    }
    current = undefined;
    pendingRedirect = undefined;
  };
  const endPipeline = () => {
    endCommand();
    if (commands.length > 0) {
      pipelines.push({ commands, start: commands[0]!.start, end: commands[commands.length - 1]!.end });
    }
    commands = [];
  };

  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "\n" || c === ";") {
      endPipeline();
      i++;
      if (text[i] === ";") i++;
      continue;
    }
    if (c === "&") {
      if (text[i + 1] === "&") {
        endPipeline();
        i += 2;
        continue;
      }
      if (text[i + 1] === ">") {
        pendingRedirect = { op: "&>" };
        command().redirects.push(pendingRedirect);
        i += text[i + 2] === ">" ? 3 : 2;
        continue;
      }
      endPipeline();
      i++;
      continue;
    }
    if (c === "|") {
      if (text[i + 1] === "|") {
        endPipeline();
        i += 2;
        continue;
      }
      endCommand();
      i += text[i + 1] === "&" ? 2 : 1;
      continue;
    }
    if (c === "(" || c === ")") {
      endPipeline();
      i++;
      continue;
    }
    if (c === "#" && (current === undefined || isWordBoundary(text, i - 1))) {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if ((c === "<" || c === ">") && text[i + 1] !== "(") {
      let j = i + 1;
      while (j < n && (text[j] === "<" || text[j] === ">" || text[j] === "&" || text[j] === "-") && j - i < 3)
        j++;
      pendingRedirect = { op: text.slice(i, j) };
      command().redirects.push(pendingRedirect);
      i = j;
      continue;
    }
    // A word (possibly a file-descriptor prefix like `2>`).
    const word = readWord(text, i, base, nestedTexts);
    i = word.next;
    if (/^\d+$/.test(word.word.value) && (text[i] === ">" || text[i] === "<") && text[i + 1] !== "(")
      continue;
    const cmd = command(word.word.start);
    if (pendingRedirect) {
      pendingRedirect.target = word.word;
      pendingRedirect = undefined;
    } else if (cmd.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.word.value)) {
      cmd.assignments.push(word.word);
    } else if (cmd.words.length === 0 && cmd.assignments.length === 0 && CONTROL_WORDS.has(word.word.value)) {
      // `if curl … | sh; then`: the keyword is not the program.
    } else {
      cmd.words.push(word.word);
    }
    cmd.end = word.word.end;
  }
  endPipeline();

  if (depth < MAX_DEPTH) {
    for (const nested of nestedTexts) pipelines.push(...parseShell(nested.text, nested.at, depth + 1));
  }
  return pipelines;
}

function isWordBoundary(text: string, i: number): boolean {
  return i < 0 || /\s|[;&|()]/.test(text[i]!);
}

const WORD_END = /[\s;&|()<>]/;

/**
 * ASCII characters a word's reading must look at one by one (quotes, escapes, `$`, backticks, what
 * ends a word); any other ASCII character is copied with its neighbours in one slice. Character by
 * character, with a regular expression per character, this reader was most of the shell reading's
 * time on pipelines of many one-line scripts. Non-ASCII characters take the careful path (`\s`
 * includes Unicode spaces).
 */
const PLAIN_IN_WORD = asciiTable((c) => !/[\s;&|()<>\\'"$`]/.test(c));
/** The same inside double quotes, where only the closing quote, escapes and substitutions matter. */
const PLAIN_IN_QUOTES = asciiTable((c) => !/["\\$`]/.test(c));

function asciiTable(plain: (c: string) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = plain(String.fromCharCode(code)) ? 1 : 0;
  return table;
}

/** The end of the run of plain characters from `i`. */
function plainRun(text: string, i: number, n: number, table: Uint8Array): number {
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code >= 128 || table[code] === 0) break;
    i++;
  }
  return i;
}

function readWord(
  text: string,
  start: number,
  base: number,
  nested: Array<{ text: string; at: number }>,
): { word: Word; next: number } {
  let i = start;
  let value = "";
  let substitution = false;
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const plainEnd = plainRun(text, i, n, PLAIN_IN_WORD);
    if (plainEnd > i) {
      value += text.slice(i, plainEnd);
      i = plainEnd;
      if (i >= n) break;
    }
    const c = text[i]!;
    if (c === "\\") {
      if (text[i + 1] === "\n") {
        i += 2;
        continue;
      }
      if (i + 1 < n) value += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      quoted = true;
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? n : close;
      value += text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
      while (i < n && text[i] !== '"') {
        const quotedEnd = plainRun(text, i, n, PLAIN_IN_QUOTES);
        if (quotedEnd > i) {
          value += text.slice(i, quotedEnd);
          i = quotedEnd;
          continue;
        }
        if (text[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== "\n") value += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === "$" && text[i + 1] === "(") {
          const end = matchParen(text, i + 1);
          nested.push({ text: text.slice(i + 2, end), at: base + i + 2 });
          value += text.slice(i, Math.min(end + 1, n));
          substitution = true;
          i = end + 1;
          continue;
        }
        if (text[i] === "`") {
          const end = closeBacktick(text, i);
          nested.push({ text: text.slice(i + 1, end), at: base + i + 1 });
          value += text.slice(i, Math.min(end + 1, n));
          substitution = true;
          i = end + 1;
          continue;
        }
        value += text[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      const end = matchParen(text, i + 1);
      nested.push({ text: text.slice(i + 2, end), at: base + i + 2 });
      value += text.slice(i, Math.min(end + 1, n));
      substitution = true;
      i = end + 1;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const close = text.indexOf("}", i + 2);
      const end = close < 0 ? n - 1 : close;
      value += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (c === "`") {
      const end = closeBacktick(text, i);
      nested.push({ text: text.slice(i + 1, end), at: base + i + 1 });
      value += text.slice(i, Math.min(end + 1, n));
      substitution = true;
      i = end + 1;
      continue;
    }
    if ((c === "<" || c === ">") && text[i + 1] === "(") {
      const end = matchParen(text, i + 1);
      nested.push({ text: text.slice(i + 2, end), at: base + i + 2 });
      value += text.slice(i, Math.min(end + 1, n));
      substitution = true;
      i = end + 1;
      continue;
    }
    if (WORD_END.test(c)) break;
    value += c;
    i++;
  }
  if (i === start) {
    // Never return an empty read: consume one character so the caller always advances.
    value = text[i] ?? "";
    i++;
  }
  return {
    word: { value, start: base + start, end: base + Math.min(i, n), substitution, quoted },
    next: i,
  };
}

/** Index of the `)` closing the `(` at `open`, skipping quotes; the end of text when unbalanced. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return text.length;
      i = close;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

function closeBacktick(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "`") return i;
  }
  return text.length;
}

/** The program a simple command really runs, after `sudo`, `env`, `exec`, `command`, … wrappers. */
export interface Invocation {
  /** Program name without its directory (`/usr/bin/curl` → `curl`). */
  program: string;
  args: Word[];
  /** `NAME=value` given as prefixes or through `env`. */
  env: Map<string, string>;
  /** Run through `sudo`. */
  sudo: boolean;
  command: SimpleCommand;
}

const SUDO_OPTIONS_WITH_VALUE = new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"]);
const PASSTHROUGH = new Set(["exec", "command", "nohup", "time", "builtin", "stdbuf"]);

export function invocation(command: SimpleCommand): Invocation | undefined {
  const env = new Map<string, string>();
  for (const a of command.assignments) addAssignment(env, a.value);
  let words = command.words;
  let sudo = false;
  for (let guard = 0; guard < 8 && words.length > 0; guard++) {
    const program = basename(words[0]!.value);
    if (program === "sudo" || program === "doas") {
      sudo = true;
      let k = 1;
      while (k < words.length && words[k]!.value.startsWith("-")) {
        if (words[k]!.value === "--") {
          k++;
          break;
        }
        k += SUDO_OPTIONS_WITH_VALUE.has(words[k]!.value) ? 2 : 1;
      }
      words = words.slice(k);
    } else if (program === "env") {
      let k = 1;
      while (k < words.length && (words[k]!.value.startsWith("-") || words[k]!.value.includes("="))) {
        if (words[k]!.value.includes("=") && !words[k]!.value.startsWith("-"))
          addAssignment(env, words[k]!.value);
        k++;
      }
      words = words.slice(k);
    } else if (PASSTHROUGH.has(program)) {
      let k = 1;
      while (k < words.length && words[k]!.value.startsWith("-")) k++;
      words = words.slice(k);
    } else if (program === "nice") {
      let k = 1;
      while (k < words.length && words[k]!.value.startsWith("-")) k += words[k]!.value === "-n" ? 2 : 1;
      words = words.slice(k);
    } else {
      return { program, args: words.slice(1), env, sudo, command };
    }
  }
  if (words.length === 0) return undefined;
  return { program: basename(words[0]!.value), args: words.slice(1), env, sudo, command };
}

function addAssignment(env: Map<string, string>, text: string): void {
  const eq = text.indexOf("=");
  if (eq > 0) env.set(text.slice(0, eq), text.slice(eq + 1));
}

function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}
