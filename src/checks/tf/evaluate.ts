import type { HclExpr } from "../../formats/hcl.js";
import { readJson } from "../../formats/json-reader.js";
import { type CloudValue, isUnknown, Unknown, type ValuePath } from "../cloud/value.js";

/**
 * Static evaluation of Terraform expressions into the cloud families' plain
 * values (`checks/cloud/value.ts`). What is evaluated: literals, strings
 * with interpolations whose parts are all known, tuples and objects, `var.x`
 * (a `*.tfvars` value of the change, else the variable's default), `local.x`,
 * `jsonencode(x)` (read as `x`, which is what a policy checker wants),
 * `jsondecode("…")`, `tolist`/`toset`/`tostring`, and heredoc or string JSON
 * (with interpolations inside JSON strings left unknown and the rest kept).
 * Everything else — resource attributes, `data.*`, `module.*`, `count`,
 * `each`, conditionals, `for`, other functions — is an `Unknown`, which a
 * rule never turns into a finding by itself.
 *
 * Every object and array built here remembers where its keys and items are
 * written (`locate`), through references too: a policy in a `locals` block is
 * reported on the line in `locals`, in that file.
 */

/** Where a value is written. */
export interface Loc {
  path: string;
  line: number;
}

interface Places {
  self: Loc;
  /** As recorded; made a map on the first `locate` (most values are never located). */
  written: Iterable<[string | number, Loc]>;
  keys?: Map<string | number, Loc>;
}

export interface Scope {
  variable(name: string): { expr: HclExpr; path: string } | undefined;
  local(name: string): { expr: HclExpr; path: string } | undefined;
}

const MAX_EVAL_DEPTH = 64;
/** Stands for an interpolation inside JSON text (printable: JSON strings may not hold control characters). */
const MARK = "@@tollgate-unknown@@";
const PLACEHOLDER = /@@tollgate-unknown@@(\d+)@@tollgate-unknown@@/;
/** Bounds the work one module's evaluation may do (a local referencing itself through a chain). */
const MAX_STEPS = 2_000_000;

export class Evaluator {
  private readonly places = new WeakMap<object, Places>();
  private readonly locals = new Map<string, CloudValue>();
  private readonly resolving = new Set<string>();
  private steps = 0;

  constructor(private readonly scope: Scope) {}

  /** The value of an expression written in the file `path`. */
  value(expr: HclExpr, path: string, depth = 0): CloudValue {
    if (depth > MAX_EVAL_DEPTH || ++this.steps > MAX_STEPS) return new Unknown("too deep to evaluate");
    switch (expr.kind) {
      case "literal":
        return expr.value;
      case "tuple": {
        const out = expr.items.map((i) => this.value(i, path, depth + 1));
        this.remember(
          out,
          { path, line: expr.line },
          expr.items.map((i, n) => [n, { path, line: i.line }]),
        );
        return out;
      }
      case "object": {
        const out: Record<string, CloudValue> = {};
        const keys: Array<[string, Loc]> = [];
        for (const item of expr.items) {
          if (item.key === undefined) continue;
          out[item.key] = this.value(item.value, path, depth + 1);
          keys.push([item.key, { path, line: item.line }]);
        }
        this.remember(out, { path, line: expr.line }, keys);
        return out;
      }
      case "ref":
        return this.reference(expr, depth);
      case "call":
        return this.call(expr, path, depth);
      case "template":
        return this.template(expr, path, depth);
      default:
        return new Unknown(expr.text);
    }
  }

  /** The place of the item at `valuePath` inside `root`, or the nearest enclosing one, else `fallback`. */
  locate(root: CloudValue, valuePath: ValuePath, fallback: Loc): Loc {
    let loc = fallback;
    let node: CloudValue | undefined = root;
    for (const step of valuePath) {
      if (node === null || typeof node !== "object" || isUnknown(node)) break;
      const places = this.places.get(node);
      if (places && !places.keys) places.keys = new Map(places.written);
      const at = places?.keys?.get(step);
      if (at) loc = at;
      node = (node as Record<string | number, CloudValue>)[step];
    }
    return loc;
  }

  /**
   * Records where a value built outside this evaluator (a policy read from blocks) is written.
   * `keys` is read when the value is first located: pass entries that do not change afterwards.
   */
  place(obj: object, self: Loc, keys: Iterable<[string | number, Loc]>): void {
    this.remember(obj, self, keys);
  }

  private remember(obj: object, self: Loc, keys: Iterable<[string | number, Loc]>): void {
    this.places.set(obj, { self, written: keys });
  }

  private reference(expr: Extract<HclExpr, { kind: "ref" }>, depth: number): CloudValue {
    const [root, name, ...rest] = expr.path;
    if ((root !== "var" && root !== "local") || typeof name !== "string") return new Unknown(expr.text);
    const key = `${root}.${name}`;
    let value = this.locals.get(key);
    if (value === undefined) {
      const found = root === "var" ? this.scope.variable(name) : this.scope.local(name);
      if (!found || this.resolving.has(key)) return new Unknown(expr.text);
      this.resolving.add(key);
      value = this.value(found.expr, found.path, depth + 1);
      this.resolving.delete(key);
      this.locals.set(key, value);
    }
    for (const step of rest) {
      if (value === null || typeof value !== "object" || isUnknown(value)) return new Unknown(expr.text);
      const next: CloudValue | undefined = (value as Record<string | number, CloudValue>)[step];
      if (next === undefined) return new Unknown(expr.text);
      value = next;
    }
    return value;
  }

  private call(expr: Extract<HclExpr, { kind: "call" }>, path: string, depth: number): CloudValue {
    const arg = expr.args[0];
    if (!arg || expr.args.length !== 1) return new Unknown(`${expr.name}(…)`);
    switch (expr.name) {
      case "jsonencode":
      case "tolist":
      case "toset":
        return this.value(arg, path, depth + 1);
      case "tostring": {
        const v = this.value(arg, path, depth + 1);
        return typeof v === "string" ? v : new Unknown(`${expr.name}(…)`);
      }
      case "jsondecode":
        return this.json(arg, path, depth);
      default:
        return new Unknown(`${expr.name}(…)`);
    }
  }

  private json(arg: HclExpr, path: string, depth: number): CloudValue {
    const text = this.value(arg, path, depth + 1);
    return typeof text === "string" ? this.jsonText(text, arg.line, path) : new Unknown("jsondecode(…)");
  }

  /**
   * A template: known when every part is. A heredoc (or a string) that reads as JSON once its
   * interpolations are placeholders is returned as that JSON, the placeholders unknown: a policy
   * whose Resource is `${aws_s3_bucket.b.arn}/*` still has a known Principal.
   */
  private template(expr: Extract<HclExpr, { kind: "template" }>, path: string, depth: number): CloudValue {
    let text = "";
    const unknowns: string[] = [];
    for (const part of expr.parts) {
      if (typeof part === "string") {
        text += part;
        continue;
      }
      const v = this.value(part, path, depth + 1);
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") text += String(v);
      else {
        text += `${MARK}${unknowns.length}${MARK}`;
        unknowns.push(part.kind === "ref" ? part.text : "an interpolation");
      }
    }
    if (unknowns.length === 0) return expr.heredoc ? this.jsonOrText(text, expr.line, path) : text;
    const json = this.jsonText(text, expr.line, path, unknowns);
    return isUnknown(json) ? new Unknown(unknowns[0]) : json;
  }

  private jsonOrText(text: string, line: number, path: string): CloudValue {
    const t = text.trimStart();
    if (!t.startsWith("{") && !t.startsWith("[")) return text;
    const json = this.jsonText(text, line, path);
    return isUnknown(json) ? text : json;
  }

  /** JSON text written from `line` of `path`, as values with places; strings holding a placeholder are unknown. */
  jsonText(text: string, line: number, path: string, unknowns: readonly string[] = []): CloudValue {
    const at = (jsonLine: number): Loc => ({ path, line: line + jsonLine - 1 });
    const read = readJson<CloudValue>(text, {
      scalar(v) {
        if (typeof v !== "string" || !v.includes(MARK)) return v;
        const n = PLACEHOLDER.exec(v)?.[1];
        return new Unknown(unknowns[Number(n)] ?? "an interpolation");
      },
      array: (items, self) => {
        this.remember(items, at(self), []);
        return items;
      },
      object: (keys, values, keyLines, self) => {
        const out: Record<string, CloudValue> = {};
        const places: Array<[string, Loc]> = [];
        for (let i = 0; i < keys.length; i++) {
          const loc = at(keyLines[i]!);
          out[keys[i]!] = values[i]!;
          places.push([keys[i]!, loc]);
        }
        this.remember(out, at(self), places);
        return out;
      },
    });
    return read ? read.value : new Unknown("not JSON");
  }
}
