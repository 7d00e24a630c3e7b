import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
  type YAMLMap,
} from "yaml";
import { ParseError } from "../../checks/types.js";
import { assertNoConflictMarkers } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/**
 * pnpm-lock.yaml v5, v6 and v9, read as YAML: an entry may be written as a
 * flow mapping on its key's line (`a@1.0.0: {resolution: {tarball: …}}`), and
 * a line-based reader took such a line, credentials included, for a version.
 * The document is parsed once and walked by node, so every package keeps the
 * line of its key and a large lockfile costs one pass.
 */

const ROOT_SECTIONS = new Set(["dependencies", "devDependencies", "optionalDependencies"]);

/**
 * pnpm never writes anchors, but it reads lockfiles with a YAML loader that
 * resolves them, so a hostile lockfile can move an entry's fields behind an
 * alias. Aliases are followed only through the few fields read here, one
 * node at a time: the document is never converted to plain data (`toJS`),
 * which is where an alias bomb would expand.
 */
/** `<<` merges and aliases of aliases followed per field lookup. */
const MAX_INDIRECTIONS = 8;

/** `/@scope/name@1.2.3(peer@1)` (v6), `name@1.2.3` (v9), `/name/1.2.3` (v5) → name, version. */
function splitKey(rawKey: string, v5: boolean): { name: string; version?: string; reference: string } {
  let key = rawKey.trim().replace(/^\//, "");
  key = key.replace(/\(.*$/, "").replace(/_[^/]*$/, (m) => (v5 ? "" : m));
  if (v5) {
    const at = key.lastIndexOf("/");
    return at > 0
      ? { name: key.slice(0, at), version: key.slice(at + 1), reference: key }
      : { name: key, reference: key };
  }
  const at = key.indexOf("@", 1);
  if (at < 0) return { name: key, reference: key };
  const version = key.slice(at + 1);
  return { name: key.slice(0, at), version: /^[\d]/.test(version) ? version : undefined, reference: version };
}

/** Resolves aliases against the anchors of one document, indexed on first use (most lockfiles have none). */
class Anchors {
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

  private build(): Map<string, Array<{ at: number; node: Node }>> {
    const index = new Map<string, Array<{ at: number; node: Node }>>();
    visit(this.doc, {
      Node(_key, node) {
        if (!node.anchor) return;
        const list = index.get(node.anchor) ?? [];
        list.push({ at: node.range?.[0] ?? 0, node });
        index.set(node.anchor, list);
      },
    });
    return index;
  }
}

interface Reader {
  anchors: Anchors;
}

function deref(node: unknown, reader: Reader): unknown {
  let current = node;
  for (let i = 0; i < MAX_INDIRECTIONS && isAlias(current); i++) current = reader.anchors.resolve(current);
  return isAlias(current) ? undefined : current;
}

function asMap(node: unknown, reader: Reader): YAMLMap | undefined {
  const value = deref(node, reader);
  return isMap(value) ? value : undefined;
}

/** A scalar as written: `1.10` stays `1.10`, not the number 1.1. */
function text(node: unknown, reader: Reader): string | undefined {
  const value = deref(node, reader);
  if (!isScalar(value) || value.value === null) return undefined;
  return value.source ?? String(value.value);
}

function keyText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return node.source ?? String(node.value);
}

/** A field of a mapping, the last one written winning, through `<<` merges as YAML loaders apply them. */
function field(map: YAMLMap, name: string, reader: Reader, depth = 0): unknown {
  let own: unknown;
  const merges: unknown[] = [];
  for (const pair of map.items) {
    const key = keyText(pair.key);
    if (key === name) own = pair.value;
    else if (key === "<<") merges.push(pair.value);
  }
  if (own !== undefined || depth >= MAX_INDIRECTIONS) return own;
  for (const merge of merges) {
    const value = deref(merge, reader);
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const from = asMap(source, reader);
      const found = from ? field(from, name, reader, depth + 1) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isTrue(node: unknown, reader: Reader): boolean {
  const value = deref(node, reader);
  return isScalar(value) && (value.value === true || value.source === "true");
}

export function parsePnpmLock(source: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const lineCounter = new LineCounter();
  // uniqueKeys would compare every key with every other key of its mapping: quadratic on `packages`.
  const doc = parseDocument(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    keepSourceTokens: false,
  });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    throw new ParseError(`not valid YAML: ${error.message.split("\n")[0]}`, at.line, at.col);
  }
  const reader: Reader = { anchors: new Anchors(doc) };
  const root = asMap(doc.contents, reader);
  const lockVersion = root ? text(field(root, "lockfileVersion", reader), reader) : undefined;
  if (!root || lockVersion === undefined) throw new ParseError("no lockfileVersion: not a pnpm lockfile", 1);
  const v5 = /^5/.test(lockVersion);
  const out = emptyManifest("lockfile", `pnpm-lock.yaml v${lockVersion}`, "npm");
  const direct = new Map<string, boolean>(); // name → dev
  const directFrom = (section: unknown, dev: boolean) => {
    const map = asMap(section, reader);
    for (const pair of map?.items ?? []) {
      const name = keyText(pair.key);
      if (name !== undefined) direct.set(name, dev);
    }
  };
  const lineOf = (node: unknown, fallback: number) => {
    const offset = (node as Node | undefined)?.range?.[0];
    return offset === undefined ? fallback : lineCounter.linePos(offset).line;
  };

  // Duplicate top-level keys are all read: a second `packages:` must not hide its entries.
  for (const section of root.items) {
    const sectionName = keyText(section.key);
    if (sectionName === "importers") {
      for (const importer of asMap(section.value, reader)?.items ?? []) {
        if (keyText(importer.key) !== ".") continue;
        const sections = asMap(importer.value, reader);
        for (const pair of sections?.items ?? []) {
          const name = keyText(pair.key);
          if (name && ROOT_SECTIONS.has(name)) directFrom(pair.value, name === "devDependencies");
        }
      }
    } else if (sectionName && ROOT_SECTIONS.has(sectionName)) {
      directFrom(section.value, sectionName === "devDependencies");
    } else if (sectionName === "packages") {
      const sectionLine = lineOf(section.key, 1);
      for (const entry of asMap(section.value, reader)?.items ?? []) {
        const rawKey = keyText(entry.key);
        if (rawKey === undefined) continue;
        out.dependencies.push(readEntry(rawKey, entry.value, lineOf(entry.key, sectionLine), v5, reader));
      }
    }
  }
  for (const dep of out.dependencies) {
    if (direct.has(dep.name)) {
      dep.direct = true;
      dep.dev ||= direct.get(dep.name) === true;
    }
    // Keys differ between versions only by the version: one identity per name keeps upgrades paired.
    dep.key = dep.name;
  }
  return out;
}

function readEntry(rawKey: string, value: unknown, line: number, v5: boolean, reader: Reader): Dependency {
  const { name, version, reference } = splitKey(rawKey, v5);
  const dep: Dependency = {
    ecosystem: "npm",
    name,
    version,
    direct: false,
    dev: false,
    line,
    key: `${name}@${reference}`,
  };
  const fields = asMap(value, reader);
  if (fields) {
    const resolution = asMap(field(fields, "resolution", reader), reader);
    if (resolution) {
      const get = (f: string) => text(field(resolution, f, reader), reader);
      dep.integrity = get("integrity");
      const tarball = get("tarball");
      const repo = get("repo");
      const commit = get("commit");
      const directory = get("directory");
      if (repo) dep.source = `git+${repo}${commit ? `#${commit}` : ""}`;
      else if (tarball) dep.source = tarball;
      else if (directory) dep.source = `file:${directory}`;
    }
    const pinned = text(field(fields, "version", reader), reader);
    if (pinned !== undefined) dep.version = pinned;
    const renamed = text(field(fields, "name", reader), reader);
    if (renamed !== undefined) dep.name = renamed;
    dep.dev = isTrue(field(fields, "dev", reader), reader);
    if (isTrue(field(fields, "requiresBuild", reader), reader)) dep.hasInstallScript = true;
  }
  if (!dep.version && /^\d/.test(reference)) dep.version = reference;
  return dep;
}
