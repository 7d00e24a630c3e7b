import { createRequire } from "node:module";
import { ParseError } from "../../src/formats/errors.js";
import { clip } from "../../src/formats/hcl/model.js";
import {
  type HclBlock,
  type HclBody,
  type HclExpr,
  type HclObjectItem,
  type HclParser,
  MAX_HCL_DEPTH,
} from "../../src/formats/hcl.js";

/**
 * The oracle of the differential test: HCL read by the maintained tree-sitter grammar
 * (`@tree-sitter-grammars/tree-sitter-hcl`, a devDependency) through web-tree-sitter, turned into
 * the same model by the walk `formats/hcl.ts` used before the hand-written reader replaced it
 * (for speed: 1.3 MB/s through WebAssembly). Kept as it was, so the comparison is with what
 * Tollgate reported before.
 */

interface TsPoint {
  row: number;
}
/** The parts of web-tree-sitter's Node that the error search reads. */
interface TsNode {
  type: string;
  startPosition: TsPoint;
  isMissing: boolean;
  hasError: boolean;
  children: (TsNode | null)[];
}
interface TsCursor {
  nodeTypeId: number;
  startIndex: number;
  endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}
interface TsParser {
  parse(text: string): { rootNode: TsNode; walk(): TsCursor; delete(): void } | null;
}
/** The parts of web-tree-sitter's Language that the walk reads. */
interface TsLanguage {
  types: (string | undefined)[];
  nodeTypeIsNamed(typeId: number): boolean;
}

/**
 * Each cursor getter is a JS-to-wasm call that first copies the cursor into wasm memory, and the
 * positions also allocate a point: per node they cost more than the parse. So the walk reads only
 * the type id and the two offsets, the type's name and named-ness come from per-grammar tables
 * (`nodeType` is `types[nodeTypeId] || "ERROR"` in the binding too), and rows are counted from the
 * source (tree-sitter's row is the number of `\n` before the offset; offsets are UTF-16 units).
 */
interface NodeKinds {
  names: string[];
  named: boolean[];
}

function nodeKinds(language: TsLanguage): NodeKinds {
  const names: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < language.types.length; id++) {
    names.push(language.types[id] || "ERROR");
    named.push(language.nodeTypeIsNamed(id));
  }
  return { names, named };
}

/** The offsets at which the source's lines start, for offset-to-row lookups. */
class Lines {
  private starts: number[] | undefined;
  constructor(private readonly source: string) {}

  row(offset: number): number {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.source.indexOf("\n"); i >= 0; i = this.source.indexOf("\n", i + 1))
        starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * A named node copied out of the tree in one cursor walk: reading nodes one by one through the
 * binding allocated an object per access and made the walk cost as much as the parse.
 */
class Named {
  readonly namedChildren: Named[] = [];
  constructor(
    readonly type: string,
    private readonly source: string,
    private readonly lines: Lines,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  get startPosition(): TsPoint {
    return { row: this.lines.row(this.start) };
  }

  get endPosition(): TsPoint {
    return { row: this.lines.row(this.end) };
  }
}

/** The named nodes of the tree, iteratively (no recursion, whatever the depth). */
function copyNamed(cursor: TsCursor, source: string, kinds: NodeKinds): Named {
  const lines = new Lines(source);
  const { names, named } = kinds;
  const root = new Named(
    names[cursor.nodeTypeId] ?? "ERROR",
    source,
    lines,
    cursor.startIndex,
    cursor.endIndex,
  );
  const stack: Named[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const parent = stack[stack.length - 1]!;
    const id = cursor.nodeTypeId;
    // The grammar has no aliases, so an anonymous node is a token: a leaf, nothing to descend into.
    if (named[id] ?? true) {
      const self = new Named(names[id] ?? "ERROR", source, lines, cursor.startIndex, cursor.endIndex);
      parent.namedChildren.push(self);
      if (cursor.gotoFirstChild()) {
        stack.push(self);
        continue;
      }
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return root;
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

let loading: Promise<HclParser> | undefined;

/** The tree-sitter oracle, loaded once per test process. */
export function loadTreeSitterHcl(): Promise<HclParser> {
  loading ??= load();
  return loading;
}

async function load(): Promise<HclParser> {
  const { Parser, Language } = await import("web-tree-sitter");
  const require = createRequire(import.meta.url);
  const runtime = require.resolve("web-tree-sitter/web-tree-sitter.wasm");
  await Parser.init({ locateFile: () => runtime });
  const grammar = await Language.load(
    require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm"),
  );
  const parser = new Parser();
  parser.setLanguage(grammar);
  const kinds = nodeKinds(grammar as unknown as TsLanguage);
  return { parse: (text) => parseWith(parser as unknown as TsParser, kinds, text) };
}

function parseWith(parser: TsParser, kinds: NodeKinds, text: string): HclBody {
  const tree = parser.parse(text);
  if (!tree) throw new ParseError("the HCL parser gave no result", 1);
  try {
    if (tree.rootNode.hasError) throw errorAt(tree.rootNode);
    const cursor = tree.walk();
    let root: Named;
    try {
      root = copyNamed(cursor, text, kinds);
    } finally {
      cursor.delete();
    }
    // A file that is one object (`{ ... }`) is JSON-like HCL, not a Terraform body: nothing to read.
    const body = root.namedChildren.find((c) => c.type === "body");
    return body ? readBody(body, 0) : { attributes: [], blocks: [] };
  } finally {
    tree.delete();
  }
}

/** The first error or missing token, descending into the first child that holds one. */
function errorAt(root: TsNode): ParseError {
  let node = root;
  for (let guard = 0; guard < 10_000; guard++) {
    if (node.type === "ERROR" || node.isMissing) break;
    const next = node.children.find((c) => c && (c.hasError || c.isMissing || c.type === "ERROR"));
    if (!next) break;
    node = next;
  }
  const what = node.isMissing ? `missing ${node.type}` : "unexpected text";
  return new ParseError(`HCL syntax error: ${what}`, node.startPosition.row + 1);
}

const line = (n: { startPosition: TsPoint }) => n.startPosition.row + 1;

function deeper(depth: number, node: Named): number {
  if (depth >= MAX_HCL_DEPTH) throw new ParseError(`nested deeper than ${MAX_HCL_DEPTH} levels`, line(node));
  return depth + 1;
}

function readBody(node: Named, depth: number): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === "attribute") {
      const [name, expr] = child.namedChildren;
      if (name && expr)
        body.attributes.push({ name: name.text, line: line(child), expr: readExpr(expr, depth) });
    } else if (child.type === "block") body.blocks.push(readBlock(child, depth));
  }
  return body;
}

function readBlock(node: Named, depth: number): HclBlock {
  const d = deeper(depth, node);
  const kids = node.namedChildren;
  const labels: string[] = [];
  let body: HclBody = { attributes: [], blocks: [] };
  for (const k of kids.slice(1)) {
    if (k.type === "string_lit") labels.push(stringLit(k));
    else if (k.type === "identifier") labels.push(k.text);
    else if (k.type === "body") body = readBody(k, d);
  }
  return { type: kids[0]?.text ?? "", labels, line: line(node), endLine: node.endPosition.row + 1, body };
}

/** An `expression` node: a term followed by attribute accesses, indices or splats. */
function readExpr(node: Named, depth: number): HclExpr {
  const d = deeper(depth, node);
  const kids = node.namedChildren;
  const head = kids[0];
  if (!head) return other(node);
  if (kids.length === 1) return readTerm(head, d);
  if (head.type !== "variable_expr") return other(node);
  const path: Array<string | number> = [head.text];
  for (const k of kids.slice(1)) {
    const step = accessStep(k);
    if (step === undefined) return other(node);
    path.push(step);
  }
  return { kind: "ref", path, text: clip(node.text), line: line(node) };
}

/** `.name`, `[0]`, `["key"]` or `.0`; undefined for splats and computed indices. */
function accessStep(node: Named): string | number | undefined {
  if (node.type === "get_attr") return node.namedChildren[0]?.text;
  if (node.type !== "index") return undefined;
  const inner = node.namedChildren[0];
  if (!inner) return undefined;
  if (inner.type === "legacy_index") return Number(inner.text.slice(1));
  const expr = inner.namedChildren[0];
  const lit = expr?.namedChildren[0];
  if (expr?.namedChildren.length !== 1 || lit?.type !== "literal_value") return undefined;
  const v = literal(lit);
  return typeof v === "number" || typeof v === "string" ? v : undefined;
}

function readTerm(node: Named, depth: number): HclExpr {
  switch (node.type) {
    case "literal_value":
      return { kind: "literal", value: literal(node), line: line(node) };
    case "variable_expr":
      return { kind: "ref", path: [node.text], text: node.text, line: line(node) };
    case "template_expr":
      return readTemplate(node.namedChildren[0]!, depth);
    case "collection_value":
      return readCollection(node.namedChildren[0]!, depth);
    case "function_call":
      return readCall(node, depth);
    case "expression":
      return readExpr(node, depth);
    default:
      return other(node);
  }
}

function readCall(node: Named, depth: number): HclExpr {
  const [name, args] = node.namedChildren;
  const out: HclExpr[] = [];
  if (args?.type === "function_arguments") {
    for (const a of args.namedChildren) if (a?.type === "expression") out.push(readExpr(a, depth));
  }
  return { kind: "call", name: name?.text ?? "", args: out, line: line(node) };
}

function readCollection(node: Named, depth: number): HclExpr {
  if (node.type === "tuple") {
    const items = node.namedChildren
      .filter((c): c is Named => c?.type === "expression")
      .map((c) => readExpr(c, depth));
    return { kind: "tuple", items, line: line(node) };
  }
  const items: HclObjectItem[] = [];
  for (const elem of node.namedChildren) {
    if (elem?.type !== "object_elem") continue;
    const [k, v] = elem.namedChildren.filter((c): c is Named => c?.type === "expression");
    if (!k || !v) continue;
    items.push({ key: objectKey(k, depth), value: readExpr(v, depth), line: line(elem) });
  }
  return { kind: "object", items, line: line(node) };
}

/** `Action = …`, `"Action" = …` and `(var.k) = …`: the first two are known keys. */
function objectKey(node: Named, depth: number): string | undefined {
  const expr = readExpr(node, depth);
  if (expr.kind === "ref" && expr.path.length === 1) return String(expr.path[0]);
  if (expr.kind === "literal" && typeof expr.value === "string") return expr.value;
  return undefined;
}

function readTemplate(node: Named, depth: number): HclExpr {
  const heredoc = node.type === "heredoc_template";
  const parts: Array<string | HclExpr> = [];
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === "template_literal") parts.push(heredoc ? unescapeHeredoc(c.text) : unescapeQuoted(c.text));
    else if (c.type === "template_interpolation") {
      const inner = c.namedChildren.find((x) => x?.type === "expression");
      parts.push(inner ? readExpr(inner, depth) : other(c));
    } else if (c.type === "template_directive") parts.push(other(c));
  }
  // A heredoc's text starts on the line after its `<<EOT`.
  const first = heredoc ? node.startPosition.row + 2 : line(node);
  if (parts.every((p) => typeof p === "string")) {
    if (!heredoc) return { kind: "literal", value: parts.join(""), line: first };
  }
  return { kind: "template", parts, line: first, heredoc };
}

function literal(node: Named): string | number | boolean | null {
  const inner = node.namedChildren[0];
  if (!inner) return null;
  switch (inner.type) {
    case "numeric_lit":
      return Number(inner.text);
    case "bool_lit":
      return inner.text === "true";
    case "null_lit":
      return null;
    default:
      return stringLit(inner);
  }
}

function stringLit(node: Named): string {
  const lit = node.namedChildren.find((c) => c?.type === "template_literal");
  return lit ? unescapeQuoted(lit.text) : "";
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** HCL's quoted-string escapes, and `$${`/`%%{` for a literal `${`/`%{`. */
function unescapeQuoted(raw: string): string {
  if (!raw.includes("\\") && !raw.includes("$${") && !raw.includes("%%{")) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === "$${") return "${";
    if (m === "%%{") return "%{";
    if (esc && (esc[0] === "u" || esc[0] === "U") && esc.length > 1) {
      const cp = Number.parseInt(esc.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ESCAPES[esc ?? ""] ?? m;
  });
}

function unescapeHeredoc(raw: string): string {
  return raw.includes("$${") || raw.includes("%%{")
    ? raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")
    : raw;
}

function other(node: Named): HclExpr {
  return { kind: "other", text: clip(node.text), line: line(node) };
}
