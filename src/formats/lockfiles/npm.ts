import { ParseError } from "../../checks/types.js";
import {
  asString,
  isObject,
  type JsonObject,
  type PositionedJson,
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

function parseJsonDocument(text: string, lines: readonly string[], what: string): PositionedJson {
  assertNoConflictMarkers(lines);
  if (text.trim() === "") throw new ParseError(`${what} is empty`, 1);
  const json = parseJsonWithPositions(text);
  if (!isObject(json.value)) throw new ParseError(`${what} is not a JSON object`, 1);
  return json;
}

/**
 * A spec that does not come from the registry: git, GitHub shorthand, tarball
 * URL, local path. Returns the spec itself as the source, else undefined.
 */
export function npmSpecSource(spec: string): string | undefined {
  const s = spec.trim();
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|portal:|patch:)/i.test(s)) return s;
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
export function parsePackageLock(text: string, lines: readonly string[], fileName: string): ParsedManifest {
  const json = parseJsonDocument(text, lines, fileName);
  const root = json.value as JsonObject;
  const version = typeof root.lockfileVersion === "number" ? root.lockfileVersion : 1;
  if (isObject(root.packages)) return parsePackagesSection(json, root.packages, `${fileName} v${version}`);
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

function parsePackagesSection(json: PositionedJson, packages: JsonObject, format: string): ParsedManifest {
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
      line: json.keyLine(packages, path) ?? 1,
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
