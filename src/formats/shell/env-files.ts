/**
 * Which lines of a `run:` script send text to the runner's command files
 * (`$GITHUB_ENV`, `$GITHUB_PATH`, `$GITHUB_OUTPUT`). A line writes to one when
 *
 * - it names the file itself (`echo "A=$B" >> "$GITHUB_ENV"`, `| tee -a`,
 *   PowerShell's `$env:GITHUB_ENV`);
 * - it sits in a brace group, subshell, loop or `if` whose end is redirected
 *   there (`{ …; } >> "$GITHUB_ENV"`, `) >> $GITHUB_OUTPUT`, `done >> …`);
 * - it follows `exec >> "$GITHUB_ENV"` (every later command's output goes
 *   there) or writes to a descriptor opened on the file (`exec 3>>…`, `>&3`);
 * - it is the body of a heredoc fed to such a command (`cat >> "$GITHUB_ENV" <<EOF`).
 *
 * This is a line-level reading, not a shell parser: it errs towards "writes".
 * One pass, constant work per character: a 1 MB script stays linear.
 *
 * Used by the actions checks; the command files are GitHub's, but the reading
 * (blocks, `exec` redirection, heredocs) is plain shell. Its sibling
 * `commands.ts` reads one command line into words and pipelines; see
 * docs/architecture/layers.md for why they stay two readers.
 */

export const ENV_FILES = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"] as const;
export type EnvFile = (typeof ENV_FILES)[number];

export interface FileWrite {
  file: EnvFile;
  /** Index of the line in the script. */
  line: number;
  /** Offset of the line's first character in the script. */
  offset: number;
  text: string;
  /** The shell expands `$VAR` on this line (false in the body of a `<<'EOF'` heredoc). */
  expands: boolean;
  how: "direct" | "group" | "exec" | "heredoc";
}

/** Deeper nesting than this is not tracked (its redirections are missed, nothing else). */
const MAX_NESTING = 64;
const CACHE_SIZE = 500;
const cache = new Map<string, FileWrite[]>();

const MENTION = /GITHUB_(?:ENV|PATH|OUTPUT)/;
const BASH_REF = /\$\{?(GITHUB_(?:ENV|PATH|OUTPUT))\b/;
const PWSH_REF = /\$env:(GITHUB_(?:ENV|PATH|OUTPUT))\b/i;

/** The command file a line names, if any. */
export function fileNamedIn(line: string): EnvFile | undefined {
  if (!MENTION.test(line) && !/github_(?:env|path|output)/i.test(line)) return undefined;
  const m = BASH_REF.exec(line) ?? PWSH_REF.exec(line);
  return m ? (m[1]!.toUpperCase() as EnvFile) : undefined;
}

interface Heredoc {
  delim: string;
  strip: boolean;
  quoted: boolean;
  target?: EnvFile;
}

type Block = "{" | "(" | "if" | "loop" | "case";
const CLOSES: Record<string, Block> = { "}": "{", ")": "(", fi: "if", done: "loop", esac: "case" };

export function fileWrites(script: string): FileWrite[] {
  if (!MENTION.test(script) && !/github_(?:env|path|output)/i.test(script)) return [];
  const cached = cache.get(script);
  if (cached) return cached;
  const out = computeWrites(script);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(script, out);
  return out;
}

function computeWrites(script: string): FileWrite[] {
  const lines = script.split("\n");
  const offsets: number[] = [];
  let offset = 0;
  for (const l of lines) {
    offsets.push(offset);
    offset += l.length + 1;
  }
  const found = new Map<string, FileWrite>();
  const add = (file: EnvFile, line: number, how: FileWrite["how"], expands: boolean) => {
    const key = `${line}:${file}`;
    if (!found.has(key))
      found.set(key, { file, line, offset: offsets[line]!, text: lines[line]!, expands, how });
  };

  const pending: Heredoc[] = [];
  const noExpand = new Set<number>();
  const skip = new Set<number>();
  const stack: Array<{ kind: Block; line: number }> = [];
  // Lines inside a block redirected to a file: +1 at the opening line, -1 after the closing one.
  const cover: Record<EnvFile, Map<number, number>> = {
    GITHUB_ENV: new Map(),
    GITHUB_PATH: new Map(),
    GITHUB_OUTPUT: new Map(),
  };
  let exec: EnvFile | undefined;
  const fds = new Map<string, EnvFile>();

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.replace(/\r$/, "");
    const heredoc = pending[0];
    if (heredoc) {
      const body = heredoc.strip ? text.replace(/^\t+/, "") : text;
      if (body === heredoc.delim || body.trim() === heredoc.delim) {
        pending.shift();
        skip.add(i);
        continue;
      }
      if (heredoc.quoted) noExpand.add(i);
      const target = heredoc.target ?? exec;
      if (target) add(target, i, "heredoc", !heredoc.quoted);
      continue;
    }
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      skip.add(i);
      continue;
    }
    const named = fileNamedIn(text);
    if (named) {
      for (const f of ENV_FILES) if (f === named || mentions(text, f)) add(f, i, "direct", true);
    }

    // exec redirections change where every later command's output goes.
    const execMatch = /^exec\b(.*)$/.exec(trimmed);
    if (execMatch) {
      const rest = execMatch[1]!;
      const redirect = /(\d*)(&?)>/.exec(rest);
      if (redirect) {
        const fd = redirect[1] || "1";
        // `exec >&3` sends output to a descriptor opened on a file earlier.
        const dup = /^>?&\s*(\d)/.exec(rest.slice(redirect.index + redirect[0].length));
        const target = named ?? (dup ? fds.get(dup[1]!) : undefined);
        if (fd === "1" || redirect[2] === "&") exec = target;
        else if (fd === "2")
          exec = target ?? exec; // `exec 2>&1` leaves stdout where it was
        else if (target) fds.set(fd, target);
        else fds.delete(fd);
      }
    } else if (exec) {
      add(exec, i, "exec", true);
    }
    if (fds.size > 0) {
      for (const m of text.matchAll(/>&\s*(\d)/g)) {
        const f = fds.get(m[1]!);
        if (f) add(f, i, "direct", true);
      }
    }

    for (const h of heredocsIn(text)) pending.push({ ...h, target: named ?? exec });

    // Blocks: openers push, closers pop; a closer redirected to a file covers the block.
    const bare = stripQuotes(trimmed);
    const closer = /^(\}|\)|fi\b|done\b|esac\b)/.exec(bare);
    if (closer) {
      const kind = CLOSES[closer[1]!]!;
      let at = -1;
      for (let k = stack.length - 1; k >= 0; k--) {
        if (stack[k]!.kind === kind) {
          at = k;
          break;
        }
      }
      if (at !== -1) {
        const open = stack[at]!;
        stack.length = at;
        if (named && /(>|\btee\b)/.test(bare)) {
          const m = cover[named];
          m.set(open.line, (m.get(open.line) ?? 0) + 1);
          m.set(i + 1, (m.get(i + 1) ?? 0) - 1);
        }
      }
    }
    const opener = openerOf(bare);
    if (opener && stack.length < MAX_NESTING) stack.push({ kind: opener, line: i });
  }

  for (const file of ENV_FILES) {
    const marks = cover[file];
    if (marks.size === 0) continue;
    const starts = [...marks.keys()].sort((a, b) => a - b);
    let depth = 0;
    for (let s = 0; s < starts.length; s++) {
      depth += marks.get(starts[s]!)!;
      if (depth <= 0) continue;
      const end = s + 1 < starts.length ? starts[s + 1]! : lines.length;
      for (let i = starts[s]!; i < end; i++) {
        if (!skip.has(i)) add(file, i, "group", !noExpand.has(i));
      }
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line || a.file.localeCompare(b.file));
}

function mentions(text: string, file: EnvFile): boolean {
  return (
    text.includes(`$${file}`) ||
    text.includes(`\${${file}`) ||
    text.toLowerCase().includes(`$env:${file.toLowerCase()}`)
  );
}

/** The kind of block a line opens and leaves open (`{`, `(`, `if`, loops, `case`), if any. */
function openerOf(bare: string): Block | undefined {
  if (bare.startsWith("{")) {
    const noParams = bare.replace(/\$\{[^{}]*\}/g, "");
    return count(noParams, "{") > count(noParams, "}") ? "{" : undefined;
  }
  if (bare.startsWith("(")) return count(bare, "(") > count(bare, ")") ? "(" : undefined;
  const kw = /^(if|for|while|until|select|case)\b/.exec(bare);
  if (!kw) return undefined;
  const kind: Block = kw[1] === "if" ? "if" : kw[1] === "case" ? "case" : "loop";
  const close =
    kind === "if" ? /(^|[;&|\s])fi\b/ : kind === "case" ? /(^|[;&|\s])esac\b/ : /(^|[;&|\s])done\b/;
  return close.test(bare) ? undefined : kind;
}

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** The line with quoted strings emptied (so `echo "}"` closes nothing). */
function stripQuotes(text: string): string {
  if (!text.includes("'") && !text.includes('"')) return text;
  return text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
}

/** Heredoc operators outside quotes: `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF` (not `<<<`). */
export function heredocsIn(line: string): Array<Omit<Heredoc, "target">> {
  if (!line.includes("<<")) return [];
  const out: Array<Omit<Heredoc, "target">> = [];
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) break;
    if (c !== "<" || line[i + 1] !== "<" || line[i + 2] === "<" || line[i - 1] === "<") continue;
    let j = i + 2;
    const strip = line[j] === "-";
    if (strip) j++;
    while (line[j] === " " || line[j] === "\t") j++;
    let delim = "";
    let quoted = false;
    const q = line[j];
    if (q === "'" || q === '"') {
      const end = line.indexOf(q, j + 1);
      if (end === -1) break;
      delim = line.slice(j + 1, end);
      quoted = true;
      j = end + 1;
    } else {
      if (q === "\\") {
        quoted = true;
        j++;
      }
      const m = /^[^\s;&|<>()'"]+/.exec(line.slice(j, j + 256));
      delim = m?.[0] ?? "";
      j += delim.length;
    }
    // `$((1 << 2))` is a shift, not a heredoc.
    if (delim !== "" && !/^\d+$/.test(delim)) out.push({ delim, strip, quoted });
    i = j - 1;
  }
  return out;
}
