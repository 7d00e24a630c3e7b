import { createHash } from "node:crypto";
import { type DockerInstruction, dockerfileOf } from "../../formats/dockerfile.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding, RuleId } from "../../review/types.js";
import { isSecretAssignment, shannonEntropy } from "../secrets/detector.js";
import type { FileVersion } from "../types.js";

/**
 * Anchors for docker findings: the stage's identity plus the normalised text
 * of what is wrong (an instruction, a command), never a line number, so a
 * moved line keeps its fingerprint and an edited one gets a new one.
 */
export function anchor(stageKey: string, ...parts: string[]): string {
  return [stageKey, ...parts].join("|");
}

/** For anchors that would otherwise carry a secret: the engine's findings keep their anchor. */
export function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function atInstruction(
  ruleId: RuleId,
  instruction: DockerInstruction,
  message: string,
  anchorText: string,
  extra: Partial<RawFinding> = {},
): RawFinding {
  return {
    ruleId,
    line: instruction.line,
    column: instruction.column,
    message,
    anchor: anchorText,
    ...extra,
  };
}

const CREDENTIAL_URL = /(:\/\/[^/@\s:]+:)([^@\s/]+)@/g;
const CREDENTIAL_FLAG = /^(--password|--token|Bearer|token|Basic)$/i;
const HEADER_SECRET = /^["']?(Authorization|X-Api-Key|Private-Token|X-Auth-Token):?$/i;

/**
 * Commands quoted in messages may carry credentials (`curl -u user:pass`,
 * `-H "Authorization: token …"`, `https://user:pass@host`, `TOKEN=…`): those
 * parts are redacted, as is any long high-entropy word.
 */
export function redactCommand(text: string): string {
  const words = text
    .replace(CREDENTIAL_URL, (_m, head: string, pass: string) => `${head}${redactSecret(pass)}@`)
    .split(" ");
  return words
    .map((word, i) => {
      const previous = words[i - 1] ?? "";
      if (HEADER_SECRET.test(previous) && CREDENTIAL_FLAG.test(word)) return word;
      if (i > 0 && (CREDENTIAL_FLAG.test(previous) || HEADER_SECRET.test(previous)))
        return redactSecret(word);
      if ((previous === "-u" || previous === "--user") && word.includes(":")) return redactSecret(word);
      const eq = word.indexOf("=");
      if (eq > 0 && isSecretAssignment(word.slice(0, eq).replace(/^-+/, ""), word.slice(eq + 1)))
        return `${word.slice(0, eq + 1)}${redactSecret(word.slice(eq + 1))}`;
      if (
        word.length >= 20 &&
        !word.includes("/") &&
        /\d/.test(word) &&
        /[A-Za-z]/.test(word) &&
        shannonEntropy(word) >= 3.5
      )
        return redactSecret(word);
      return word;
    })
    .join(" ");
}

/** Shortens a command for a message, keeping it on one line, credentials redacted. */
export function quote(text: string, max = 80): string {
  // Redact a bounded prefix before cutting, so a cut never leaves part of a secret unredacted.
  const one = redactCommand(
    text
      .slice(0, 4 * max)
      .replace(/\s+/g, " ")
      .trim(),
  );
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return `\`${cut.replace(/`/g, "'")}\``;
}

/**
 * One finding per instruction and rule: a RUN with three problems of one kind
 * is one thing to fix, not three comments. The first (by position) speaks for
 * the others; the anchor joins every anchor, so a change that adds another such
 * problem to the instruction is new, while editing an unrelated line is not.
 */
export function onePerInstruction(
  findings: RawFinding[],
  instructions: readonly DockerInstruction[],
): RawFinding[] {
  if (findings.length < 2) return findings;
  const groups = new Map<string, RawFinding[]>();
  const out: RawFinding[] = [];
  for (const f of findings) {
    const at = instructionAt(instructions, f.line);
    if (!at) {
      out.push(f);
      continue;
    }
    const key = `${f.ruleId}\u0000${at.line}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  for (const list of groups.values()) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    // The most severe speaks for the group (an http:// pipe is not hidden behind an https:// one), then the first.
    list.sort((a, b) => rank(b) - rank(a) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    const first = list[0]!;
    const anchors = [...new Set(list.map((f) => f.anchor))].sort();
    const lines = [...new Set(list.slice(1).map((f) => f.line))].sort((a, b) => a - b);
    const extra = list.length - 1;
    out.push({
      ...first,
      message: `${first.message} (${extra} more like this in the same instruction, on line${lines.length > 1 ? "s" : ""} ${lines.join(", ")})`,
      anchor: anchors.join("\u0001"),
    });
  }
  return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

/** Every docker snapshot check's `merge`: at most one finding per instruction and rule. */
export function onePerDockerInstruction(findings: RawFinding[], file: FileVersion): RawFinding[] {
  return onePerInstruction(findings, dockerfileOf(file).instructions);
}

const RANK: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** A finding without its own severity takes the rule's default, which checks only ever raise or lower explicitly. */
function rank(f: RawFinding): number {
  return f.severity ? (RANK[f.severity] ?? 2.5) : 2.5;
}

/** The instruction spanning `line` (instructions are in source order and do not overlap). */
function instructionAt(
  instructions: readonly DockerInstruction[],
  line: number,
): DockerInstruction | undefined {
  let lo = 0;
  let hi = instructions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = instructions[mid]!;
    if (line < i.line) hi = mid - 1;
    else if (line > i.endLine) lo = mid + 1;
    else return i;
  }
  return undefined;
}
