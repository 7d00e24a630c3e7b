import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Scalar,
  type Tags,
  type YAMLMap,
  YAMLParseError,
  type YAMLSeq,
} from "yaml";
import { ParseError } from "./errors.js";
import { memoOn } from "./memo.js";
import { parseAllDocumentsQuietly } from "./yaml-parser.js";

/**
 * YAML with positions. Checks point at the exact line (and column) of a key,
 * a value, or a place inside a multi-line string, so this module keeps the
 * `yaml` library's nodes and a line index instead of converting to plain JS.
 */

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface YamlSource {
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

export interface ParseYamlOptions {
  /** More documents than this is treated as a parse error (a bound on hostile input). */
  maxDocuments?: number;
  /** Application tags the reader knows (CloudFormation's `!Ref`, `!Sub`, …): parsed as tagged nodes, not warned about. */
  customTags?: Tags;
}

const DEFAULT_MAX_DOCUMENTS = 1000;

/** Parses every document of a YAML stream; throws `ParseError` at the line of the first syntax error. */
export function parseYamlSource(text: string, options: ParseYamlOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  // The library's parseAllDocuments without its per-token debug switch (yaml-parser.ts says why).
  const docs = parseAllDocumentsQuietly(text, {
    lineCounter,
    prettyErrors: false,
    // Checked by duplicateKeyErrors instead: the library's check is quadratic.
    uniqueKeys: false,
    keepSourceTokens: false,
    ...(options.customTags ? { customTags: options.customTags } : {}),
  });
  const max = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  if (docs.length > max) throw new ParseError(`more than ${max} YAML documents`, 1);
  for (const doc of docs) {
    const error = documentParseError(text, lineCounter, doc);
    if (error) throw error;
  }
  return { text, documents: docs, lineCounter };
}

/**
 * The first problem of one parsed document (a syntax error or a duplicated
 * key, whichever comes first) as a `ParseError` at its line, or `undefined`.
 * For readers that keep the other documents of a stream when one is broken.
 */
export function documentParseError(
  text: string,
  lineCounter: LineCounter,
  doc: Document.Parsed,
): ParseError | undefined {
  const duplicate = duplicateKeyErrors(doc, 1)[0];
  const error =
    duplicate && !(doc.errors[0] && doc.errors[0].pos[0] < duplicate.pos[0]) ? duplicate : doc.errors[0];
  if (!error) return undefined;
  const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  const message = `not valid YAML: ${firstLine(error.message)}`;
  const quoted = unterminatedQuoteBefore(text, at.line);
  if (quoted !== undefined) {
    return new ParseError(`${message} (line ${quoted} has an unterminated quote)`, quoted);
  }
  return new ParseError(message, at.line, at.col);
}

/**
 * A structure error is often caused by the line before it: an opening quote
 * never closed makes the parser see the next line as misplaced. When the
 * previous content line has an odd number of double quotes, that line is
 * where the author has to look.
 */
function unterminatedQuoteBefore(text: string, errorLine: number): number | undefined {
  const lines = text.split("\n", errorLine);
  for (let i = Math.min(errorLine, lines.length) - 2; i >= 0 && i >= errorLine - 20; i--) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const quotes = line.replace(/\\./g, "").split('"').length - 1;
    return quotes % 2 === 1 ? i + 1 : undefined;
  }
  return undefined;
}

/**
 * The duplicated keys of a document, in document order, at most `limit`.
 * The `yaml` library's own `uniqueKeys` check compares every key with every
 * earlier key of its mapping: a 60,000-key mapping, which a pull request can
 * write, took 54 s. This is one set per mapping, with the library's notion of
 * equal keys (scalars with the same value) and its message.
 */
export function duplicateKeyErrors(doc: Document, limit = Number.POSITIVE_INFINITY): YAMLParseError[] {
  const found: YAMLParseError[] = [];
  // An explicit stack: nesting depth is the author's to choose.
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0;
            found.push(new YAMLParseError([at, at + 1], "DUPLICATE_KEY", "Map keys must be unique"));
          } else seen.add(key.value);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  return found.length > limit ? found.slice(0, limit) : found;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** Position of a file offset. */
export function positionAt(src: YamlSource, offset: number): Position {
  const { line, col } = src.lineCounter.linePos(Math.max(0, Math.min(offset, src.text.length)));
  return { line, column: col };
}

/** Where a node starts (its first character, or the indicator of a block scalar). */
export function nodePosition(src: YamlSource, node: Node | null | undefined): Position | undefined {
  const range = node?.range;
  return range ? positionAt(src, range[0]) : undefined;
}

/**
 * Resolves aliases against the anchors of one document, indexed on first use.
 * The `yaml` library's `Alias.resolve` walks the whole document for every
 * alias: a Compose file whose 2,000 services each merge `<<: *defaults` took
 * 30 s. An alias names the last anchor of its name before it.
 */
export class YamlAnchors {
  private index: Map<string, Array<{ at: number; node: Node }>> | undefined;

  constructor(private readonly doc: Document) {}

  /** The node an alias names: the last anchor of that name before it. */
  resolve(alias: Alias): Node | undefined {
    if (!this.index) this.index = this.build();
    const list = this.index.get(alias.source);
    const at = alias.range?.[0] ?? 0;
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let found: Node | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.at < at) {
        found = list[mid]!.node;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** One walk in document order (an explicit stack: `visit` allocated a path per node and cost more than parsing). */
  private build(): Map<string, Array<{ at: number; node: Node }>> {
    const index = new Map<string, Array<{ at: number; node: Node }>>();
    const stack: unknown[] = [this.doc.contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isPair(node)) {
        stack.push(node.value, node.key);
        continue;
      }
      if (!isNode(node) || isAlias(node)) continue;
      if (node.anchor) {
        const list = index.get(node.anchor) ?? [];
        list.push({ at: node.range?.[0] ?? 0, node });
        index.set(node.anchor, list);
      }
      if (isMap(node) || isSeq(node)) {
        const items = (node as YAMLMap | YAMLSeq).items as unknown[];
        for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
      }
    }
    // Offsets grow in document order, which the stack keeps; sorting guards the binary search all the same.
    for (const list of index.values()) list.sort((a, b) => a.at - b.at);
    return index;
  }
}

/** A document's anchor index, kept on the document (memo.ts: not in a module-level WeakMap). */
const ANCHORS = Symbol("yaml anchors");

/** Resolves an alias to the node it refers to, so anchors (`&x` / `*x`) are followed once. */
export function resolveNode(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return memoOn(doc, ANCHORS, () => new YamlAnchors(doc)).resolve(node);
  return (node ?? undefined) as Node | undefined;
}

export interface MapEntry {
  key: string;
  keyNode: Node;
  value: Node | undefined;
}

/**
 * The entries of a mapping with string keys, aliases resolved. Merge keys
 * (`<<: *x`, `<<: [*x, *y]`) are expanded, explicit keys winning. Expansion
 * is bounded (depth and entry count), so nested merges cannot blow up.
 */
export function mapEntries(doc: Document, node: unknown): MapEntry[] {
  return entriesWithin(doc, node, 0, { left: MAX_MERGED_ENTRIES });
}

const MAX_MERGE_DEPTH = 4;
const MAX_MERGED_ENTRIES = 5_000;

function entriesWithin(doc: Document, node: unknown, depth: number, budget: { left: number }): MapEntry[] {
  const map = resolveNode(doc, node);
  if (!isMap(map) || depth > MAX_MERGE_DEPTH) return [];
  const out: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of (map as YAMLMap).items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? scalarKey(keyNode) : undefined;
    if (key === undefined) continue;
    const value = resolveNode(doc, pair.value);
    if (key === "<<" && value) {
      const sources = isSeq(value) ? value.items.map((i) => resolveNode(doc, i)) : [value];
      for (const s of sources) {
        if (budget.left <= 0) break;
        if (isMap(s)) merged.push(...entriesWithin(doc, s, depth + 1, budget));
      }
      continue;
    }
    if (budget.left-- <= 0) break;
    out.push({ key, keyNode, value });
  }
  if (merged.length === 0) return out;
  // Explicit keys win over merged ones, whatever their order; earlier merge sources win over later ones.
  const seen = new Set(out.map((e) => e.key));
  for (const m of merged) {
    if (seen.has(m.key)) continue;
    seen.add(m.key);
    out.push(m);
  }
  return out;
}

function scalarKey(node: Scalar): string | undefined {
  const v = node.value;
  // YAML 1.1 readers turn `on` into `true`; the `yaml` library's 1.2 core schema keeps it a string,
  // but a quoted or explicit boolean key is still a key we may need to find.
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  return undefined;
}

/**
 * The entry for `key` in a mapping: the first of `mapEntries` with that key. Readers look keys up one at
 * a time, a few per mapping, and building every entry for each lookup was a tenth of reading a pipeline:
 * the pairs are scanned in place, and only a mapping with a merge key (`<<`) takes the general path.
 */
export function mapEntry(doc: Document, node: unknown, key: string): MapEntry | undefined {
  const map = resolveNode(doc, node);
  if (!isMap(map)) return undefined;
  let explicit = 0;
  for (const pair of (map as YAMLMap).items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node;
    const k = isScalar(keyNode) ? scalarKey(keyNode) : undefined;
    if (k === undefined) continue;
    if (k === "<<" && resolveNode(doc, pair.value)) return mapEntries(doc, map).find((e) => e.key === key);
    // mapEntries keeps the first MAX_MERGED_ENTRIES explicit entries.
    if (++explicit > MAX_MERGED_ENTRIES) return undefined;
    if (k === key) return { key, keyNode, value: resolveNode(doc, pair.value) };
  }
  return undefined;
}

/** The value for `key` in a mapping, aliases resolved. */
export function mapGet(doc: Document, node: unknown, key: string): Node | undefined {
  return mapEntry(doc, node, key)?.value;
}

/** Walks a key path (`["jobs", "build", "steps"]`; numbers index sequences). */
export function getIn(doc: Document, node: unknown, path: ReadonlyArray<string | number>): Node | undefined {
  let current = resolveNode(doc, node);
  for (const key of path) {
    if (current === undefined) return undefined;
    if (typeof key === "number") {
      current = isSeq(current) ? resolveNode(doc, (current as YAMLSeq).items[key]) : undefined;
    } else {
      current = mapGet(doc, current, key);
    }
  }
  return current;
}

/** The items of a sequence, aliases resolved; `[]` when the node is not a sequence. */
export function seqItems(doc: Document, node: unknown): Node[] {
  const seq = resolveNode(doc, node);
  if (!isSeq(seq)) return [];
  const out: Node[] = [];
  for (const item of (seq as YAMLSeq).items) {
    const r = resolveNode(doc, item);
    if (r) out.push(r);
  }
  return out;
}

/** A scalar's value as a string (numbers and booleans too); `undefined` for collections and null. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") {
    return node.source ?? String(v);
  }
  return undefined;
}

/** A scalar's value as a string, or `undefined` unless it is a scalar string. */
export function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === "string";
}

/** A scalar's value-to-file offset map, kept on the scalar (memo.ts: not in a module-level WeakMap). */
const OFFSETS = Symbol("yaml value offsets");

/**
 * Maps an offset inside a scalar's parsed string value to the file offset of
 * the character it came from. Works for block literals (`|`, `|-`, `|+`),
 * folded blocks (`>`), plain multi-line scalars, quoted scalars with escapes,
 * and CRLF files: each character of the value is aligned with the next equal
 * source character, skipping indentation, line breaks and escape sequences.
 */
export function scalarOffsetToFile(src: YamlSource, node: Scalar, valueOffset: number): number {
  const range = node.range;
  if (!range) return 0;
  const value = typeof node.value === "string" ? node.value : String(node.value);
  const map = memoOn(node, OFFSETS, () => alignValue(src.text, range[0], range[1], value, node.type));
  if (value.length === 0) return range[0];
  const i = Math.max(0, Math.min(valueOffset, value.length - 1));
  return map[i]!;
}

/** Position of a character inside a scalar's value. */
export function scalarPosition(src: YamlSource, node: Scalar, valueOffset: number): Position {
  return positionAt(src, scalarOffsetToFile(src, node, valueOffset));
}

const ESCAPE_BUDGET = 10;

function alignValue(text: string, start: number, end: number, value: string, type?: string): Int32Array {
  let p = start;
  if (type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") {
    // Skip the header line (`|-2 # comment`).
    const nl = text.indexOf("\n", start);
    p = nl === -1 || nl >= end ? end : nl + 1;
  } else if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") {
    p = start + 1;
  }
  const out = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (isSpace(c)) {
      out[i] = Math.min(p, Math.max(start, end - 1));
      continue;
    }
    let q = p;
    let budget = ESCAPE_BUDGET;
    let found = -1;
    while (q < end) {
      const s = text[q]!;
      if (s === c) {
        found = q;
        break;
      }
      if (!isSpace(s)) {
        if (budget-- <= 0) break;
      }
      q++;
    }
    if (found === -1) {
      out[i] = Math.min(p, Math.max(start, end - 1));
    } else {
      out[i] = found;
      p = found + 1;
    }
  }
  return out;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}
