/**
 * Slash commands: the words people type on a pull request to talk to Tollgate.
 * Only lines that start with `/tollgate` are commands (case-insensitive), a
 * comment may hold several, and quoted or fenced text never counts, so quoting
 * someone's command in a reply does not run it again.
 */

export type Command =
  | { kind: "help"; line: number; text: string; unknown?: string }
  | { kind: "recheck"; line: number; text: string }
  | { kind: "explain"; line: number; text: string; ruleId: string }
  | {
      kind: "ignore";
      line: number;
      text: string;
      /** Absent = the finding of the review thread the command was posted in. */
      ruleId?: string;
      path?: string;
      fileLine?: number;
      reason: string;
    }
  | {
      kind: "unignore";
      line: number;
      text: string;
      /** `all`, a rule id, or absent = the finding of the review thread. */
      target?: string;
    }
  /** A command Tollgate recognised but cannot act on; `problem` says why, in words for the reply. */
  | { kind: "invalid"; line: number; text: string; verb: string; problem: string };

export type CommandKind = Command["kind"];

/** Bounds: a comment is untrusted input of any size. */
export const MAX_COMMENT_CHARS = 65_536;
export const MAX_COMMANDS_PER_COMMENT = 10;
const MAX_LINE_CHARS = 2_000;
export const MAX_REASON_CHARS = 500;

// Up to three spaces of indent, as Markdown allows before a paragraph; a tab or four spaces make an indented code block.
const COMMAND_LINE = /^ {0,3}\/tollgate(?=\s|$)(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

export const IGNORE_SYNTAX = "/tollgate ignore <rule-id> [<path>[:<line>]] -- <reason>";

/** Every `/tollgate` command in a comment body, in order. */
export function parseCommands(body: string | null | undefined): Command[] {
  if (!body) return [];
  const lines = body.slice(0, MAX_COMMENT_CHARS).split(/\r?\n/);
  const out: Command[] = [];
  let fence: string | undefined;
  let inHtmlComment = false;
  for (let i = 0; i < lines.length && out.length < MAX_COMMANDS_PER_COMMENT; i++) {
    const raw = lines[i]!;
    if (inHtmlComment) {
      // GitHub hides everything up to the closing `-->`: a command there would be invisible to reviewers.
      if (raw.includes("-->")) inHtmlComment = false;
      continue;
    }
    const fenceMatch = FENCE.exec(raw);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      // CommonMark: a closing fence is the same character, at least as long, with nothing after it.
      else if (marker[0] === fence[0] && marker.length >= fence.length && fenceMatch[2]!.trim() === "")
        fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (opensHtmlComment(raw)) {
      inHtmlComment = true;
      continue;
    }
    const m = COMMAND_LINE.exec(raw);
    if (!m) continue;
    const text = raw.trim().slice(0, MAX_LINE_CHARS);
    out.push(parseArguments(m[1]!.slice(0, MAX_LINE_CHARS), i + 1, text));
  }
  return out;
}

/** A line that leaves an HTML comment open (`<!--` with no `-->` after it). */
function opensHtmlComment(line: string): boolean {
  const open = line.lastIndexOf("<!--");
  return open >= 0 && !line.includes("-->", open + 4);
}

function parseArguments(rest: string, line: number, text: string): Command {
  const trimmed = rest.trim();
  const verbMatch = /^(\S+)\s*(.*)$/s.exec(trimmed);
  if (!verbMatch) return { kind: "help", line, text };
  const verb = verbMatch[1]!.toLowerCase();
  const args = verbMatch[2]!;
  switch (verb) {
    case "help":
      return { kind: "help", line, text };
    case "recheck":
      return { kind: "recheck", line, text };
    case "explain":
      return parseExplain(args, line, text);
    case "ignore":
      return parseIgnore(args, line, text);
    case "unignore":
      return parseUnignore(args, line, text);
    default:
      return { kind: "help", line, text, unknown: verb.slice(0, 40) };
  }
}

function parseExplain(args: string, line: number, text: string): Command {
  const words = splitWords(args);
  if (words.length !== 1 || !RULE_ID.test(normaliseRuleId(words[0]!))) {
    return {
      kind: "invalid",
      line,
      text,
      verb: "explain",
      problem: "`explain` takes one rule id, e.g. `/tollgate explain docker/runs-as-root`.",
    };
  }
  return { kind: "explain", line, text, ruleId: normaliseRuleId(words[0]!) };
}

function parseIgnore(args: string, line: number, text: string): Command {
  const invalid = (problem: string): Command => ({ kind: "invalid", line, text, verb: "ignore", problem });
  const sep = /(?:^|\s)--(?:\s|$)/.exec(args);
  if (!sep) {
    return invalid(`a reason is required: \`${IGNORE_SYNTAX}\`.`);
  }
  const before = splitWords(args.slice(0, sep.index));
  const reason = args
    .slice(sep.index + sep[0].length)
    .trim()
    .replace(/\s+/g, " ");
  if (reason === "") return invalid(`a reason is required after \`--\`: \`${IGNORE_SYNTAX}\`.`);
  if (reason.length > MAX_REASON_CHARS) {
    return invalid(`the reason is longer than ${MAX_REASON_CHARS} characters.`);
  }
  if (before.length === 0) return { kind: "ignore", line, text, reason };
  if (before.length > 2) {
    return invalid(`too many words before \`--\`: \`${IGNORE_SYNTAX}\`.`);
  }
  const ruleId = normaliseRuleId(before[0]!);
  if (!RULE_ID.test(ruleId)) {
    return invalid(`\`${before[0]!.slice(0, 80)}\` is not a rule id (rule ids look like \`family/name\`).`);
  }
  const cmd: Extract<Command, { kind: "ignore" }> = { kind: "ignore", line, text, ruleId, reason };
  if (before.length === 2) {
    const where = parseWhere(before[1]!);
    if (!where) return invalid(`\`${before[1]!.slice(0, 200)}\` is not a path or \`path:line\`.`);
    cmd.path = where.path;
    if (where.line !== undefined) cmd.fileLine = where.line;
  }
  return cmd;
}

function parseUnignore(args: string, line: number, text: string): Command {
  const words = splitWords(args);
  if (words.length === 0) return { kind: "unignore", line, text };
  const target = normaliseRuleId(words[0]!);
  if (words.length > 1 || (target !== "all" && !RULE_ID.test(target))) {
    return {
      kind: "invalid",
      line,
      text,
      verb: "unignore",
      problem: "`unignore` takes one rule id or `all`, e.g. `/tollgate unignore docker/runs-as-root`.",
    };
  }
  return { kind: "unignore", line, text, target };
}

/** `path`, `path:12`, with optional backticks or quotes and a leading `./`. */
export function parseWhere(word: string): { path: string; line?: number } | undefined {
  const unquoted = word.replace(/^[`'"]+|[`'"]+$/g, "");
  const m = /^(.*?)(?::(\d{1,7}))?$/.exec(unquoted);
  if (!m) return undefined;
  const path = m[1]!.replace(/^\.\//, "");
  if (path === "" || path.startsWith("/") || path.split("/").includes("..")) return undefined;
  if (/[\u0000-\u001f]/.test(path)) return undefined;
  const line = m[2] !== undefined ? Number(m[2]) : undefined;
  if (line === 0) return undefined;
  return line === undefined ? { path } : { path, line };
}

function splitWords(s: string): string[] {
  return s.trim() === "" ? [] : s.trim().split(/\s+/);
}

/** Rule ids are lower-case; people may type them in backticks or in capitals. */
function normaliseRuleId(word: string): string {
  return word.replace(/^[`'"]+|[`'"]+$/g, "").toLowerCase();
}

/** The hidden marker Tollgate puts in each inline finding comment. */
const FINGERPRINT_MARKER = /<!--\s*tollgate:fingerprint=([0-9a-f]{8,64})\s*-->/i;

export function fingerprintFromBody(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  return FINGERPRINT_MARKER.exec(body.slice(0, MAX_COMMENT_CHARS))?.[1]?.toLowerCase();
}
