import { ParseError } from "../errors.js";
import {
  asString,
  isObject,
  type JsonObject,
  type PositionedJson,
  type PositionOptions,
  parseJsonWithPositions,
} from "./json-positions.js";
import { assertNoConflictMarkers } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/** npm's own files: package.json and package-lock.json / npm-shrinkwrap.json (v1, v2, v3). */

const MANIFEST_SECTIONS = [
  ["dependencies", false],
  ["optionalDependencies", false],
  ["devDependencies", true],
  ["peerDependencies", false],
] as const;

/** Install-time hooks that run on `npm install` in the repository itself. */
export const INSTALL_HOOKS = ["preinstall", "install", "postinstall"] as const;

function parseJsonDocument(
  text: string,
  lines: readonly string[],
  what: string,
  options?: PositionOptions,
): PositionedJson {
  assertNoConflictMarkers(lines);
  if (text.trim() === "") throw new ParseError(`${what} is empty`, 1);
  const json = parseJsonWithPositions(text, options);
  if (!isObject(json.value)) throw new ParseError(`${what} is not a JSON object`, 1);
  return json;
}

/**
 * A spec that does not come from the registry: git, GitHub shorthand, tarball
 * URL, local path. Returns the spec itself as the source, else undefined.
 */
export function npmSpecSource(spec: string): string | undefined {
  const s = spec.trim();
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|portal:|patch:|workspace:)/i.test(s))
    return s;
  if (/^(\.{0,2}\/|~\/)/.test(s)) return s;
  // GitHub shorthand `user/repo` or `user/repo#ref` (npm treats it as a git dependency).
  if (/^[\w.-]+\/[\w.-]+(#.*)?$/.test(s) && !s.startsWith("@")) return `github:${s}`;
  return undefined;
}

/** Splits `npm:real-name@range` aliases into the registry name and the range. */
function resolveAlias(name: string, spec: string): { name: string; range: string } {
  const m = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(spec.trim());
  return m ? { name: m[1]!, range: m[2] ?? "*" } : { name, range: spec };
}

export function parsePackageJson(text: string, lines: readonly string[]): ParsedManifest {
  const json = parseJsonDocument(text, lines, "package.json");
  const root = json.value as JsonObject;
  const out = emptyManifest("manifest", "package.json", "npm");
  const seen = new Set<string>();
  for (const [section, dev] of MANIFEST_SECTIONS) {
    const deps = root[section];
    if (!isObject(deps)) continue;
    for (const key of Object.keys(deps)) {
      const spec = asString(deps[key]);
      if (spec === undefined || seen.has(key)) continue;
      seen.add(key);
      const { name, range } = resolveAlias(key, spec);
      out.dependencies.push({
        ecosystem: "npm",
        name,
        range,
        direct: true,
        dev,
        peer: section === "peerDependencies" || undefined,
        source: npmSpecSource(range),
        line: json.keyLine(deps, key) ?? 1,
        key,
      });
    }
  }
  // overrides (npm), resolutions (yarn), pnpm.overrides: they pin transitive packages to a spec.
  const overrideRoots: Array<[string, JsonObject]> = [];
  if (isObject(root.overrides)) overrideRoots.push(["overrides", root.overrides]);
  if (isObject(root.resolutions)) overrideRoots.push(["resolutions", root.resolutions]);
  if (isObject(root.pnpm) && isObject(root.pnpm.overrides))
    overrideRoots.push(["pnpm.overrides", root.pnpm.overrides]);
  for (const [label, obj] of overrideRoots) collectOverrides(json, obj, label, out.dependencies, 0);

  if (isObject(root.scripts)) {
    for (const hook of INSTALL_HOOKS) {
      const command = asString(root.scripts[hook]);
      if (command !== undefined) {
        out.scripts.push({ name: hook, command, line: json.keyLine(root.scripts, hook) ?? 1 });
      }
    }
  }
  return out;
}

function collectOverrides(
  json: PositionedJson,
  obj: JsonObject,
  path: string,
  out: Dependency[],
  depth: number,
) {
  if (depth > 8) return;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const line = json.keyLine(obj, key) ?? 1;
    if (isObject(value)) {
      collectOverrides(json, value, `${path}>${key}`, out, depth + 1);
      continue;
    }
    const spec = asString(value);
    if (spec === undefined || key === ".") continue;
    if (spec.startsWith("$")) continue; // `$foo`: a reference to the root's own spec
    const name = overrideTarget(key);
    out.push({
      ecosystem: "npm",
      name,
      range: spec,
      direct: false,
      dev: false,
      source: npmSpecSource(spec),
      line,
      key: `${path}:${key}`,
    });
  }
}

/** The package an override key pins: `b` in `b@1`, `a>b`, `**\/b`, `a/b`, `@s/a/@s/b@^2`. */
function overrideTarget(key: string): string {
  const parts = key.replace(/^(\*\*\/)+/, "").split(/[>/]/);
  const packages: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.startsWith("@") && i + 1 < parts.length) packages.push(`${p}/${parts[++i]}`);
    else packages.push(p);
  }
  const last = packages[packages.length - 1] ?? key;
  return last.replace(/(.)@.*$/, "$1");
}

/** package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3. */
export function parsePackageLock(
  text: string,
  getLines: () => readonly string[],
  fileName: string,
): ParsedManifest {
  const fast = fastPackagesLock(text, fileName);
  if (fast) return fast;
  const lines = getLines();
  // Lines are needed only for the root, the `packages` map (v2/v3) and the `dependencies` maps (v1).
  const json = parseJsonDocument(text, lines, fileName, {
    recordKeys: (depth, parent) => depth === 0 || parent === "packages" || parent === "dependencies",
  });
  const root = json.value as JsonObject;
  const version = typeof root.lockfileVersion === "number" ? root.lockfileVersion : 1;
  if (isObject(root.packages)) {
    return parsePackagesSection(
      root.packages,
      (k) => json.keyLine(root.packages as JsonObject, k),
      `${fileName} v${version}`,
    );
  }
  const out = emptyManifest("lockfile", `${fileName} v${version}`, "npm");
  if (isObject(root.dependencies)) {
    walkV1(json, root.dependencies, "", 0, out.dependencies);
    // v1 does not list the project's own dependencies: a top-level entry no other entry requires is direct.
    const required = new Set<string>();
    collectRequires(root.dependencies, required, 0);
    for (const d of out.dependencies)
      d.direct = d.key.lastIndexOf("node_modules/") === 0 && !required.has(d.key.slice(13));
  }
  return out;
}

/**
 * The common case, fast: a v2/v3 lockfile, as npm writes it or minified.
 * Values come from the native JSON.parse, and the line of each
 * `"node_modules/…":` key from one pass over the text (in v2/v3 only
 * `packages` keys start with `node_modules/`), without splitting 100,000
 * lines into strings. Undefined when the file is not like that (v1,
 * invalid, keys with escapes): the position-tracking parser then takes over
 * and reports errors at their line.
 */
function fastPackagesLock(text: string, fileName: string): ParsedManifest | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(root as JsonObject) || !isObject((root as JsonObject).packages)) return undefined;
  const r = root as JsonObject;
  const packages = r.packages as JsonObject;
  const lineOf = new Map<string, number>();
  const needle = '"node_modules/';
  let line = 1;
  // The first newline not yet counted. Searching again from the last counted
  // one, not from the last key, keeps a minified (one-line) file linear: it
  // rescanned the whole rest of the text per key (100,000 packages, 15 s).
  let nextNewline = text.indexOf("\n");
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    while (nextNewline >= 0 && nextNewline < at) {
      line++;
      nextNewline = text.indexOf("\n", nextNewline + 1);
    }
    const end = text.indexOf('"', at + 1);
    if (end < 0) break;
    // A key, not a value: a line start, `{` or `,` before it (whitespace aside; a quote inside a
    // string is always preceded by a backslash), and a colon after it.
    let before = at - 1;
    while (before >= 0 && (text.charCodeAt(before) === 32 || text.charCodeAt(before) === 9)) before--;
    const opener = before < 0 ? 10 : text.charCodeAt(before);
    if (opener !== 10 && opener !== 123 && opener !== 44) continue;
    let after = end + 1;
    while (text.charCodeAt(after) === 32) after++;
    if (text.charCodeAt(after) !== 58) continue;
    const key = text.slice(at + 1, end);
    if (!lineOf.has(key)) lineOf.set(key, line);
  }
  for (const key of Object.keys(packages)) {
    if (key.includes("node_modules/") && !lineOf.has(key)) return undefined;
  }
  assertNoConflictMarkers(text);
  const version = typeof r.lockfileVersion === "number" ? r.lockfileVersion : 2;
  return parsePackagesSection(packages, (k) => lineOf.get(k), `${fileName} v${version}`);
}

function parsePackagesSection(
  packages: JsonObject,
  keyLine: (key: string) => number | undefined,
  format: string,
): ParsedManifest {
  const out = emptyManifest("lockfile", format, "npm");
  const rootEntry = packages[""];
  const directNames = new Set<string>();
  if (isObject(rootEntry)) {
    for (const [section] of MANIFEST_SECTIONS) {
      const deps = rootEntry[section];
      if (isObject(deps)) for (const k of Object.keys(deps)) directNames.add(k);
    }
  }
  const hasRoot = isObject(rootEntry);
  for (const path of Object.keys(packages)) {
    const idx = path.lastIndexOf("node_modules/");
    if (idx < 0) continue; // the root ("") and workspace folders are the project, not dependencies
    const entry = packages[path];
    if (!isObject(entry)) continue;
    const installedAs = path.slice(idx + "node_modules/".length);
    const name = asString(entry.name) ?? installedAs;
    const topLevel = idx === 0;
    const resolved = asString(entry.resolved);
    const link = entry.link === true;
    out.dependencies.push({
      ecosystem: "npm",
      name,
      version: asString(entry.version),
      direct: topLevel && (!hasRoot || directNames.has(installedAs)),
      dev: entry.dev === true || entry.devOptional === true,
      source: link && resolved !== undefined ? `link:${resolved}` : resolved,
      integrity: asString(entry.integrity),
      hasInstallScript: entry.hasInstallScript === true,
      license: asString(entry.license),
      line: keyLine(path) ?? 1,
      key: path,
    });
  }
  return out;
}

/** v1: a tree of `dependencies` objects; `version` holds the git URL or file spec for non-registry packages. */
function walkV1(json: PositionedJson, deps: JsonObject, prefix: string, depth: number, out: Dependency[]) {
  if (depth > 64) throw new ParseError("dependency tree nested too deeply", json.objectLine(deps) ?? 1);
  for (const name of Object.keys(deps)) {
    const entry = deps[name];
    if (!isObject(entry)) continue;
    const path = `${prefix}node_modules/${name}`;
    const version = asString(entry.version);
    const versionIsSpec = version !== undefined && npmSpecSource(version) !== undefined;
    out.push({
      ecosystem: "npm",
      name,
      version: versionIsSpec ? undefined : version,
      direct: false,
      dev: entry.dev === true,
      source: asString(entry.resolved) ?? (versionIsSpec ? version : undefined),
      integrity: asString(entry.integrity),
      line: json.keyLine(deps, name) ?? 1,
      key: path,
    });
    if (isObject(entry.dependencies)) walkV1(json, entry.dependencies, `${path}/`, depth + 1, out);
  }
}

function collectRequires(deps: JsonObject, into: Set<string>, depth: number) {
  if (depth > 64) return;
  for (const name of Object.keys(deps)) {
    const entry = deps[name];
    if (!isObject(entry)) continue;
    if (isObject(entry.requires)) for (const r of Object.keys(entry.requires)) into.add(r);
    if (isObject(entry.dependencies)) collectRequires(entry.dependencies, into, depth + 1);
  }
}
