import type { Node } from "yaml";
import type { RawFinding, RuleId, Severity } from "../../review/types.js";
import type { CheckContext, FileVersion } from "../types.js";
import { type ComposeFile, loadCompose, positionOf, type Service } from "./model.js";

/** What every compose rule receives: the parsed file, one service at a time. */
export interface ServiceInput {
  compose: ComposeFile;
  service: Service;
  ctx: CheckContext;
}

/**
 * Adapts a rule over one service to a snapshot check's `run`. Files that do
 * not parse yield nothing here: `compose/parse` reports them once as
 * `meta/parse-error`.
 */
export function onServices(
  run: (input: ServiceInput) => RawFinding[],
): (file: FileVersion, ctx: CheckContext) => RawFinding[] {
  return (file, ctx) => {
    const { compose } = loadCompose(file);
    if (!compose) return [];
    return compose.services.flatMap((service) => run({ compose, service, ctx }));
  };
}

export interface FindingSpec {
  ruleId: RuleId;
  /** The node the finding points at: the offending value, item or key. */
  node: Node | undefined;
  message: string;
  /** Service name and field path (`service:db/ports/5432`), never a line. */
  anchor: string;
  severity?: Severity;
  fix?: string;
  evidence?: string;
}

export function finding(input: ServiceInput, spec: FindingSpec): RawFinding {
  const at = positionOf(input.compose, spec.node, input.service);
  const out: RawFinding = {
    ruleId: spec.ruleId,
    line: at.line,
    column: at.column,
    message: spec.message,
    anchor: spec.anchor,
  };
  if (spec.severity) out.severity = spec.severity;
  if (spec.fix) out.fix = spec.fix;
  if (spec.evidence) out.evidence = spec.evidence;
  return out;
}
