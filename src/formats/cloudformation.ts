import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Tags } from "yaml";
import { type Position, parseYamlSource, positionAt, resolveNode, type YamlSource } from "./yaml.js";

/**
 * CloudFormation and SAM templates, YAML or JSON, read into plain JS with a
 * position for every key and value. The short-form tags (`!Ref`, `!Sub`,
 * `!GetAtt`, …) are application tags the YAML reader knows, so a template
 * using them parses; each becomes the long form JSON templates write
 * (`{"Ref": …}`, `{"Fn::Sub": …}`), and the two syntaxes give the same value.
 * What the intrinsic functions evaluate to is the checks' business.
 */

/** A template value as written: intrinsic functions are one-key objects (`{"Fn::If": [...]}`). */
export type CfnRaw = string | number | boolean | null | CfnRaw[] | { [key: string]: CfnRaw };

/** Marks what was not read (nesting or alias expansion beyond the bounds): an unknown value to the checks. */
export const UNREAD = "Tollgate::Unread";

/** Short-form tag → the key of its long form. */
const TAG_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ["!Ref", "Ref"],
  ["!Condition", "Condition"],
  ...[
    "Sub",
    "GetAtt",
    "If",
    "Join",
    "Select",
    "Split",
    "FindInMap",
    "Base64",
    "Cidr",
    "ImportValue",
    "GetAZs",
    "Equals",
    "And",
    "Or",
    "Not",
    "Transform",
    "ToJsonString",
    "Length",
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "RefAll",
    "ValueOf",
    "ValueOfAll",
  ].map((name) => [`!${name}`, `Fn::${name}`] as const),
]);

/** Each short form is allowed on a scalar, a sequence and a mapping; the node keeps its tag. */
export const CFN_TAGS: Tags = [...TAG_FUNCTIONS.keys()].flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: "seq" as const, resolve: (node: Node) => node },
  { tag, collection: "map" as const, resolve: (node: Node) => node },
]);

export type CfnPath = ReadonlyArray<string | number>;

export interface CfnLocated {
  /** Where the key of a mapping entry is (absent for sequence items and the root). */
  key?: Position;
  /** Where the value starts. */
  value: Position;
}

export interface CfnSource {
  format: "yaml" | "json";
  root: CfnRaw;
  /** The position of a path (`["Resources", "Bucket", "Properties", "AccessControl"]`), or of its nearest located ancestor. */
  locate(path: CfnPath): CfnLocated;
}

/**
 * Bounds on what one template may expand to: nesting depth (the YAML reader
 * refuses deeper input itself), and values reached through aliases, which can
 * multiply a small text exponentially.
 */
const MAX_DEPTH = 200;
const MAX_ALIASED = 100_000;

const START: CfnLocated = { value: { line: 1, column: 1 } };

/** Parses a template; throws `ParseError` (with its line) when it is not valid YAML/JSON. */
export function parseCfnSource(text: string): CfnSource {
  if (/^\s*\{/.test(text)) {
    const json = parseJson(text);
    if (json) return json;
  }
  const src = parseYamlSource(text, { maxDocuments: 10, customTags: CFN_TAGS });
  const doc = src.documents.find((d) => d.contents !== null);
  if (!doc) return { format: "yaml", root: null, locate: () => START };
  const root = new Reader(doc).read(doc.contents, 0, false);
  return { format: "yaml", root, locate: (path) => locate(src, doc, path) };
}

/**
 * A JSON template is read by the platform's JSON parser, many times faster
 * than the YAML reader on a multi-megabyte CDK output; its positions come
 * from the YAML reader (JSON is YAML), run once and only when a finding needs
 * one. Text that is not strict JSON goes to the YAML reader, which names the
 * line of the error.
 */
function parseJson(text: string): CfnSource | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let located: ((path: CfnPath) => CfnLocated) | undefined;
  return {
    format: "json",
    root: bounded(value, 0),
    locate(path) {
      if (!located) {
        try {
          const src = parseYamlSource(text, { maxDocuments: 1 });
          const doc = src.documents[0];
          located = doc ? (p) => locate(src, doc, p) : () => START;
        } catch {
          // Valid JSON the YAML reader refuses (a duplicated key): the finding still gets reported, at line 1.
          located = () => START;
        }
      }
      return located(path);
    },
  };
}

/** JSON values as template values, nesting cut at the same depth as YAML's. */
function bounded(value: unknown, depth: number): CfnRaw {
  if (value === null || typeof value !== "object") return value as CfnRaw;
  if (depth > MAX_DEPTH) return { [UNREAD]: "nesting" };
  if (Array.isArray(value)) return value.map((v) => bounded(v, depth + 1));
  const out: { [key: string]: CfnRaw } = {};
  for (const [k, v] of Object.entries(value)) out[k] = bounded(v, depth + 1);
  return out;
}

/**
 * Positions are found on demand, by walking the YAML nodes along the path:
 * only findings need one, so a parse records none. A segment naming an
 * intrinsic function (`Fn::Sub` of a `!Sub` node) stays on the tagged node; a
 * path that leaves the nodes (a value an intrinsic computed) gives the last
 * node reached.
 */
function locate(src: YamlSource, doc: Document, path: CfnPath): CfnLocated {
  let node = resolveNode(doc, doc.contents);
  let located: CfnLocated = { value: positionAt(src, node?.range?.[0] ?? 0) };
  for (const segment of path) {
    if (!node) break;
    const fn = node.tag ? TAG_FUNCTIONS.get(node.tag) : undefined;
    if (fn !== undefined && segment === fn) continue;
    let next: Node | undefined;
    let key: Node | undefined;
    if (isMap(node) && typeof segment === "string") {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      next = resolveNode(doc, pair?.value);
      key = pair?.key as Node | undefined;
    } else if (isSeq(node) && typeof segment === "number") {
      next = resolveNode(doc, node.items[segment]);
    }
    if (!next && !key) break;
    const value = positionAt(src, (next ?? key)?.range?.[0] ?? 0);
    located = key ? { key: positionAt(src, key.range?.[0] ?? 0), value } : { value };
    node = next;
  }
  return located;
}

class Reader {
  private aliased = MAX_ALIASED;
  constructor(private readonly doc: Document) {}

  read(input: unknown, depth: number, viaAlias: boolean): CfnRaw {
    const alias = viaAlias || isAlias(input);
    const node = resolveNode(this.doc, input);
    if (!node) return null;
    if (depth > MAX_DEPTH) return { [UNREAD]: "nesting" };
    if (alias && this.aliased-- <= 0) return { [UNREAD]: "aliases" };
    const fn = node.tag ? TAG_FUNCTIONS.get(node.tag) : undefined;
    if (fn !== undefined) return { [fn]: this.untagged(node, depth + 1, alias, fn) };
    return this.untagged(node, depth, alias, undefined);
  }

  private untagged(node: Node, depth: number, alias: boolean, fn: string | undefined): CfnRaw {
    if (isMap(node)) {
      const out: { [key: string]: CfnRaw } = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined || key === "<<") continue;
        out[key] = this.read(pair.value, depth + 1, alias);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => this.read(item, depth + 1, alias));
    if (isScalar(node)) {
      const v = node.value;
      // `!GetAtt Resource.Attribute` is the short form of `["Resource", "Attribute"]`.
      if (fn === "Fn::GetAtt" && typeof v === "string") {
        const dot = v.indexOf(".");
        return dot > 0 ? [v.slice(0, dot), v.slice(dot + 1)] : v;
      }
      if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
      if (typeof v === "number") return Number.isFinite(v) ? v : String(node.source ?? v);
      if (typeof v === "bigint") return String(v);
      return null;
    }
    return null;
  }
}
