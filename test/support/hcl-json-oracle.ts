import type { HclAttribute, HclBlock, HclBody, HclExpr } from "../../src/formats/hcl.js";
import {
  isObject,
  type JsonObject,
  type JsonValue,
  parseJsonWithPositions,
} from "../../src/formats/lockfiles/json-positions.js";

/**
 * The `.tf.json` reader as it was before the one-pass reader (positioned JSON
 * values, then a walk looking each key's line up), kept as the oracle the new
 * reader is held to. Valid for documents nested less than 200 levels (the old
 * depth cut-off counted from each body, the new one from the document).
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

type KeyLine = (o: JsonObject, k: string) => number;

export function oracleParseHclJson(text: string): HclBody {
  const json = parseJsonWithPositions(text);
  if (!isObject(json.value)) return { attributes: [], blocks: [] };
  const keyLine = (o: JsonObject, k: string) => json.keyLine(o, k) ?? json.objectLine(o) ?? 1;
  const root = json.value;
  const body: HclBody = { attributes: [], blocks: [] };
  for (const [type, value] of Object.entries(root)) {
    const labels = LABELS[type];
    if (labels === undefined) {
      body.attributes.push({
        name: type,
        line: keyLine(root, type),
        expr: toExpr(value, keyLine(root, type), keyLine),
      });
      continue;
    }
    for (const item of objects(value))
      blocksAt(type, [], item, labels, keyLine(root, type), keyLine, body.blocks);
  }
  return body;
}

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
    out.push({ type, labels, line, endLine: line, body: bodyOf(obj, keyLine) });
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

function bodyOf(obj: JsonObject, keyLine: KeyLine): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  for (const [name, value] of Object.entries(obj)) {
    if (name === "//") continue;
    const line = keyLine(obj, name);
    const attr: HclAttribute = { name, line, expr: toExpr(value, line, keyLine) };
    body.attributes.push(attr);
    for (const item of objects(value))
      body.blocks.push({ type: name, labels: [], line, endLine: line, body: bodyOf(item, keyLine) });
  }
  return body;
}

const SIMPLE_REF = /^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*\}$/;

function toExpr(value: JsonValue, line: number, keyLine: KeyLine): HclExpr {
  if (value === null || typeof value !== "object") {
    if (typeof value !== "string" || !value.includes("${")) return { kind: "literal", value, line };
    const ref = SIMPLE_REF.exec(value);
    if (!ref) return { kind: "other", text: value.length > 200 ? `${value.slice(0, 200)}…` : value, line };
    const path = ref[1]!.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    return { kind: "ref", path: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), text: value, line };
  }
  if (Array.isArray(value)) return { kind: "tuple", items: value.map((v) => toExpr(v, line, keyLine)), line };
  return {
    kind: "object",
    line,
    items: Object.entries(value).map(([key, v]) => {
      const l = keyLine(value, key);
      return { key, value: toExpr(v, l, keyLine), line: l };
    }),
  };
}
