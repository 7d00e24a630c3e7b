import type { PolicyIssue } from "../cloud/iam.js";
import { type CloudValue, isUnknown, Unknown } from "../cloud/value.js";
import type { Loc } from "./evaluate.js";
import type { Attr, TfBlockView, TfModule, TfResource } from "./model.js";

/**
 * Policy documents as Terraform writes them: `jsonencode({...})`, a heredoc
 * or string of JSON, a `local` or variable holding either, or a reference to
 * an `aws_iam_policy_document` data source of the same module (rebuilt from
 * its `statement` blocks, each value keeping its line). Anything else is an
 * unknown document, which yields no finding.
 */

export interface PolicyDoc {
  doc: CloudValue;
  /** The attribute that holds or references the document. */
  at: Attr;
}

/** The document in attribute `name` of a block, or undefined when absent. */
export function policyAt(block: TfBlockView, name: string): PolicyDoc | undefined {
  const at = block.attr(name);
  if (!at) return undefined;
  const expr = block.expr(name);
  if (expr?.kind === "ref" && expr.path[0] === "data" && expr.path[1] === "aws_iam_policy_document") {
    const data = block.mod.resource(`data.aws_iam_policy_document.${String(expr.path[2])}`);
    return { doc: data ? documentOf(data) : new Unknown(expr.text), at };
  }
  return { doc: at.value, at };
}

/** Where an issue is written: the item's line inside the document, else the attribute's. */
export function issueLoc(mod: TfModule, policy: PolicyDoc, issue: PolicyIssue): Loc {
  return isUnknown(policy.doc) ? policy.at.loc : mod.evaluator.locate(policy.doc, issue.path, policy.at.loc);
}

/** A short, line-free description of an issue for anchors: statement id or position and the detail. */
export function issueAnchor(issue: PolicyIssue): string {
  return `${issue.kind}:${issue.detail}`;
}

const STATEMENT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ["sid", "Sid"],
  ["actions", "Action"],
  ["not_actions", "NotAction"],
  ["resources", "Resource"],
  ["not_resources", "NotResource"],
];

const documents = new WeakMap<TfResource, CloudValue>();

/** An `aws_iam_policy_document` data source as the JSON it renders, built once however many roles use it. */
export function documentOf(data: TfResource): CloudValue {
  let doc = documents.get(data);
  if (doc === undefined) {
    doc = renderDocument(data);
    documents.set(data, doc);
  }
  return doc;
}

function renderDocument(data: TfResource): CloudValue {
  const ev = data.mod.evaluator;
  const statements: CloudValue[] = [];
  const lines: Array<[number, Loc]> = [];
  for (const block of data.blocks("statement")) {
    if (data.dynamic("statement")) return new Unknown("dynamic statement");
    const s: Record<string, CloudValue> = {};
    const keys: Array<[string, Loc]> = [];
    const effect = block.attr("effect");
    s.Effect = effect ? effect.value : "Allow";
    if (effect) keys.push(["Effect", effect.loc]);
    for (const [attr, key] of STATEMENT_FIELDS) {
      const a = block.attr(attr);
      if (!a) continue;
      s[key] = a.value;
      keys.push([key, a.loc]);
    }
    principals(block, "principals", "Principal", s, keys);
    principals(block, "not_principals", "NotPrincipal", s, keys);
    const condition = conditions(block);
    if (condition) {
      s.Condition = condition.value;
      keys.push(["Condition", condition.loc]);
    }
    ev.place(s, { path: data.path, line: block.line }, keys);
    lines.push([statements.length, { path: data.path, line: block.line }]);
    statements.push(s);
  }
  ev.place(statements, data.loc, lines);
  const doc = { Version: "2012-10-17", Statement: statements };
  ev.place(doc, data.loc, [["Statement", data.loc]]);
  return doc;
}

function principals(
  block: TfBlockView,
  type: string,
  key: string,
  s: Record<string, CloudValue>,
  keys: Array<[string, Loc]>,
): void {
  const blocks = block.blocks(type);
  if (blocks.length === 0) return;
  if (block.dynamic(type)) {
    s[key] = new Unknown(`dynamic ${type}`);
    return;
  }
  const out: Record<string, CloudValue> = {};
  const places: Array<[string, Loc]> = [];
  for (const p of blocks) {
    const kind = p.attr("type");
    const ids = p.attr("identifiers");
    if (!kind || !ids || typeof kind.value !== "string") {
      s[key] = new Unknown(type);
      return;
    }
    // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`.
    if (kind.value === "*") {
      s[key] = "*";
      keys.push([key, ids.loc]);
      return;
    }
    const prev = out[kind.value];
    out[kind.value] = prev === undefined ? ids.value : mergeList(prev, ids.value);
    places.push([kind.value, ids.loc]);
  }
  const first = { path: block.path, line: blocks[0]!.line };
  block.mod.evaluator.place(out, first, places);
  s[key] = out;
  keys.push([key, first]);
}

function mergeList(a: CloudValue, b: CloudValue): CloudValue {
  if (isUnknown(a) || isUnknown(b)) return new Unknown("principals");
  return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])];
}

/** `condition { test, variable, values }` blocks as `{ test: { variable: values } }`. */
function conditions(block: TfBlockView): { value: CloudValue; loc: Loc } | undefined {
  const blocks = block.blocks("condition");
  if (blocks.length === 0 && !block.dynamic("condition")) return undefined;
  const loc = { path: block.path, line: (blocks[0] ?? block).line };
  if (block.dynamic("condition")) return { value: new Unknown("dynamic condition"), loc };
  const out: Record<string, Record<string, CloudValue>> = {};
  for (const c of blocks) {
    const test = c.attr("test")?.value;
    const variable = c.attr("variable")?.value;
    const values = c.attr("values")?.value;
    if (typeof test !== "string" || typeof variable !== "string" || values === undefined) {
      return { value: new Unknown("condition"), loc };
    }
    out[test] ??= {};
    out[test][variable] = values;
  }
  return { value: out, loc };
}
