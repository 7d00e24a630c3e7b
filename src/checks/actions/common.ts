import type { Node, Scalar } from "yaml";
import { type Position, scalarPosition } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { clip, type FindingSpec, finding } from "../finding.js";
import type { CheckContext, FileVersion } from "../types.js";
import { loadWorkflow, positionOf, type Workflow } from "./model.js";
import { TaintModel } from "./taint.js";

// Shared with the other families (../finding.ts); re-exported so this family's checks import one place.
export { clip, type FindingSpec, finding };

/** What every actions rule receives: the parsed workflow and its taint model. */
export interface RuleInput {
  wf: Workflow;
  taint: () => TaintModel;
  ctx: CheckContext;
}

/**
 * Adapts a rule over one parsed workflow to a snapshot check's `run`: every
 * actions check is `defineCheck({ kind: "snapshot", families: ["actions"], …,
 * run: onWorkflow(({ wf, taint, ctx }) => …) })`. Files that do not parse
 * yield nothing here: the `actions/parse` check reports them once as
 * `meta/parse-error`.
 */
export function onWorkflow(
  run: (input: RuleInput) => RawFinding[],
): (file: FileVersion, ctx: CheckContext) => RawFinding[] {
  return (file, ctx) => {
    const { workflow } = loadWorkflow(file);
    if (!workflow) return [];
    const untrustedInputs = ctx.config.actions["untrusted-inputs"];
    const taint = () =>
      file.memo(`actions/taint:${untrustedInputs}`, () => new TaintModel(workflow, { untrustedInputs }));
    return run({ wf: workflow, taint, ctx });
  };
}

/** Position of a node. */
export function at(wf: Workflow, node: Node | undefined): Position {
  return positionOf(wf, node);
}

/** Position of a character inside a scalar's value (a line of a `run: |` block). */
export function atOffset(wf: Workflow, node: Scalar, offset: number): Position {
  return scalarPosition(wf.src, node, offset);
}

/** Splits a script into lines with their offsets in the script. */
export function scriptLines(script: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let offset = 0;
  for (const text of script.split("\n")) {
    out.push({ text, offset });
    offset += text.length + 1;
  }
  return out;
}
