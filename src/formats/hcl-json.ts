import type { HclAttribute, HclBlock, HclBody, HclExpr } from "./hcl.js";
import {
  isObject,
  type JsonObject,
  type JsonValue,
  parseJsonWithPositions,
} from "./lockfiles/json-positions.js";

/**
 * Terraform's JSON configuration syntax (`*.tf.json`, `*.tfvars.json`) read into
 * the same model as native HCL, with the line of every key. Block nesting is
 * fixed by the block type, as Terraform's own decoder does: `resource` and
 * `data` take two labels, `module`, `provider`, `variable`, `output` one,
 * `locals` and `terraform` none. Inside a body, an object (or an array of
 * objects) is both a nested block and an object attribute: JSON cannot say
 * which, and the schema that would is the provider's.
 *
 * Strings are HCL templates: `"${aws_s3_bucket.b.id}"` is read as the
 * reference; any other interpolation is left unevaluated.
 */

const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  check: 1,
};

const MAX_DEPTH = 200;

export function parseHclJson(text: string): HclBody {
  const json = parseJsonWithPositions(text);
  if (!isObject(json.value)) return { attributes: [], blocks: [] };
  const keyLine = (o: JsonObject, k: string) => json.keyLine(o, k) ?? json.objectLine(o) ?? 1;
  return topLevel(json.value, keyLine);
}

type KeyLine = (o: JsonObject, k: string) => number;

function topLevel(root: JsonObject, keyLine: KeyLine): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  for (const [type, value] of Object.entries(root)) {
    const labels = LABELS[type];
    if (labels === undefined) {
      // A `*.tfvars.json` is a flat object of variable values.
      body.attributes.push({
        name: type,
        line: keyLine(root, type),
        expr: toExpr(value, keyLine(root, type), keyLine, 0),
      });
      continue;
    }
    for (const item of objects(value))
      blocksAt(type, [], item, labels, keyLine(root, type), keyLine, body.blocks);
  }
  return body;
}

/** `{"aws_s3_bucket": {"b": {...}}}` → one block per label path. */
function blocksAt(
  type: string,
  labels: string[],
  obj: JsonObject,
  remaining: number,
  line: number,
  keyLine: KeyLine,
  out: HclBlock[],
): void {
  if (remaining === 0) {
    const body = bodyOf(obj, keyLine, 0);
    out.push({ type, labels, line, endLine: line, body });
    return;
  }
  for (const [label, value] of Object.entries(obj)) {
    for (const item of objects(value))
      blocksAt(type, [...labels, label], item, remaining - 1, keyLine(obj, label), keyLine, out);
  }
}

function objects(value: JsonValue): JsonObject[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.filter(isObject);
  return [];
}

function bodyOf(obj: JsonObject, keyLine: KeyLine, depth: number): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  if (depth > MAX_DEPTH) return body;
  for (const [name, value] of Object.entries(obj)) {
    if (name === "//") continue; // a comment, by Terraform's JSON syntax
    const line = keyLine(obj, name);
    const attr: HclAttribute = { name, line, expr: toExpr(value, line, keyLine, depth + 1) };
    body.attributes.push(attr);
    for (const item of objects(value)) {
      body.blocks.push({
        type: name,
        labels: [],
        line,
        endLine: line,
        body: bodyOf(item, keyLine, depth + 1),
      });
    }
  }
  return body;
}

const SIMPLE_REF = /^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*\}$/;

function toExpr(value: JsonValue, line: number, keyLine: KeyLine, depth: number): HclExpr {
  if (depth > MAX_DEPTH) return { kind: "other", text: "(nested too deep)", line };
  if (value === null || typeof value !== "object") {
    if (typeof value !== "string" || !value.includes("${")) return { kind: "literal", value, line };
    const ref = SIMPLE_REF.exec(value);
    if (!ref) return { kind: "other", text: value.length > 200 ? `${value.slice(0, 200)}…` : value, line };
    const path = ref[1]!.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    return { kind: "ref", path: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), text: value, line };
  }
  if (Array.isArray(value))
    return { kind: "tuple", items: value.map((v) => toExpr(v, line, keyLine, depth + 1)), line };
  return {
    kind: "object",
    line,
    items: Object.entries(value).map(([key, v]) => {
      const l = keyLine(value, key);
      return { key, value: toExpr(v, l, keyLine, depth + 1), line: l };
    }),
  };
}
