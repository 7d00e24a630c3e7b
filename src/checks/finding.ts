import type { Position } from "../formats/yaml.js";
import type { RawFinding, RuleId, Severity } from "../review/types.js";

/** What the YAML-based families (actions, ansible) say about one finding, positioned by the yaml reader. */
export interface FindingSpec {
  ruleId: RuleId;
  at: Position;
  message: string;
  anchor: string;
  severity?: Severity;
  fix?: string;
  evidence?: string;
}

export function finding(spec: FindingSpec): RawFinding {
  const out: RawFinding = {
    ruleId: spec.ruleId,
    line: spec.at.line,
    column: spec.at.column,
    message: spec.message,
    anchor: spec.anchor,
  };
  if (spec.severity) out.severity = spec.severity;
  if (spec.fix) out.fix = spec.fix;
  if (spec.evidence) out.evidence = spec.evidence;
  return out;
}

/** Shortens text to one line for messages and evidence. */
export function clip(text: string, max = 120): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
