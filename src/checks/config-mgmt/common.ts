import { memoOn } from "../../formats/memo.js";
import type { RawFinding, RuleId, Severity } from "../../review/types.js";
import { clip } from "../finding.js";
import { readShell, type ShellReading } from "../shell/index.js";
import type { CheckContext, FileVersion } from "../types.js";
import { type CmModel, loadCm, type Script } from "./model.js";

// Shared with the other families (../finding.ts); re-exported so this family's checks import one place.
export { clip };

/** Adapts a rule over a config-mgmt model to a snapshot check's `run` (broken files: `config-mgmt/parse`). */
export function onModel(
  run: (model: CmModel, ctx: CheckContext) => RawFinding[],
): (file: FileVersion, ctx: CheckContext) => RawFinding[] {
  return (file, ctx) => {
    const { model } = loadCm(file);
    return model ? run(model, ctx) : [];
  };
}

export function finding(spec: {
  ruleId: RuleId;
  at: { line: number; column: number };
  message: string;
  anchor: string;
  severity?: Severity;
  fix?: string;
  evidence?: string;
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
  if (spec.evidence) out.evidence = spec.evidence;
  return out;
}

export const TOOL_NAMES: Record<CmModel["tool"], string> = {
  chef: "Chef",
  puppet: "Puppet",
  salt: "Salt",
  vagrant: "Vagrant",
  packer: "Packer",
};

const READINGS = Symbol("config-mgmt shell readings");

/**
 * Each script of the model read once with the shared shell reader, however many rules ask (two read
 * every script), kept on the model (formats/memo.ts: not in a module-level WeakMap).
 */
export function scriptReadings(
  model: CmModel,
): Array<{ script: Script; reading: ShellReading<{ script: Script }> }> {
  return memoOn(model, READINGS, () =>
    model.scripts.map((script) => ({
      script,
      reading: readShell({ text: script.text, position: script.position }, { script }),
    })),
  );
}
