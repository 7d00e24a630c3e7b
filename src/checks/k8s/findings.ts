import type { Node } from "yaml";
import { type Position, positionAt, type YamlSource } from "../../formats/yaml.js";
import type { RawFinding, RuleId, Severity } from "../../review/types.js";
import type { Container, Manifest } from "./model.js";

/**
 * Findings on a manifest sit on the line of the offending key or value (the
 * `yaml` library's node ranges), or on a container's `name:` line for a key
 * it lacks; their anchor is the object's identity and field path, never a line.
 */
export function at(src: YamlSource, node: Node | undefined, fallback: Position): Position {
  const start = node?.range?.[0];
  return start === undefined ? fallback : positionAt(src, start);
}

export interface FindingSpec {
  ruleId: RuleId;
  position: Position;
  message: string;
  anchor: string;
  severity?: Severity;
  evidence?: string;
  fix?: string;
}

export function finding(spec: FindingSpec): RawFinding {
  const { position, ...rest } = spec;
  const out: RawFinding = { ...rest, line: position.line, column: position.column };
  if (spec.severity === undefined) delete out.severity;
  if (spec.evidence === undefined) delete out.evidence;
  if (spec.fix === undefined) delete out.fix;
  return out;
}

/** "container `app` of Deployment `web`" (init and ephemeral containers say so). */
export function describeContainer(c: Container): string {
  const what =
    c.group === "initContainers"
      ? "init container"
      : c.group === "ephemeralContainers"
        ? "ephemeral container"
        : "container";
  return `${what} \`${c.name}\` of ${describeObject(c.pod.manifest)}`;
}

export function describeObject(m: Manifest): string {
  return m.name ? `${m.kind} \`${m.name}\`` : `a ${m.kind}`;
}
