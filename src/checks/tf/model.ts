import type { HclAttribute, HclBlock, HclBody, HclExpr } from "../../formats/hcl.js";
import { type CloudValue, isUnknown, knownBoolean, knownString } from "../cloud/value.js";
import { Evaluator, type Loc } from "./evaluate.js";

/**
 * One Terraform module (a directory) as far as a change shows it: the changed
 * `*.tf`, `*.tofu`, `*.tf.json` and `*.tfvars` files of that directory, at
 * head or at base. Files the change does not touch are not read, so a
 * resource, variable or local defined only there is unknown — never assumed.
 *
 * How a rule reads a resource (a `tf/*` rule is a function of a TfModule,
 * wrapped by `onModules` in module-check.ts, which keeps what is new):
 *
 * ```ts
 * for (const r of mod.resourcesOf("aws_db_instance")) {
 *   const pub = r.attr("publicly_accessible");           // Attr | undefined
 *   if (pub && knownBoolean(pub.value) === true)          // unknown is never true
 *     out.push(finding(r, pub.loc, "tf/aws-db-publicly-accessible", "…", "publicly_accessible"));
 *   for (const ingress of r.blocks("ingress")) …          // nested blocks, each a TfBlockView
 *   r.dynamic("ingress")                                  // a dynamic block: content unknown
 * }
 * ```
 *
 * `attr(name).value` is the evaluated value (`Unknown` where static reading
 * stops); `loc` is the attribute's file and line; `mod.evaluator.locate(value,
 * path, loc)` finds the line of an item inside an object or JSON policy.
 * Anchors name the resource address and attribute path, never a line.
 */

export interface TfFileInput {
  path: string;
  body: HclBody;
}

/** A block's attributes and nested blocks, evaluated on demand. */
export class TfBlockView {
  constructor(
    readonly mod: TfModule,
    readonly path: string,
    readonly block: HclBlock,
  ) {}

  get line(): number {
    return this.block.line;
  }

  attr(name: string): Attr | undefined {
    const a = this.block.body.attributes.find((x) => x.name === name);
    return a && this.mod.attrOf(a, this.path);
  }

  /** The raw expression of an attribute (to read a reference such as `aws_s3_bucket.b.id`). */
  expr(name: string): HclExpr | undefined {
    return this.block.body.attributes.find((x) => x.name === name)?.expr;
  }

  blocks(type: string): TfBlockView[] {
    return this.block.body.blocks
      .filter((b) => b.type === type)
      .map((b) => new TfBlockView(this.mod, this.path, b));
  }

  /** `dynamic "type" { … }` blocks: present, with content a rule must treat as unknown. */
  dynamic(type: string): boolean {
    return this.block.body.blocks.some((b) => b.type === "dynamic" && b.labels[0] === type);
  }
}

export interface Attr {
  name: string;
  value: CloudValue;
  loc: Loc;
}

export class TfResource extends TfBlockView {
  readonly mode: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`. */
  readonly address: string;

  constructor(mod: TfModule, path: string, block: HclBlock) {
    super(mod, path, block);
    this.mode = block.type === "data" ? "data" : "resource";
    this.type = block.labels[0] ?? "";
    this.name = block.labels[1] ?? "";
    this.address = `${this.mode === "data" ? "data." : ""}${this.type}.${this.name}`;
  }

  get loc(): Loc {
    return { path: this.path, line: this.block.line };
  }
}

export class TfModule {
  readonly resources: TfResource[] = [];
  readonly data: TfResource[] = [];
  /** `module "x" { … }` calls. */
  readonly calls: TfBlockView[] = [];
  /** `terraform { … }` blocks. */
  readonly settings: TfBlockView[] = [];
  readonly providers: TfBlockView[] = [];
  readonly evaluator: Evaluator;
  private readonly variables = new Map<string, { expr: HclExpr; path: string }>();
  private readonly locals = new Map<string, { expr: HclExpr; path: string }>();
  private readonly tfvars = new Map<string, { expr: HclExpr; path: string }>();
  private readonly byAddress = new Map<string, TfResource>();
  /** Resources by type, in module order: every rule asks for a few types, and a module may hold thousands. */
  private readonly byType = new Map<string, TfResource[]>();
  /** Per `type\0nameAttr`: the first resource whose `nameAttr` has each known literal value. */
  private readonly byName = new Map<string, Map<string, TfResource>>();
  private readonly attrs = new WeakMap<HclAttribute, Attr>();

  constructor(
    readonly dir: string,
    files: readonly TfFileInput[],
  ) {
    // Auto-loaded values win over others, later files over earlier, as Terraform loads them.
    const ordered = [...files].sort(
      (a, b) => varsRank(a.path) - varsRank(b.path) || (a.path < b.path ? -1 : 1),
    );
    for (const f of ordered) this.add(f);
    this.evaluator = new Evaluator({
      variable: (n) => this.tfvars.get(n) ?? this.variables.get(n),
      local: (n) => this.locals.get(n),
    });
  }

  private add(file: TfFileInput): void {
    if (/\.tfvars(\.json)?$/i.test(file.path)) {
      for (const a of file.body.attributes) this.tfvars.set(a.name, { expr: a.expr, path: file.path });
      return;
    }
    for (const block of file.body.blocks) {
      switch (block.type) {
        case "resource":
        case "data": {
          const r = new TfResource(this, file.path, block);
          if (r.mode === "data") this.data.push(r);
          else {
            this.resources.push(r);
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
          }
          this.byAddress.set(r.address, r);
          break;
        }
        case "module":
          this.calls.push(new TfBlockView(this, file.path, block));
          break;
        case "terraform":
          this.settings.push(new TfBlockView(this, file.path, block));
          break;
        case "provider":
          this.providers.push(new TfBlockView(this, file.path, block));
          break;
        case "variable": {
          const d = block.body.attributes.find((a) => a.name === "default");
          if (block.labels[0] && d) this.variables.set(block.labels[0], { expr: d.expr, path: file.path });
          break;
        }
        case "locals":
          for (const a of block.body.attributes) this.locals.set(a.name, { expr: a.expr, path: file.path });
          break;
      }
    }
  }

  resourcesOf(...types: string[]): TfResource[] {
    if (types.length === 1) return [...(this.byType.get(types[0]!) ?? [])];
    const wanted = new Set(types);
    return this.resources.filter((r) => wanted.has(r.type));
  }

  dataOf(type: string): TfResource[] {
    return this.data.filter((r) => r.type === type);
  }

  /** A resource of this module by address, when a changed file defines it. */
  resource(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  attrOf(a: HclAttribute, path: string): Attr {
    let out = this.attrs.get(a);
    if (!out) {
      out = { name: a.name, value: this.evaluator.value(a.expr, path), loc: { path, line: a.line } };
      this.attrs.set(a, out);
    }
    return out;
  }

  /**
   * The resource an attribute refers to (`bucket = aws_s3_bucket.b.id` → `aws_s3_bucket.b`), or the
   * resource of `type` whose `name_attr` has the same literal value (`bucket = "my-logs"`).
   */
  referenced(expr: HclExpr | undefined, type: string, nameAttr?: string): TfResource | undefined {
    if (!expr) return undefined;
    if (expr.kind === "ref" && expr.path[0] === type && typeof expr.path[1] === "string") {
      return this.resource(`${type}.${expr.path[1]}`);
    }
    if (expr.kind === "literal" && typeof expr.value === "string" && nameAttr) {
      return this.named(type, nameAttr).get(expr.value);
    }
    return undefined;
  }

  /** Resources of `type` by the known value of `nameAttr`, the first one winning: one pass per module, not per lookup. */
  private named(type: string, nameAttr: string): Map<string, TfResource> {
    const key = `${type}\u0000${nameAttr}`;
    let names = this.byName.get(key);
    if (!names) {
      names = new Map();
      for (const r of this.byType.get(type) ?? []) {
        const name = knownString(r.attr(nameAttr)?.value);
        if (name !== undefined && !names.has(name)) names.set(name, r);
      }
      this.byName.set(key, names);
    }
    return names;
  }
}

function varsRank(path: string): number {
  if (!/\.tfvars(\.json)?$/i.test(path)) return 0;
  if (/\.auto\.tfvars(\.json)?$/i.test(path)) return 3;
  return /(^|\/)terraform\.tfvars(\.json)?$/i.test(path) ? 2 : 1;
}

/** True only for a known `true` (an unknown value never is). */
export function isTrue(a: Attr | undefined): boolean {
  return a !== undefined && knownBoolean(a.value) === true;
}

/** True only for a known `false`. */
export function isFalse(a: Attr | undefined): boolean {
  return a !== undefined && knownBoolean(a.value) === false;
}

/** A known string value, or undefined (absent or unknown). */
export function stringOf(a: Attr | undefined): string | undefined {
  return a && !isUnknown(a.value) ? knownString(a.value) : undefined;
}
