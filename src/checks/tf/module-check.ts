import { ParseError } from "../../formats/errors.js";
import type { FileVersion } from "../../formats/file.js";
import { type HclBody, type HclParser, loadHcl } from "../../formats/hcl.js";
import { parseHclJson } from "../../formats/hcl-json.js";
import type { RawFinding, RuleId } from "../../review/types.js";
import type { CheckContext, FileChange, ReviewCheck } from "../types.js";
import type { Loc } from "./evaluate.js";
import { type TfFileInput, TfModule } from "./model.js";

/**
 * How a `tf/` rule is run: on the module (directory) at head and at base,
 * keeping the findings whose rule and anchor the base module does not have.
 * The base side of a Terraform comparison is the module, not the file, so a
 * resource moved from main.tf to network.tf is not new. Each finding carries
 * the module as its `scope`, which replaces the path in its fingerprint: the
 * finding keeps its identity when its resource moves to another file of the
 * module (a suppression by fingerprint and the "fixed in" replies follow it).
 *
 * Only the changed files are read (a pull request's change set): at head the
 * head versions of the module's changed files, at base their base versions,
 * so both sides see the same files and what only unchanged files say is
 * unknown on both.
 */

export type TfRule = (mod: TfModule, ctx: CheckContext) => RawFinding[];

/** A finding of a `tf/` rule at `loc` (the engine's path is the file the line is in). */
export function tfFinding(
  ruleId: RuleId,
  loc: Loc,
  anchor: string,
  message: string,
  evidence?: string,
): RawFinding {
  return { ruleId, path: loc.path, line: loc.line, anchor, message, ...(evidence ? { evidence } : {}) };
}

export function onModules(rule: TfRule): ReviewCheck["run"] {
  return async (changes, ctx) => {
    const pairs = await modulePairs(changes);
    const out: RawFinding[] = [];
    for (const pair of pairs) {
      if (!pair.head) continue;
      const found = rule(pair.head, ctx);
      if (found.length === 0) continue;
      const base = ctx.mode === "diff" ? pair.base : undefined;
      const before = base ? rule(base, ctx) : [];
      for (const f of newOnes(found, before)) out.push({ ...f, scope: `tf:${pair.dir}` });
    }
    return out;
  };
}

/** Present at head and not at base, by rule and anchor as a multiset (a second copy is new). */
function newOnes(head: readonly RawFinding[], base: readonly RawFinding[]): RawFinding[] {
  const left = new Map<string, number>();
  for (const b of base) {
    const k = `${b.ruleId}\u0000${b.anchor}`;
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  const out: RawFinding[] = [];
  for (const h of head) {
    const k = `${h.ruleId}\u0000${h.anchor}`;
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(h);
  }
  return out;
}

export interface ModulePair {
  dir: string;
  head?: TfModule;
  /**
   * The module at base, its files parsed and read on first use: only a module with a finding at
   * head is compared, and most modules of a change have none.
   */
  readonly base: TfModule | undefined;
}

class LazyPair implements ModulePair {
  private built: TfModule | undefined;
  private pending: readonly FileVersion[] | undefined;

  constructor(
    readonly dir: string,
    readonly head: TfModule | undefined,
    base: readonly FileVersion[] | undefined,
    private readonly hcl: HclParser,
  ) {
    this.pending = base;
  }

  get base(): TfModule | undefined {
    if (this.pending) {
      this.built = new TfModule(this.dir, parsedFiles(this.pending, this.hcl));
      this.pending = undefined;
    }
    return this.built;
  }
}

/** The configuration files of Terraform and OpenTofu (a lockfile is the deps family's). */
export function isTerraformConfig(path: string): boolean {
  return /\.(tf|tofu|tfvars)(\.json)?$/i.test(path);
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}

export type Parsed = { body: HclBody } | { error: ParseError };

/** One version parsed once per review, whichever checks ask. */
export function parseVersion(version: FileVersion, hcl: HclParser): Parsed {
  return version.memo("tf:parsed", () => {
    try {
      return { body: /\.json$/i.test(version.path) ? parseHclJson(version.text) : hcl.parse(version.text) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

const pairsOf = new WeakMap<FileChange, { count: number; pairs: Promise<ModulePair[]> }>();

/** Every check of the family sees the same changes: the modules are built once per review. */
export function modulePairs(changes: readonly FileChange[]): Promise<ModulePair[]> {
  const tf = changes.filter(
    (c) => isTerraformConfig(c.path) || (c.previousPath && isTerraformConfig(c.previousPath)),
  );
  const first = tf[0];
  if (!first) return Promise.resolve([]);
  const cached = pairsOf.get(first);
  if (cached && cached.count === tf.length) return cached.pairs;
  const pairs = loadHcl().then((hcl) => buildPairs(tf, hcl));
  pairsOf.set(first, { count: tf.length, pairs });
  return pairs;
}

function buildPairs(changes: readonly FileChange[], hcl: HclParser): ModulePair[] {
  const heads = new Map<string, FileVersion[]>();
  const bases = new Map<string, FileVersion[]>();
  const add = (into: Map<string, FileVersion[]>, version: FileVersion | undefined) => {
    if (!version || !isTerraformConfig(version.path)) return;
    const dir = dirOf(version.path);
    const list = into.get(dir);
    if (list) list.push(version);
    else into.set(dir, [version]);
  };
  for (const c of changes) {
    add(heads, c.head);
    add(bases, c.base);
  }
  const dirs = [...new Set([...heads.keys(), ...bases.keys()])].sort();
  return dirs.map((dir) => {
    const h = heads.get(dir);
    return new LazyPair(dir, h ? new TfModule(dir, parsedFiles(h, hcl)) : undefined, bases.get(dir), hcl);
  });
}

/** A file that does not parse is reported by tf/syntax; the rest of its module is still read. */
function parsedFiles(versions: readonly FileVersion[], hcl: HclParser): TfFileInput[] {
  const out: TfFileInput[] = [];
  for (const version of versions) {
    const parsed = parseVersion(version, hcl);
    if ("body" in parsed) out.push({ path: version.path, body: parsed.body });
  }
  return out;
}
