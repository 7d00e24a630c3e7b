import type { FileVersion } from "./file.js";

/**
 * A Dockerfile as the docker checks see it: build stages, each with its base
 * image resolved through `ARG` defaults where possible, and instructions with
 * 1-based line spans. The reader follows BuildKit's rules — parser directives
 * (`# escape=`), line continuations with comment and blank lines inside them,
 * heredocs on RUN/COPY/ADD, JSON and shell forms, any letter case — and is
 * lenient like Docker's own parser (unknown instructions are kept). The few
 * things Docker rejects outright are collected in `problems`, so one check can
 * report them as a parse error while the others still analyse what parsed.
 *
 * It is a small single-pass reader rather than dockerfile-ast: that library
 * re-lexes an instruction on every accessor call and measured about 0.3 MB/s,
 * superlinear on long RUN chains (a 500 kB RUN took 7 s) — too slow for a
 * gate that must bound its time on hostile input. This one is linear.
 *
 * RUN instructions also expose their shell text with a map back to source
 * lines, so a finding inside a continued or heredoc RUN points at the line of
 * the offending command, not just the instruction's first line.
 */

export interface ImageRef {
  /** The reference after ARG substitution, e.g. `localhost:5000/team/app:1.2@sha256:…`. */
  text: string;
  /** `host[:port]` when the reference names one (`ghcr.io`, `localhost:5000`); absent for Docker Hub short names. */
  registry?: string;
  /** Path after the registry, e.g. `library/node` is written `node`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type BaseImage =
  | { kind: "scratch" }
  /** `FROM builder`: an earlier stage of the same file. */
  | { kind: "stage"; stage: number }
  /** `viaArg`: the reference came (partly) from an `ARG` default. */
  | { kind: "image"; ref: ImageRef; viaArg: boolean }
  /** Names an ARG without a default (or otherwise cannot be known statically). */
  | { kind: "unresolved"; text: string };

export interface DockerFlag {
  name: string;
  value: string | null;
}

export interface DockerInstruction {
  /** Upper-case keyword (`run` is reported as `RUN`). */
  keyword: string;
  /** 1-based first and last source lines (continuations and heredoc bodies included). */
  line: number;
  endLine: number;
  /** 1-based column of the keyword. */
  column: number;
  /** Index of the stage it belongs to; -1 before the first FROM. */
  stage: number;
  flags: readonly DockerFlag[];
  /** Arguments after the flags, continuations joined and whitespace collapsed. */
  args: string;
  /** The argument words after the flags, split on whitespace (quotes kept). */
  words: readonly string[];
  /** 1-based source position of each word. */
  positions: ReadonlyArray<{ line: number; column: number }>;
  /** `ARG` / `ENV` name-value pairs (quotes removed). */
  properties: readonly PropertyAt[];
  /** Arguments of the exec (JSON array) form, when the instruction uses it. */
  json?: string[];
  /** `KEYWORD flags args`, whitespace collapsed: the stable identity used in anchors. */
  normalized: string;
  /** The arguments after the flags with their source positions (the shell text of a RUN). */
  body: MappedText;
  /** 0-based index of the last source line of the logical line (heredoc bodies follow it). */
  lastLogicalLine: number;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as Docker treats it. */
  name?: string;
  from: DockerInstruction;
  base: BaseImage;
  platform?: string;
  /** Every instruction of the stage, FROM included, in source order. */
  instructions: DockerInstruction[];
}

/** A piece of shell text with the source position of each character. */
export interface MappedText {
  text: string;
  /** 1-based source line and column of a character offset in `text`. */
  position(offset: number): { line: number; column: number };
}

export interface Heredoc {
  name: string;
  /** Body lines, 1-based line numbers. */
  body: Array<{ line: number; text: string }>;
  /** The body is run as a shell script (`RUN <<EOF`, `RUN bash <<EOF`) rather than fed to a command as data. */
  isScript: boolean;
}

export interface RunScript {
  form: "shell" | "exec";
  /** The command line (continuations joined); for the exec form, the `sh -c` argument or the argv joined. */
  command: MappedText;
  heredocs: Heredoc[];
  /** Heredoc bodies that run as shell scripts. */
  scripts: MappedText[];
  /** Exec form: the argv as written. */
  argv?: string[];
}

export interface DockerfileProblem {
  message: string;
  line: number;
}

export interface DockerfileModel {
  escapeChar: string;
  /** `ARG` defaults declared before the first FROM (undefined = declared without a default). */
  globalArgs: ReadonlyMap<string, string | undefined>;
  stages: Stage[];
  instructions: DockerInstruction[];
  /** What Docker would refuse to build; reported as `meta/parse-error`. */
  problems: DockerfileProblem[];
  /** Stage identity for anchors: its name, `final` for an unnamed last stage, else `#index`. */
  stageKey(index: number): string;
  /** The shell text of a RUN (memoised per instruction). */
  runScript(instruction: DockerInstruction): RunScript;
  /** The stage a FROM builds on, following `FROM <earlier stage>` links; the chain ends at an image. */
  ancestry(stage: Stage): Stage[];
}

/** Parses once per file version; every docker check shares the result. */
export function dockerfileOf(file: FileVersion): DockerfileModel {
  return file.memo("dockerfile", () => parseDockerfile(file.text, file.lines));
}

export function parseDockerfile(text: string, sourceLines?: readonly string[]): DockerfileModel {
  const lines = sourceLines ?? splitLines(text);
  const escapeChar = readEscapeDirective(lines);
  const problems: DockerfileProblem[] = [];
  const globalArgs = new Map<string, string | undefined>();
  const instructions: DockerInstruction[] = [];
  const stages: Stage[] = [];
  // Name → first stage of that name: a linear search per FROM was quadratic in the number of stages.
  const stageByName = new Map<string, number>();

  for (const instruction of readInstructions(lines, escapeChar)) {
    const keyword = instruction.keyword;
    if (
      stages.length === 0 &&
      !KNOWN_KEYWORDS.has(keyword) &&
      keyword !== "ARG" &&
      keyword !== "FROM" &&
      /^[A-Z]{2,20}$/.test(keyword)
    ) {
      // A misspelt first FROM (`FORM node:20`) is what is wrong, not the instruction after it. Later
      // unknown words stay lenient: templated Dockerfiles put their own directives there.
      problems.push({
        message: `unknown instruction ${keyword} before the first FROM (a misspelt FROM?)`,
        line: instruction.line,
      });
    }
    if (keyword === "FROM") {
      const stage = buildStage(instruction, stages.length, stageByName, globalArgs, problems);
      instruction.stage = stage.index;
      stages.push(stage);
      if (stage.name !== undefined && !stageByName.has(stage.name)) stageByName.set(stage.name, stage.index);
      stage.instructions.push(instruction);
    } else if (stages.length === 0) {
      instruction.stage = -1;
      if (keyword === "ARG") {
        for (const { name, value } of instruction.properties) {
          globalArgs.set(name, value === undefined ? undefined : substitute(value, globalArgs).text);
        }
      } else if (KNOWN_KEYWORDS.has(keyword)) {
        problems.push({
          message: `${keyword} before the first FROM: only ARG may come before FROM`,
          line: instruction.line,
        });
      }
    } else {
      instruction.stage = stages.length - 1;
      stages[stages.length - 1]!.instructions.push(instruction);
    }
    instructions.push(instruction);
  }

  const scripts = new Map<DockerInstruction, RunScript>();
  const model: DockerfileModel = {
    escapeChar,
    globalArgs,
    stages,
    instructions,
    problems,
    stageKey(index) {
      const stage = stages[index];
      if (!stage) return "global";
      if (stage.name) return stage.name;
      return index === stages.length - 1 ? "final" : `#${index}`;
    },
    runScript(instruction) {
      let script = scripts.get(instruction);
      if (!script) {
        script = buildRunScript(instruction, lines);
        scripts.set(instruction, script);
      }
      return script;
    },
    ancestry(stage) {
      const chain: Stage[] = [stage];
      const seen = new Set<Stage>(chain);
      let current = stage;
      while (current.base.kind === "stage" && chain.length <= stages.length) {
        const parent = stages[current.base.stage];
        if (!parent || seen.has(parent)) break;
        seen.add(parent);
        chain.push(parent);
        current = parent;
      }
      return chain;
    },
  };

  for (const instruction of instructions) {
    if (!HEREDOC_KEYWORDS.has(instruction.keyword)) continue;
    const unterminated = model.runScript(instruction).heredocs.find((h) => !(h as HeredocWithEnd).terminated);
    if (unterminated) {
      problems.push({
        message: `heredoc <<${unterminated.name} is never terminated: add a line containing only ${unterminated.name}`,
        line: instruction.line,
      });
    }
  }
  return model;
}

const KNOWN_KEYWORDS = new Set([
  "ADD",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);
/** Instructions whose leading `--name=value` words are flags. */
const FLAG_KEYWORDS = new Set(["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"]);

// ---------------------------------------------------------------------------
// Reading instructions.

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=(.*)$/;

/** `# escape=` is honoured only in the directive block at the very top of the file. */
function readEscapeDirective(lines: readonly string[]): string {
  let escapeChar = "\\";
  for (const line of lines) {
    const m = DIRECTIVE.exec(line);
    if (!m) break;
    const value = m[2]!.trim();
    if (m[1]!.toLowerCase() === "escape" && (value === "`" || value === "\\")) escapeChar = value;
  }
  return escapeChar;
}

const BLANK_OR_COMMENT = /^\s*(#.*)?$/;

function* readInstructions(lines: readonly string[], escapeChar: string): Generator<DockerInstruction> {
  const continuation = escapeChar === "`" ? /`[ \t]*$/ : /\\[ \t]*$/;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i]!;
    if (BLANK_OR_COMMENT.test(raw)) {
      i++;
      continue;
    }
    const keywordMatch = /^(\s*)(\S+)/.exec(raw)!;
    const keywordStart = keywordMatch[1]!.length;
    let keyword = keywordMatch[2]!;
    // `RUN\` or `RUN<<EOF`: the keyword ends before the escape or the heredoc marker.
    const cut = keyword.search(escapeChar === "`" ? /`|<</ : /\\|<</);
    if (cut > 0) keyword = keyword.slice(0, cut);
    const startLine = i;
    const builder = new MappedBuilder();
    let from = keywordStart + keyword.length;
    // The logical line: continuation lines joined, blank and comment lines inside skipped.
    for (; i < lines.length; i++) {
      const text = lines[i]!;
      if (i > startLine && BLANK_OR_COMMENT.test(text)) continue;
      const m = continuation.exec(text);
      builder.append(m ? text.slice(from, m.index) : text.slice(from), i + 1, from + 1);
      from = 0;
      if (!m) break;
    }
    const lastLogicalLine = Math.min(i, lines.length - 1);
    i = lastLogicalLine + 1;
    const upper = keyword.toUpperCase();
    const logical = builder.build(startLine + 1);
    const instruction = makeInstruction(upper, startLine, keywordStart, lastLogicalLine, logical);
    if (HEREDOC_KEYWORDS.has(upper) && !instruction.json) {
      const end = skipHeredocs(lines, i, logical.text);
      instruction.endLine = end;
      i = end;
    }
    yield instruction;
  }
}

function makeInstruction(
  keyword: string,
  startLine: number,
  keywordStart: number,
  lastLogicalLine: number,
  logical: MappedText,
): DockerInstruction {
  const text = logical.text;
  const words = splitWords(text);
  const flags: DockerFlag[] = [];
  let k = 0;
  if (FLAG_KEYWORDS.has(keyword)) {
    for (; k < words.length && words[k]!.value.startsWith("--"); k++) {
      const w = words[k]!.value.slice(2);
      const eq = w.indexOf("=");
      flags.push(
        eq < 0
          ? { name: w.toLowerCase(), value: null }
          : { name: w.slice(0, eq).toLowerCase(), value: w.slice(eq + 1) },
      );
    }
  }
  const argWords = words.slice(k);
  const bodyStart = argWords[0]?.at ?? text.length;
  const bodyText = text.slice(bodyStart);
  const body: MappedText = {
    text: bodyText,
    position: (offset) => logical.position(bodyStart + offset),
  };
  const args = normalizeSpace(bodyText);
  return {
    keyword,
    line: startLine + 1,
    endLine: lastLogicalLine + 1,
    column: keywordStart + 1,
    stage: -1,
    flags,
    args,
    words: argWords.map((w) => w.value),
    positions: argWords.map((w) => logical.position(w.at)),
    properties: keyword === "ARG" || keyword === "ENV" ? readProperties(keyword, body) : [],
    json: execForm(args),
    // Flags hold no whitespace and args is already collapsed.
    normalized: [keyword, ...flags.map((f) => `--${f.name}${f.value === null ? "" : `=${f.value}`}`), args]
      .filter((part) => part !== "")
      .join(" "),
    body,
    lastLogicalLine,
  };
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

/** Whitespace-separated words with their offsets (a hot path: no regex iterator). */
function splitWords(text: string): Array<{ value: string; at: number }> {
  const words: Array<{ value: string; at: number }> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    words.push({ value: text.slice(start, i), at: start });
  }
  return words;
}

const HEREDOC_AT = /<<(-?)[ \t]*(["']?)([A-Za-z0-9_][A-Za-z0-9_.-]*)\2/y;

interface HeredocMarker {
  /** Offset of `<<` in the command text. */
  index: number;
  stripTabs: boolean;
  name: string;
}

/**
 * `<<EOF` / `<<-"EOF"` markers of a command line, outside quotes (`echo "a <<EOF"`
 * is text) and not here-strings (`<<<`), in order.
 */
function heredocMarkers(text: string): HeredocMarker[] {
  const out: HeredocMarker[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === "<" && text[i + 1] === "<") {
      if (text[i + 2] === "<") {
        i += 2;
        continue;
      }
      HEREDOC_AT.lastIndex = i;
      const m = HEREDOC_AT.exec(text);
      if (m) {
        out.push({ index: i, stripTabs: m[1] === "-", name: m[3]! });
        i += m[0].length - 1;
      } else {
        i++;
      }
    }
  }
  return out;
}

/** The 0-based index of the first line after the heredoc bodies that follow `from`. */
function skipHeredocs(lines: readonly string[], from: number, logicalText: string): number {
  let cursor = from;
  for (const { stripTabs, name } of heredocMarkers(logicalText)) {
    for (; cursor < lines.length; cursor++) {
      const candidate = stripTabs ? lines[cursor]!.replace(/^\t+/, "") : lines[cursor]!;
      if (candidate === name) {
        cursor++;
        break;
      }
    }
  }
  return cursor;
}

/**
 * `ARG A=1 B`, `ENV A=1 B="two words"`, and the legacy `ENV NAME value with spaces`.
 * Quotes are removed from values; each name keeps its source position.
 */
function readProperties(keyword: string, body: MappedText): PropertyAt[] {
  const text = body.text;
  const out: PropertyAt[] = [];
  const firstWord = /^\S+/.exec(text)?.[0] ?? "";
  if (keyword === "ENV" && firstWord !== "" && !firstWord.includes("=")) {
    const value = text.slice(firstWord.length).trim();
    const at = body.position(0);
    return [{ name: firstWord, value: unquote(value), ...at }];
  }
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let token = "";
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        const end = close < 0 ? text.length : close;
        token += text.slice(i, end + 1);
        i = end + 1;
      } else {
        token += c;
        i++;
      }
    }
    const eq = token.indexOf("=");
    const name = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? undefined : unquote(token.slice(eq + 1));
    out.push({ name, value, ...body.position(start) });
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value.replace(/(^|[^\\])["']/g, "$1");
}

function buildStage(
  from: DockerInstruction,
  index: number,
  earlier: ReadonlyMap<string, number>,
  globalArgs: ReadonlyMap<string, string | undefined>,
  problems: DockerfileProblem[],
): Stage {
  const words = from.words;
  const imageWord = words[0];
  let name: string | undefined;
  if (words.length >= 3 && words[1]!.toUpperCase() === "AS") name = words[2]!.toLowerCase();
  const platform = from.flags.find((f) => f.name === "platform")?.value ?? undefined;
  let base: BaseImage;
  if (!imageWord) {
    problems.push({ message: "FROM names no image", line: from.line });
    base = { kind: "unresolved", text: "" };
  } else {
    base = resolveBase(imageWord, earlier, globalArgs);
  }
  return { index, name, from, base, platform, instructions: [] };
}

function resolveBase(
  written: string,
  earlier: ReadonlyMap<string, number>,
  globalArgs: ReadonlyMap<string, string | undefined>,
): BaseImage {
  // Image references are short; a huge FROM word is not worth expanding (and must not cost time).
  if (written.length > 1024) return { kind: "unresolved", text: written.slice(0, 64) };
  const { text, resolved } = substitute(written, globalArgs);
  if (!resolved || text === "") return { kind: "unresolved", text: written };
  const lower = text.toLowerCase();
  if (lower === "scratch") return { kind: "scratch" };
  const stage = earlier.get(lower);
  if (stage !== undefined) return { kind: "stage", stage };
  return { kind: "image", ref: parseImageRef(text), viaArg: text !== written };
}

/**
 * `[registry/]repository[:tag][@digest]`. The first path component is a
 * registry when it has a dot or a port, or is `localhost` — the rule Docker uses.
 */
export function parseImageRef(text: string): ImageRef {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf("/");
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { text, registry, repository: rest, tag: tag || undefined, digest: digest || undefined };
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from ARG defaults. */
export function substitute(
  text: string,
  vars: ReadonlyMap<string, string | undefined>,
): { text: string; resolved: boolean } {
  if (!text.includes("$")) return { text, resolved: true };
  // Values worth expanding are short; this also bounds the work on hostile input.
  if (text.length > 4096) return { text, resolved: false };
  let resolved = true;
  const out = text.replace(
    VARIABLE,
    (_whole, braced: string | undefined, op: string | undefined, word = "", bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = vars.get(name);
      const set = value !== undefined && (value !== "" || !op?.startsWith(":"));
      if (op?.endsWith("-")) return set ? value! : word;
      if (op?.endsWith("+")) return set ? word : "";
      if (value === undefined) {
        resolved = false;
        return "";
      }
      return value;
    },
  );
  return { text: out, resolved };
}

export interface PropertyAt {
  name: string;
  value?: string;
  /** 1-based position of the name (a property on a continuation line has its own line). */
  line: number;
  column: number;
}

export interface PropertyAt {
  name: string;
  value?: string;
  /** 1-based position of the name (a property on a continuation line has its own line). */
  line: number;
  column: number;
}

/** `ARG NAME=value` / `ENV NAME=value` / `ENV NAME value` pairs, with where each name is written. */
export function argProperties(instruction: DockerInstruction): readonly PropertyAt[] {
  return instruction.properties;
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) return parsed as string[];
  } catch {
    // Not valid JSON: Docker then runs it in shell form.
  }
  return undefined;
}

export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function splitLines(text: string): string[] {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return body === "" ? [] : body.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

// ---------------------------------------------------------------------------
// Logical lines: continuations joined, with a map back to source positions.

interface Segment {
  /** Offset in the joined text where this segment starts. */
  at: number;
  line: number;
  column: number;
}

class MappedBuilder {
  text = "";
  private readonly segments: Segment[] = [];

  append(piece: string, line: number, column: number): void {
    if (piece === "") return;
    this.segments.push({ at: this.text.length, line, column });
    this.text += piece;
  }

  build(fallbackLine: number): MappedText {
    const segments = this.segments;
    const text = this.text;
    return {
      text,
      position(offset) {
        if (segments.length === 0) return { line: fallbackLine, column: 1 };
        let lo = 0;
        let hi = segments.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (segments[mid]!.at <= offset) lo = mid;
          else hi = mid - 1;
        }
        const s = segments[lo]!;
        return { line: s.line, column: s.column + Math.max(0, offset - s.at) };
      },
    };
  }
}

interface HeredocWithEnd extends Heredoc {
  terminated: boolean;
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"]);

function buildRunScript(instruction: DockerInstruction, lines: readonly string[]): RunScript {
  const endLine0 = instruction.endLine - 1;
  const command = instruction.body;
  const last = instruction.lastLogicalLine;

  if (instruction.json) {
    const argv = instruction.json;
    const program = basename(argv[0] ?? "");
    const cIndex = argv.indexOf("-c");
    const shellText =
      SHELLS.has(program) && cIndex > 0 && cIndex + 1 < argv.length ? argv[cIndex + 1]! : argv.join(" ");
    const line = instruction.line;
    const mapped: MappedText = { text: shellText, position: () => ({ line, column: instruction.column }) };
    return { form: "exec", command: mapped, heredocs: [], scripts: [], argv };
  }

  const heredocs: HeredocWithEnd[] = [];
  let cursor = last + 1;
  for (const { index, stripTabs, name } of heredocMarkers(command.text)) {
    const body: Array<{ line: number; text: string }> = [];
    let terminated = false;
    for (; cursor <= endLine0 && cursor < lines.length; cursor++) {
      const raw = lines[cursor]!;
      const candidate = stripTabs ? raw.replace(/^\t+/, "") : raw;
      if (candidate === name) {
        terminated = true;
        cursor++;
        break;
      }
      body.push({ line: cursor + 1, text: candidate });
    }
    const before = command.text.slice(0, index);
    const isScript = instruction.keyword === "RUN" && heredocIsScript(before);
    heredocs.push({ name, body, isScript, terminated });
  }
  const scripts = heredocs
    .filter((h) => h.isScript)
    .map((h) => {
      const b = new MappedBuilder();
      for (const row of h.body) b.append(`${row.text}\n`, row.line, 1);
      return b.build(instruction.line);
    });
  return { form: "shell", command, heredocs, scripts };
}

/**
 * `RUN <<EOF` runs the body with the default shell; `RUN bash -e <<EOF` feeds
 * it to a shell; `RUN cat <<EOF > file` only writes it somewhere (data).
 */
function heredocIsScript(before: string): boolean {
  const segment = before.split(/&&|\|\||;|\|/).pop() ?? "";
  const words = segment.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  return SHELLS.has(basename(words[0]!));
}

export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}
