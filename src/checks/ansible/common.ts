import type { Position } from "../../formats/yaml.js";
import type { RawFinding, RuleId, Severity } from "../../review/types.js";
import type { CheckContext, FileVersion } from "../types.js";
import { type AnsibleFile, loadAnsible } from "./model.js";

/**
 * Adapts a rule over one parsed Ansible file to a snapshot check's `run`.
 * Files that do not parse yield nothing here: `ansible/parse` reports them
 * once as `meta/parse-error`. `ansible.cfg` is INI and has its own checks.
 */
export function onAnsible(
  run: (model: AnsibleFile, ctx: CheckContext) => RawFinding[],
): (file: FileVersion, ctx: CheckContext) => RawFinding[] {
  return (file, ctx) => {
    const { model } = loadAnsible(file);
    return model ? run(model, ctx) : [];
  };
}

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

/** Shortens text for messages and evidence. */
export function clip(text: string, max = 120): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** How a task is named in messages: its `name:`, else its module. */
export function taskLabel(task: { name?: string; moduleKey: string }): string {
  return task.name ? `task \`${clip(task.name, 80)}\`` : `\`${task.moduleKey}\` task`;
}
