import { ParseError } from "./errors.js";
import type { HclBlock, HclBody, HclExpr, HclObjectItem } from "./hcl.js";
import { type JsonBuilder, readJson } from "./json-reader.js";
import { parseJsonWithPositions } from "./lockfiles/json-positions.js";

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

/**
 * Read in one pass by `readJson` into expressions (each value once: an object
 * is both an attribute's expression and a nested block's body, and the body
 * reuses the expressions instead of converting its subtree again, which made
 * the work grow with nesting depth times size). A value nested deeper than
 * MAX_DEPTH levels of the document is an unevaluated "(nested too deep)".
 */
export function parseHclJson(text: string): HclBody {
  const read = readJson(text, EXPRESSIONS);
  if (!read) {
    // Not JSON: the positioned reader gives the message and line this reader has always reported.
    parseJsonWithPositions(text);
    throw new ParseError("invalid JSON", 1);
  }
  const root = read.value;
  return root.kind === "object" ? topLevel(root) : { attributes: [], blocks: [] };
}

type ObjectExpr = Extract<HclExpr, { kind: "object" }>;

function topLevel(root: ObjectExpr): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  for (const { key: type, value, line } of root.items as Array<HclObjectItem & { key: string }>) {
    const labels = LABELS[type];
    if (labels === undefined) {
      // A `*.tfvars.json` is a flat object of variable values.
      body.attributes.push({ name: type, line, expr: value });
      continue;
    }
    forObjects(value, (item) => blocksAt(type, [], item, labels, line, body.blocks));
  }
  return body;
}

/** `{"aws_s3_bucket": {"b": {...}}}` → one block per label path. */
function blocksAt(
  type: string,
  labels: string[],
  obj: ObjectExpr,
  remaining: number,
  line: number,
  out: HclBlock[],
): void {
  if (remaining === 0) {
    out.push({ type, labels, line, endLine: line, body: bodyOf(obj, 0) });
    return;
  }
  for (const { key, value, line: keyLine } of obj.items) {
    forObjects(value, (item) => blocksAt(type, [...labels, key!], item, remaining - 1, keyLine, out));
  }
}

/** Calls `each` for the value if it is an object, or for each object item of a tuple (no array per attribute). */
function forObjects(value: HclExpr, each: (obj: ObjectExpr) => void): void {
  if (value.kind === "object") each(value);
  else if (value.kind === "tuple") for (const item of value.items) if (item.kind === "object") each(item);
}

function bodyOf(obj: ObjectExpr, depth: number): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  if (depth > MAX_DEPTH) return body;
  for (const { key, value, line } of obj.items) {
    if (key === "//") continue; // a comment, by Terraform's JSON syntax
    body.attributes.push({ name: key!, line, expr: value });
    if (value.kind !== "object" && value.kind !== "tuple") continue;
    forObjects(value, (item) =>
      body.blocks.push({ type: key!, labels: [], line, endLine: line, body: bodyOf(item, depth + 1) }),
    );
  }
  return body;
}

const SIMPLE_REF = /^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*\}$/;
const TOO_DEEP = "(nested too deep)";

/** JSON values as HCL expressions: a string is a template, read as a reference when it is only one. */
const EXPRESSIONS: JsonBuilder<HclExpr> = {
  scalar(value, line, depth) {
    if (depth > MAX_DEPTH) return { kind: "other", text: TOO_DEEP, line };
    if (typeof value !== "string" || !value.includes("${")) return { kind: "literal", value, line };
    const ref = SIMPLE_REF.exec(value);
    if (!ref) return { kind: "other", text: value.length > 200 ? `${value.slice(0, 200)}…` : value, line };
    const path = ref[1]!.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    return { kind: "ref", path: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), text: value, line };
  },
  array(items, line, depth) {
    if (depth > MAX_DEPTH) return { kind: "other", text: TOO_DEEP, line };
    return { kind: "tuple", items, line };
  },
  object(keys, values, keyLines, line, depth) {
    if (depth > MAX_DEPTH) return { kind: "other", text: TOO_DEEP, line };
    const items: HclObjectItem[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) items[i] = { key: keys[i], value: values[i]!, line: keyLines[i]! };
    return { kind: "object", line, items };
  },
};
