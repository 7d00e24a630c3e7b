import { createHash } from "node:crypto";
import type { DockerInstruction } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";

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
  ruleId: string,
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

/** Shortens a command for a message, keeping it on one line. */
export function quote(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return `\`${cut.replace(/`/g, "'")}\``;
}
