import { type Document, isCollection, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import {
  type MapEntry,
  mapEntries,
  mapGet,
  nodePosition,
  parseYamlSource,
  scalarPosition,
  scalarText,
  seqItems,
  type YamlSource,
} from "../../formats/yaml.js";
import type { CiImage, CiScript } from "./facts.js";

/**
 * Reading helpers shared by the YAML pipelines (GitLab, CircleCI, Azure,
 * Bitbucket): scripts as shell sources whose offsets map to the file through
 * the scalar's own range (block scalars, quotes and folding included), and
 * image references as written.
 */

export interface YamlFile {
  src: YamlSource;
  doc: Document.Parsed;
}

/** The documents of a pipeline file that hold something (a GitLab component's `spec:` header is a document too). */
export function yamlDocuments(text: string): YamlFile[] {
  const src = parseYamlSource(text, { maxDocuments: 20 });
  return src.documents.filter((doc) => doc.contents !== null).map((doc) => ({ src, doc }));
}

/** A script scalar as a shell source. */
export function scriptSource(y: YamlFile, node: Scalar, text: string): CiScript["source"] {
  return { text, position: (offset) => scalarPosition(y.src, node, offset) };
}

/**
 * The scripts of a `script:`-like value: one string, or a list of strings
 * (lists nested by `!reference` or anchors included, one level deep as GitLab allows).
 */
export function scriptsOf(
  y: YamlFile,
  node: unknown,
  scope: string,
  shell: CiScript["shell"] = "posix",
): CiScript[] {
  const out: CiScript[] = [];
  const add = (n: unknown) => {
    const text = isScalar(n) ? scalarText(n) : undefined;
    if (text) out.push({ source: scriptSource(y, n as Scalar, text), scope, shell });
  };
  if (isSeq(node)) {
    for (const item of seqItems(y.doc, node)) {
      if (isSeq(item)) for (const inner of seqItems(y.doc, item)) add(inner);
      else add(item);
    }
  } else add(node);
  return out;
}

/** `image: x` or `image: { name: x }`. */
export function imageOf(y: YamlFile, node: unknown, scope: string, key = "name"): CiImage | undefined {
  const target = isMap(node) ? mapGet(y.doc, node, key) : node;
  const text = scalarText(target);
  if (!text) return undefined;
  const at = nodePosition(y.src, target as Node) ?? { line: 1, column: 1 };
  return { text, line: at.line, column: at.column, scope };
}

export function positionOf(y: YamlFile, node: unknown): { line: number; column: number } {
  return nodePosition(y.src, node as Node) ?? { line: 1, column: 1 };
}

/** Bounds on a generic walk: anchors and aliases cannot make a small file walk forever. */
const MAX_WALK_NODES = 200_000;
const MAX_WALK_DEPTH = 64;

/**
 * Visits every mapping under `node` with a scope naming where it sits: keys,
 * and for list items their own name (`name:`, `job:`, `stage:`,
 * `deployment:`, a single-key item's key) or else their index.
 */
export function walkMaps(
  y: YamlFile,
  node: unknown,
  scope: string,
  visit: (map: Node, scope: string) => void,
): void {
  let budget = MAX_WALK_NODES;
  const seen = new Set<unknown>();
  const walk = (n: unknown, at: string, depth: number) => {
    if (budget-- <= 0 || depth > MAX_WALK_DEPTH || n === null || n === undefined) return;
    if (isMap(n)) {
      // An alias visited twice is the same mapping: once is enough.
      if (seen.has(n)) return;
      seen.add(n);
      visit(n, at);
      // Only collections hold mappings: a scalar is not visited, so it needs no scope of its own.
      for (const e of mapEntries(y.doc, n)) {
        if (isCollection(e.value)) walk(e.value, `${at}/${e.key}`, depth + 1);
        else budget--;
      }
    } else if (isSeq(n)) {
      seqItems(y.doc, n).forEach((item, index) => {
        if (isCollection(item)) walk(item, `${at}/${itemName(y, item) ?? index}`, depth + 1);
        else budget--;
      });
    }
  };
  walk(node, scope, 0);
}

/** Keys that name a list item, the first of them winning. */
const NAME_KEYS = ["job", "stage", "deployment", "name", "step", "displayName"];
const NAME_RANK = new Map(NAME_KEYS.map((key, rank) => [key, rank]));

/**
 * One pass over the item's entries (six lookups, each scanning the mapping, were a tenth of
 * reading an Azure pipeline), then the naming keys present, in `NAME_KEYS` order.
 */
function itemName(y: YamlFile, item: Node): string | undefined {
  if (!isMap(item)) return undefined;
  const entries = mapEntries(y.doc, item);
  const naming: MapEntry[] = [];
  for (const e of entries) if (NAME_RANK.has(e.key)) naming.push(e);
  if (naming.length > 1) naming.sort((a, b) => NAME_RANK.get(a.key)! - NAME_RANK.get(b.key)!);
  for (const { key, value: v } of naming) {
    const name = scalarText(v) ?? (isMap(v) ? scalarText(mapGet(y.doc, v, "name")) : undefined);
    if (name) return `${key}:${name}`;
  }
  return entries.length === 1 ? entries[0]!.key : undefined;
}
