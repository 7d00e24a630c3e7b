import { createHash } from "node:crypto";
import type { RawFinding, RuleId } from "../../review/types.js";
import { type CloudValue, isCloudObject, isUnknown, type ValuePath } from "../cloud/value.js";
import type { FileVersion } from "../types.js";
import { type CfnResource, type CfnTemplate, templateOf } from "./model.js";

/**
 * Findings of the cfn/ family sit on the line of the offending property (or
 * of the resource's logical id, for a property that is missing) and are
 * anchored by logical id and property path, never by line: reordering
 * resources or reformatting a template keeps every fingerprint.
 */

/** Runs a check on the template of a file; a file that does not parse gives nothing (the parse check reports it). */
export function onTemplate(
  run: (template: CfnTemplate) => RawFinding[],
): (file: FileVersion) => RawFinding[] {
  return (file) => {
    const template = templateOf(file);
    return template ? run(template) : [];
  };
}

/** `PolicyDocument.Statement[0].Principal`. */
export function pathText(path: ValuePath): string {
  let out = "";
  for (const segment of path)
    out += typeof segment === "number" ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}

export interface AtProperty {
  ruleId: RuleId;
  template: CfnTemplate;
  resource: CfnResource;
  /** Path inside `Properties`; `undefined` reports at the logical id (a missing property). */
  path: ValuePath | undefined;
  message: string;
  /** The stable part after the logical id (a property path with names for indices). */
  anchor: string;
  evidence?: string;
}

export function atProperty(a: AtProperty): RawFinding {
  const where = a.path === undefined ? a.resource.path : [...a.resource.path, "Properties", ...a.path];
  const { line, column } = a.template.position(where);
  return {
    ruleId: a.ruleId,
    line,
    column,
    message: a.message,
    anchor: `${a.resource.logicalId}|${a.anchor}`,
    ...(a.evidence ? { evidence: a.evidence } : {}),
  };
}

/** `` `Bucket` (AWS::S3::Bucket) `` for messages. */
export function resourceLabel(resource: CfnResource): string {
  return `\`${resource.logicalId}\` (${resource.type})`;
}

/** A canonical text of a value for anchors: object keys sorted, list order ignored, unknowns as `?`. */
export function canonical(value: CloudValue | undefined): string {
  if (value === undefined) return "";
  if (isUnknown(value)) return "?";
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (isCloudObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
