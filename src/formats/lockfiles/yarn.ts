import { ParseError } from "../errors.js";
import { assertNoConflictMarkers, unquote } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/**
 * yarn.lock, both Yarn 1 ("classic", its own syntax) and Yarn 2+ ("berry",
 * YAML). Both put one entry per resolved package at column 0 with its fields
 * indented by two spaces, so a line scan reads both and keeps each entry's line
 * without building a YAML tree of a 100,000-line file.
 */

/** `@scope/name@^1.0.0` → `@scope/name`. */
function nameOfDescriptor(descriptor: string): string {
  const d = unquote(descriptor.trim());
  const at = d.indexOf("@", 1);
  return at < 0 ? d : d.slice(0, at);
}

interface Entry {
  header: string;
  line: number;
  fields: Map<string, string>;
}

export function parseYarnLock(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const berry = lines.some((l) => l.startsWith("__metadata:"));
  const out = emptyManifest("lockfile", berry ? "yarn.lock (berry)" : "yarn.lock (classic)", "npm");
  const entries: Entry[] = [];
  let current: Entry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === "" || l.startsWith("#")) continue;
    if (l[0] !== " ") {
      if (!l.endsWith(":"))
        throw new ParseError(
          `expected an entry header ending in ':', got ${JSON.stringify(l.slice(0, 60))}`,
          i + 1,
        );
      current = { header: l.slice(0, -1), line: i + 1, fields: new Map() };
      entries.push(current);
      continue;
    }
    if (!current) throw new ParseError("indented line before the first entry", i + 1);
    // Only the entry's own fields (two spaces); nested dependency lists are not needed.
    if (l.startsWith("  ") && l[2] !== " ") {
      const m = berry ? /^ {2}([^:\s]+):\s*(.*)$/.exec(l) : /^ {2}("[^"]+"|\S+)\s+(.*)$/.exec(l);
      if (m) current.fields.set(unquote(m[1]!), unquote(m[2]!));
    }
  }
  // Berry checksums hash the cache archive, so they depend on the cache key (Yarn 3 writes `cacheKey: 8`
  // and bare digests, Yarn 4 `10c0` and `10c0/<digest>`): digests are kept with their key as a prefix.
  const cacheKey = entries.find((e) => e.header === "__metadata")?.fields.get("cacheKey");
  for (const e of entries) {
    if (e.header === "__metadata") continue;
    const dep = berry ? berryEntry(e, cacheKey) : classicEntry(e);
    if (dep) out.dependencies.push(dep);
  }
  return out;
}

function classicEntry(e: Entry): Dependency | undefined {
  const first = e.header.split(/,\s*/)[0]!;
  const name = nameOfDescriptor(first);
  const resolved = e.fields.get("resolved");
  const version = e.fields.get("version");
  return {
    ecosystem: "npm",
    name,
    version,
    direct: false,
    dev: false,
    source: resolved,
    integrity: e.fields.get("integrity"),
    line: e.line,
    key: name,
  };
}

function berryEntry(e: Entry, cacheKey: string | undefined): Dependency | undefined {
  const resolution = e.fields.get("resolution") ?? unquote(e.header).split(/,\s*/)[0]!;
  const name = nameOfDescriptor(resolution);
  const reference = resolution.slice(name.length + 1);
  // The project and its workspaces are not dependencies.
  if (reference.startsWith("workspace:")) return undefined;
  let source: string | undefined;
  if (!reference.startsWith("npm:")) {
    // `patch:lodash@npm%3A4.17.21#…` patches a registry package; the patch file is in the repository.
    source = reference.startsWith("patch:") ? undefined : reference;
  }
  return {
    ecosystem: "npm",
    name,
    version: e.fields.get("version"),
    direct: false,
    dev: false,
    source,
    integrity: berryChecksum(e.fields.get("checksum"), cacheKey),
    line: e.line,
    key: name,
  };
}

/** `10c0/<digest>` as written; a bare digest gets the lockfile's cache key (`8/<digest>`) when it has one. */
function berryChecksum(checksum: string | undefined, cacheKey: string | undefined): string | undefined {
  if (!checksum || checksum.includes("/") || !cacheKey || !/^\w+$/.test(cacheKey)) return checksum;
  return `${cacheKey}/${checksum}`;
}
