import {
  type Instruction as AstInstruction,
  DockerfileParser,
  type Flag,
  type Property,
} from "dockerfile-ast";
import type { FileVersion } from "../checks/types.js";

/**
 * A Dockerfile as the docker checks see it: build stages, each with its base
 * image resolved through `ARG` defaults where possible, and instructions with
 * 1-based line spans. Built on dockerfile-ast, which is lenient (unknown
 * instructions parse fine); the few things Docker itself rejects outright are
 * collected in `problems` so one check can report them as a parse error while
 * the others still analyse what did parse.
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
  /** The argument words as dockerfile-ast splits them (after flags). */
  words: readonly string[];
  /** Arguments of the exec (JSON array) form, when the instruction uses it. */
  json?: string[];
  /** `KEYWORD flags args`, whitespace collapsed: the stable identity used in anchors. */
  normalized: string;
  /** The underlying dockerfile-ast node, for what this model does not cover. */
  node: AstInstruction;
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
  const ast = DockerfileParser.parse(text);
  const escapeChar = ast.getEscapeCharacter();
  const problems: DockerfileProblem[] = [];

  const globalArgs = new Map<string, string | undefined>();
  const instructions: DockerInstruction[] = [];
  const stages: Stage[] = [];

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const range = node.getRange();
    const flags: DockerFlag[] =
      "getFlags" in node && typeof node.getFlags === "function"
        ? (node.getFlags() as Flag[]).map((f) => ({ name: f.getName().toLowerCase(), value: f.getValue() }))
        : [];
    const argNodes = node.getArguments();
    const words = argNodes.map((a) => a.getValue());
    const args = joinArguments(node, lines, escapeChar);
    const instruction: DockerInstruction = {
      keyword,
      line: range.start.line + 1,
      endLine: range.end.line + 1,
      column: range.start.character + 1,
      stage: stages.length - 1,
      flags,
      args,
      words,
      json: execForm(args),
      normalized: normalizeSpace(
        [keyword, ...flags.map((f) => `--${f.name}${f.value === null ? "" : `=${f.value}`}`), args].join(" "),
      ),
      node,
    };

    if (keyword === "FROM") {
      const stage = buildStage(instruction, stages, globalArgs, problems);
      instruction.stage = stage.index;
      stages.push(stage);
      stage.instructions.push(instruction);
    } else if (stages.length === 0) {
      if (keyword === "ARG") {
        for (const { name, value } of argProperties(instruction)) {
          globalArgs.set(name, value === undefined ? undefined : substitute(value, globalArgs).text);
        }
      } else if (KNOWN_KEYWORDS.has(keyword)) {
        problems.push({
          message: `${keyword} before the first FROM: only ARG may come before FROM`,
          line: instruction.line,
        });
      }
    } else {
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
        script = buildRunScript(instruction, lines, escapeChar);
        scripts.set(instruction, script);
      }
      return script;
    },
    ancestry(stage) {
      const chain: Stage[] = [stage];
      let current = stage;
      while (current.base.kind === "stage" && chain.length <= stages.length) {
        const parent = stages[current.base.stage];
        if (!parent || chain.includes(parent)) break;
        chain.push(parent);
        current = parent;
      }
      return chain;
    },
  };

  for (const instruction of instructions) {
    if (instruction.keyword !== "RUN" && instruction.keyword !== "COPY" && instruction.keyword !== "ADD")
      continue;
    const { heredocs } = model.runScript(instruction);
    const unterminated = heredocs.find((h) => (h as HeredocWithEnd).terminated === false);
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

function buildStage(
  from: DockerInstruction,
  earlier: readonly Stage[],
  globalArgs: ReadonlyMap<string, string | undefined>,
  problems: DockerfileProblem[],
): Stage {
  const index = earlier.length;
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
  earlier: readonly Stage[],
  globalArgs: ReadonlyMap<string, string | undefined>,
): BaseImage {
  const { text, resolved } = substitute(written, globalArgs);
  if (!resolved || text === "") return { kind: "unresolved", text: written };
  const lower = text.toLowerCase();
  if (lower === "scratch") return { kind: "scratch" };
  const stage = earlier.find((s) => s.name === lower);
  if (stage) return { kind: "stage", stage: stage.index };
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

/** `ARG NAME=value` / `ENV NAME=value` / `ENV NAME value` pairs, with where each name is written. */
export function argProperties(instruction: DockerInstruction): PropertyAt[] {
  const node = instruction.node as AstInstruction & {
    getProperties?: () => Property[];
    getProperty?: () => Property | null;
  };
  const props = node.getProperties?.() ?? (node.getProperty?.() ? [node.getProperty()!] : []);
  return props.map((p) => {
    const at = p.getNameRange().start;
    return {
      name: p.getName(),
      value: p.getValue() ?? undefined,
      line: at.line + 1,
      column: at.character + 1,
    };
  });
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

const CONTINUATION_CACHE = new Map<string, RegExp>();
function continuationRe(escapeChar: string): RegExp {
  let re = CONTINUATION_CACHE.get(escapeChar);
  if (!re) {
    re = new RegExp(`${escapeChar === "\\" ? "\\\\" : "`"}[ \\t]*$`);
    CONTINUATION_CACHE.set(escapeChar, re);
  }
  return re;
}

/**
 * Reads the instruction's first logical line from (0-based) `line`/`character`:
 * a line ending in the escape character continues on the next one; blank and
 * comment lines inside a continuation are skipped, as Docker does.
 * Returns the 0-based index of the last source line consumed.
 */
function readLogicalLine(
  lines: readonly string[],
  startLine: number,
  startChar: number,
  lastLine: number,
  escapeChar: string,
  out: MappedBuilder,
): number {
  const cont = continuationRe(escapeChar);
  let i = startLine;
  let from = startChar;
  for (; i <= lastLine && i < lines.length; i++) {
    const raw = lines[i]!;
    if (i > startLine && /^\s*(#.*)?$/.test(raw)) continue;
    const m = cont.exec(raw);
    const piece = m ? raw.slice(from, m.index) : raw.slice(from);
    out.append(piece, i + 1, from + 1);
    from = 0;
    if (!m) return i;
  }
  return Math.min(i, lastLine);
}

function joinArguments(node: AstInstruction, lines: readonly string[], escapeChar: string): string {
  const argNodes = node.getArguments();
  const first = argNodes[0];
  if (!first) return "";
  const start = first.getRange().start;
  const end = node.getRange().end.line;
  const builder = new MappedBuilder();
  const last = readLogicalLine(lines, start.line, start.character, end, escapeChar, builder);
  let text = builder.text;
  if (last < end) {
    // Heredoc bodies follow the command line: keep them in the normalised text.
    text += `\n${lines.slice(last + 1, end + 1).join("\n")}`;
  }
  return normalizeSpace(text);
}

interface HeredocWithEnd extends Heredoc {
  terminated: boolean;
}

const HEREDOC_MARKER = /(^|[^<])<<(-?)[ \t]*(["']?)([A-Za-z0-9_][A-Za-z0-9_.-]*)\3/g;
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"]);

function buildRunScript(
  instruction: DockerInstruction,
  lines: readonly string[],
  escapeChar: string,
): RunScript {
  const node = instruction.node;
  const first = node.getArguments()[0];
  const endLine0 = instruction.endLine - 1;
  const builder = new MappedBuilder();
  let last = instruction.line - 1;
  if (first) {
    const start = first.getRange().start;
    last = readLogicalLine(lines, start.line, start.character, endLine0, escapeChar, builder);
  }
  const command = builder.build(instruction.line);

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
  const markers = [...command.text.matchAll(HEREDOC_MARKER)];
  // Heredocs only exist for RUN, COPY and ADD; a `<<` inside quotes is rare enough to accept.
  let cursor = last + 1;
  for (const m of markers) {
    const stripTabs = m[2] === "-";
    const name = m[4]!;
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
    const before = command.text.slice(0, m.index + m[1]!.length);
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
