import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLMap,
} from "yaml";
import { ParseError } from "../errors.js";
import { YamlAnchors } from "../yaml.js";
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
/** pnpm writes one document, or two (its own dependencies first); more is not a lockfile. */
const MAX_DOCUMENTS = 10;

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

interface Reader {
  anchors: YamlAnchors;
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
  return isScalar(node) ? (node.source ?? String(node.value)) : undefined;
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

/** What an entry says about itself, however it is written. */
interface EntryFields {
  resolution?: (field: string) => string | undefined;
  version?: string;
  name?: string;
  dev: boolean;
  requiresBuild: boolean;
}

function toDependency(
  rawKey: string,
  line: number,
  v5: boolean,
  fields: EntryFields | undefined,
): Dependency {
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
  if (fields) {
    if (fields.resolution) {
      const get = fields.resolution;
      dep.integrity = get("integrity");
      const tarball = get("tarball");
      const repo = get("repo");
      const commit = get("commit");
      const directory = get("directory");
      if (repo) dep.source = `git+${repo}${commit ? `#${commit}` : ""}`;
      else if (tarball) dep.source = tarball;
      else if (directory) dep.source = `file:${directory}`;
    }
    if (fields.version !== undefined) dep.version = fields.version;
    if (fields.name !== undefined) dep.name = fields.name;
    dep.dev = fields.dev;
    if (fields.requiresBuild) dep.hasInstallScript = true;
  }
  if (!dep.version && /^\d/.test(reference)) dep.version = reference;
  return dep;
}

interface Lockfile {
  version: string;
  entries: Dependency[];
  /** Direct dependency name → dev, in document order (the last one written wins). */
  direct: Map<string, boolean>;
}

function toManifest(lock: Lockfile): ParsedManifest {
  const out = emptyManifest("lockfile", `pnpm-lock.yaml v${lock.version}`, "npm");
  out.dependencies = lock.entries;
  for (const dep of out.dependencies) {
    if (lock.direct.has(dep.name)) {
      dep.direct = true;
      dep.dev ||= lock.direct.get(dep.name) === true;
    }
    // Keys differ between versions only by the version: one identity per name keeps upgrades paired.
    dep.key = dep.name;
  }
  return out;
}

const NO_VERSION = "no lockfileVersion: not a pnpm lockfile";

/**
 * Lockfiles as pnpm writes them take a line reader (fast: a YAML tree of a
 * 10 MB lockfile costs seconds); anything else — flow-mapping entries,
 * aliases, block scalars, comments after values, documents — is read by a
 * YAML parser. The line reader accepts only a layout whose YAML reading is
 * the one it gives (a property test compares the two).
 */
export function parsePnpmLock(source: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  return toManifest(readCanonical(lines) ?? readYaml(source));
}

/** Whether the line reader takes these lines (for the test that holds it to the YAML reading). */
export function isCanonicalPnpmLayout(lines: readonly string[]): boolean {
  return readCanonical(lines) !== undefined;
}

/** The YAML reading alone, for the test that holds the line reader to it. */
export function parsePnpmLockAsYaml(source: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  return toManifest(readYaml(source));
}

function readYaml(source: string): Lockfile {
  const lineCounter = new LineCounter();
  // uniqueKeys would compare every key with every other key of its mapping: quadratic on `packages`.
  const docs = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    keepSourceTokens: false,
  });
  // A lockfile may hold more than one document (newer pnpm writes its own tooling in a first one): all are read.
  const documents = Array.isArray(docs) ? (docs as Document.Parsed[]) : [];
  if (documents.length > MAX_DOCUMENTS) throw new ParseError(`more than ${MAX_DOCUMENTS} YAML documents`, 1);
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      throw new ParseError(`not valid YAML: ${error.message.split("\n")[0]}`, at.line, at.col);
    }
  }
  const lock: Lockfile = { version: "", entries: [], direct: new Map() };
  const roots: Array<{ root: YAMLMap; reader: Reader }> = [];
  let version: string | undefined;
  for (const doc of documents) {
    const reader: Reader = { anchors: new YamlAnchors(doc) };
    const root = asMap(doc.contents, reader);
    if (!root) continue;
    roots.push({ root, reader });
    version = text(field(root, "lockfileVersion", reader), reader) ?? version;
  }
  if (version === undefined) throw new ParseError(NO_VERSION, 1);
  lock.version = version;
  const v5 = /^5/.test(version);
  const lineOf = (node: unknown, fallback: number) => {
    const offset = (node as Node | undefined)?.range?.[0];
    return offset === undefined ? fallback : lineCounter.linePos(offset).line;
  };
  for (const { root, reader } of roots) {
    const directFrom = (section: unknown, dev: boolean) => {
      for (const pair of asMap(section, reader)?.items ?? []) {
        const name = keyText(pair.key);
        if (name !== undefined) lock.direct.set(name, dev);
      }
    };
    // Duplicate top-level keys are all read: a second `packages:` must not hide its entries.
    for (const section of root.items) {
      const sectionName = keyText(section.key);
      if (sectionName === "importers") {
        for (const importer of asMap(section.value, reader)?.items ?? []) {
          if (keyText(importer.key) !== ".") continue;
          for (const pair of asMap(importer.value, reader)?.items ?? []) {
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
          lock.entries.push(
            toDependency(rawKey, lineOf(entry.key, sectionLine), v5, yamlFields(entry.value, reader)),
          );
        }
      }
    }
  }
  return lock;
}

function yamlFields(value: unknown, reader: Reader): EntryFields | undefined {
  const fields = asMap(value, reader);
  if (!fields) return undefined;
  const resolution = asMap(field(fields, "resolution", reader), reader);
  return {
    resolution: resolution && ((f: string) => text(field(resolution, f, reader), reader)),
    version: text(field(fields, "version", reader), reader),
    name: text(field(fields, "name", reader), reader),
    dev: isTrue(field(fields, "dev", reader), reader),
    requiresBuild: isTrue(field(fields, "requiresBuild", reader), reader),
  };
}

/*
 * The layout pnpm writes, as a strict subset of YAML: printable ASCII, two
 * spaces per level, one `key: value`, `key:` or `- item` per line, scalars
 * plain, single- or double-quoted without escapes, flow collections one level
 * deep on one line. Plain scalars start with a character that cannot open
 * anything else (no alias, anchor, tag, block scalar, merge key or quote)
 * and hold no ` #` or `: `, so their YAML value is their text. The
 * alternatives of each pattern begin with different characters: linear.
 */
const KEY_FIRST = `[A-Za-z0-9/._~^$+(]`;
const VALUE_FIRST = `[A-Za-z0-9/._~^$+(=]`;
/** Printable ASCII but `:`. */
const CHAR = `[!-9;-~]`;
/** …and none of `,[]{}`, which end a plain scalar inside a flow collection. */
const FLOW_CHAR = String.raw`[!-+\-.-9;-Z\\^-z|~]`;
const FLOW_CHAR_NO_HASH = String.raw`[!"$-+\-.-9;-Z\\^-z|~]`;
const SQ = `'[ -&(-~]*'`;
const DQ = String.raw`"[ !#-\[\]-~]*"`;
const BLOCK_PLAIN = `${VALUE_FIRST}(?:${CHAR}|:(?=[!-~])| (?=[!"$-~]))*`;
const FLOW_PLAIN = `${VALUE_FIRST}(?:${FLOW_CHAR}|:(?=${FLOW_CHAR})| (?=${FLOW_CHAR_NO_HASH}))*`;
const FLOW_SCALAR = `${SQ}|${DQ}|${FLOW_PLAIN}`;
const FLOW_PAIR = `(?:${SQ}|${FLOW_PLAIN}): (?:${FLOW_SCALAR})`;
const FLOW_MAP = String.raw`\{(?:${FLOW_PAIR}(?:, ${FLOW_PAIR})*)?\}`;
const FLOW_SEQ = String.raw`\[(?:(?:${FLOW_SCALAR})(?:, (?:${FLOW_SCALAR}))*)?\]`;
const VALUE = `${FLOW_MAP}|${FLOW_SEQ}|${SQ}|${DQ}|${BLOCK_PLAIN}`;
const KEY = `${SQ}|${DQ}|${KEY_FIRST}(?:${CHAR}|:(?=[!-~]))*`;
const LINE = new RegExp(`^((?:  )*)(?:(${KEY}):(?: (${VALUE}))?|- (?:${VALUE}))$`);
const FLOW_ITEM = new RegExp(`(${SQ}|${FLOW_PLAIN}): (${FLOW_SCALAR})`, "g");
const SKIPPED = /^ *(?:#.*)?$/;
const NULL = /^(?:~|null|Null|NULL)$/;
const TRUE = /^(?:true|True|TRUE)$/;

const isQuoted = (raw: string) => raw[0] === "'" || raw[0] === '"';
const unquoteKey = (raw: string) => (isQuoted(raw) ? raw.slice(1, -1) : raw);

/** A value's text as YAML reads it: undefined for null and for collections. */
function scalarText(raw: string | undefined): string | undefined {
  if (raw === undefined || raw[0] === "{" || raw[0] === "[") return undefined;
  if (isQuoted(raw)) return raw.slice(1, -1);
  return NULL.test(raw) ? undefined : raw;
}

function scalarIsTrue(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  return isQuoted(raw) ? raw.slice(1, -1) === "true" : TRUE.test(raw);
}

function flowFields(raw: string): (field: string) => string | undefined {
  const values = new Map<string, string | undefined>();
  FLOW_ITEM.lastIndex = 0;
  for (let m = FLOW_ITEM.exec(raw); m; m = FLOW_ITEM.exec(raw))
    values.set(unquoteKey(m[1]!), scalarText(m[2]!));
  return (field) => values.get(field);
}

interface RawEntry {
  key: string;
  line: number;
  resolution?: string;
  version?: string;
  name?: string;
  dev?: string;
  requiresBuild?: string;
}

/** The line reader; undefined when a line is outside the layout above, for the YAML parser to read. */
function readCanonical(lines: readonly string[]): Lockfile | undefined {
  const kinds: Array<"map" | "seq"> = [];
  let depth = -1;
  let opener = false;
  let versionRaw: string | undefined;
  let section = "";
  let importer = "";
  let directSection = "";
  let entry: RawEntry | undefined;
  const entries: RawEntry[] = [];
  const direct = new Map<string, boolean>();
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (l.endsWith("\r")) l = l.slice(0, -1);
    if (SKIPPED.test(l)) continue;
    const m = LINE.exec(l);
    if (!m) return undefined;
    const d = m[1]!.length / 2;
    const kind = m[2] === undefined ? "seq" : "map";
    if (d > depth) {
      // One level deeper, and only under a `key:` that opened a block.
      if (d !== depth + 1 || (depth >= 0 && !opener)) return undefined;
      kinds[d] = kind;
    } else if (kinds[d] !== kind) return undefined;
    kinds.length = d + 1;
    depth = d;
    opener = kind === "map" && m[3] === undefined;
    if (kind === "seq") continue;
    const key = unquoteKey(m[2]!);
    const raw = m[3];
    if (d === 0) {
      section = key;
      entry = undefined;
      if (key === "lockfileVersion") versionRaw = raw;
      else if ((key === "importers" || key === "packages" || ROOT_SECTIONS.has(key)) && raw !== undefined)
        return undefined;
      continue;
    }
    if (section === "importers") {
      if (d === 1) {
        importer = key;
        if (key === "." && raw !== undefined) return undefined;
      } else if (d === 2 && importer === ".") {
        directSection = key;
        if (ROOT_SECTIONS.has(key) && raw !== undefined) return undefined;
      } else if (d === 3 && importer === "." && ROOT_SECTIONS.has(directSection)) {
        direct.set(key, directSection === "devDependencies");
      }
    } else if (ROOT_SECTIONS.has(section)) {
      if (d === 1) direct.set(key, section === "devDependencies");
    } else if (section === "packages") {
      if (d === 1) {
        if (raw !== undefined) return undefined;
        entry = { key, line: i + 1 };
        entries.push(entry);
      } else if (d === 2 && entry) {
        // The last of a repeated field wins, as in the YAML reading.
        if (key === "resolution") {
          if (raw === undefined) return undefined;
          entry.resolution = raw;
        } else if (key === "version" || key === "name" || key === "dev" || key === "requiresBuild") {
          entry[key] = raw;
        }
      }
    }
  }
  const version = scalarText(versionRaw);
  if (version === undefined) return undefined;
  const v5 = /^5/.test(version);
  return {
    version,
    direct,
    entries: entries.map((e) =>
      toDependency(e.key, e.line, v5, {
        resolution: e.resolution?.[0] === "{" ? flowFields(e.resolution) : undefined,
        version: scalarText(e.version),
        name: scalarText(e.name),
        dev: scalarIsTrue(e.dev),
        requiresBuild: scalarIsTrue(e.requiresBuild),
      }),
    ),
  };
}
