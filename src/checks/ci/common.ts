import type { RawFinding, RuleId, Severity } from "../../review/types.js";
import { redactCommand } from "../docker/findings.js";
import { normalizeSpace } from "../shell/reading.js";

/**
 * Findings of the ci/ family: on the offending value's line and column, with
 * an anchor made of the CI system, the job/stage/step scope and the
 * normalised offending text — never the line, so moving a job is not new and
 * changing the command is.
 */
export function ciFinding(spec: {
  ruleId: RuleId;
  at: { line: number; column: number };
  message: string;
  anchor: string;
  severity?: Severity;
  fix?: string;
}): RawFinding {
  const out: RawFinding = {
    ruleId: spec.ruleId,
    line: spec.at.line,
    column: spec.at.column,
    message: spec.message,
    anchor: spec.anchor,
  };
  if (spec.severity) out.severity = spec.severity;
  if (spec.fix) out.fix = spec.fix;
  return out;
}

/** A command quoted in a message: one line, bounded, credentials redacted (the docker family's redaction). */
export function quoteCommand(text: string, max = 100): string {
  const one = redactCommand(normalizeSpace(text.slice(0, 4 * max)));
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return `\`${cut.replace(/`/g, "'")}\``;
}
