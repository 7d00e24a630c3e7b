import { ParseError } from "../errors.js";
import { asString, isObject, parseJsonWithPositions } from "./json-positions.js";
import { assertNoConflictMarkers, normalisePythonName, stripCredentials } from "./text.js";
import {
  arrayStringLines,
  findBlock,
  parseToml,
  type TomlBlock,
  type TomlTable,
  tomlBlocks,
} from "./toml.js";
import { type Dependency, emptyManifest, type ParsedManifest, type RegistrySetting } from "./types.js";

/**
 * Python: requirements files (with pip's options), Pipfile and Pipfile.lock,
 * pyproject.toml (PEP 621, PEP 735 groups, Poetry, uv), poetry.lock, uv.lock,
 * and pip.conf / pip.ini.
 */

export interface Requirement {
  name: string;
  /** Version specifier as written, `>=2,<3`; empty when none. */
  spec: string;
  /** `name @ url` direct reference. */
  url?: string;
  marker?: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;

/** A PEP 508 requirement string: `name[extra] (>=1,<2) ; marker` or `name @ url ; marker`. */
export function parsePep508(input: string): Requirement | undefined {
  let s = input.trim();
  let marker: string | undefined;
  // The marker starts at the first `;` (a URL requirement needs a space before it).
  const at = s.search(/@\s*\S/) >= 0 ? s.search(/\s;/) : s.indexOf(";");
  if (at >= 0) {
    marker = s.slice(at).replace(/^\s*;/, "").trim();
    s = s.slice(0, at).trim();
  }
  const m = NAME.exec(s);
  if (!m) return undefined;
  const rest = m[3]!.trim();
  if (rest.startsWith("@")) {
    const url = rest.slice(1).trim().split(/\s+/)[0] ?? "";
    return { name: m[1]!, spec: "", url, marker };
  }
  const spec = rest.replace(/^\((.*)\)$/, "$1").replace(/\s+/g, "");
  if (spec !== "" && !/^(===?|~=|!=|<=?|>=?)/.test(spec)) return undefined;
  return { name: m[1]!, spec, marker };
}

/** The exact version of an `==1.2.3` / `===1.2.3` spec (no wildcard), else undefined. */
export function pinnedVersion(spec: string): string | undefined {
  const m = /^===?([^,;*\s]+)$/.exec(spec.trim());
  return m ? m[1] : undefined;
}

function pypiDep(
  req: Requirement,
  line: number,
  options: { direct: boolean; dev: boolean; key?: string; integrity?: string; source?: string },
): Dependency {
  const name = normalisePythonName(req.name);
  return {
    ecosystem: "PyPI",
    name,
    version: pinnedVersion(req.spec),
    range: req.spec,
    direct: options.direct,
    dev: options.dev,
    source: options.source ?? req.url,
    integrity: options.integrity,
    line,
    key: options.key ?? name,
  };
}

/** Logical lines of a requirements file: continuations joined, comments dropped, first physical line kept. */
function logicalLines(lines: readonly string[]): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let buffer = "";
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (buffer === "") start = i + 1;
    // pip strips comments before joining continuations: `#` at the start or after whitespace.
    const noComment = raw.replace(/(^|\s)#.*$/, "");
    if (/\\$/.test(noComment)) {
      buffer += `${noComment.slice(0, -1)} `;
      continue;
    }
    buffer += noComment;
    if (buffer.trim() !== "") out.push({ text: buffer.trim(), line: start });
    buffer = "";
  }
  if (buffer.trim() !== "") out.push({ text: buffer.trim(), line: start });
  return out;
}

const OPTION_KINDS: Record<string, RegistrySetting["kind"] | "editable" | "skip"> = {
  "-i": "registry",
  "--index-url": "registry",
  "--extra-index-url": "extra-registry",
  "-f": "extra-registry",
  "--find-links": "extra-registry",
  "--trusted-host": "trusted-host",
  "-e": "editable",
  "--editable": "editable",
  "-r": "skip",
  "--requirement": "skip",
  "-c": "skip",
  "--constraint": "skip",
};

/** `requirements*.txt`, `requirements/*.txt`, `constraints*.txt`. */
export function parseRequirements(_text: string, lines: readonly string[], fileName: string): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest(
    "manifest",
    fileName.toLowerCase().includes("constraint") ? "constraints.txt" : "requirements.txt",
    "PyPI",
  );
  const dev = /(^|[-_.])(dev|test|tests|lint|docs|ci)([-_.]|$)/i.test(fileName.replace(/\.txt$/i, ""));
  const seen = new Map<string, number>();
  for (const { text, line } of logicalLines(lines)) {
    if (text.startsWith("-")) {
      const m = /^(-[a-z]|--[a-z-]+)(?:[=\s]\s*(.*))?$/i.exec(text);
      if (!m) continue;
      const kind = OPTION_KINDS[m[1]!.toLowerCase()];
      const value = (m[2] ?? "").trim().split(/\s+/)[0] ?? "";
      if (!kind || kind === "skip" || value === "") continue;
      if (kind === "editable") {
        if (!isProjectItself(value)) out.dependencies.push(urlRequirement(value, line, dev, seen));
        continue;
      }
      out.registries.push({ kind, value: stripCredentials(value), line });
      continue;
    }
    // Per-requirement options (`--hash=…`, `--config-settings …`) follow the requirement.
    const optionAt = text.search(/\s--?[a-z]/i);
    const requirement = optionAt >= 0 ? text.slice(0, optionAt) : text;
    const hashes = [...text.matchAll(/--hash[=\s]\s*([A-Za-z0-9]+:[A-Fa-f0-9]+)/g)].map((h) => h[1]!).sort();
    const integrity = hashes.length > 0 ? hashes.join(" ") : undefined;
    if (isProjectItself(requirement)) continue;
    if (/^([a-z][a-z0-9+.-]*:|\.{0,2}\/)/i.test(requirement)) {
      out.dependencies.push({ ...urlRequirement(requirement, line, dev, seen), integrity });
      continue;
    }
    const req = parsePep508(requirement);
    if (!req) throw new ParseError(`not a requirement: ${JSON.stringify(requirement.slice(0, 80))}`, line);
    out.dependencies.push(
      pypiDep(req, line, {
        direct: true,
        dev,
        integrity,
        key: uniqueKey(normalisePythonName(req.name), seen, req.marker),
      }),
    );
  }
  return out;
}

/** One name may appear once per environment marker (`foo==1; python_version<"3.9"` and `foo==2; …`). */
function uniqueKey(name: string, seen: Map<string, number>, marker?: string): string {
  const base = marker ? `${name};${marker.replace(/\s+/g, "")}` : name;
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}#${n + 1}`;
}

/** `.` or `.[test]` (`-e .` in requirements-dev.txt): the project itself, not a dependency. */
function isProjectItself(value: string): boolean {
  return /^(?:file:)?\.\/?(?:\[[^\]]*\])?$/i.test(value.trim());
}

/**
 * A requirement given as a URL or path. Its name: `#egg=`, else the
 * distribution part of a wheel or sdist file name (`fancy_pkg-1.0-py3-none-any.whl`
 * → fancy-pkg 1.0), else a git repository's name; a local directory is
 * named by its path as written (`./libs/core`), since no registry name applies.
 */
function urlRequirement(value: string, line: number, dev: boolean, seen: Map<string, number>): Dependency {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(value)?.[1];
  const location = value.replace(/[#?].*$/, "").replace(/\[[^\]/]*\]$/, "");
  const fileName = location.slice(location.lastIndexOf("/") + 1);
  const wheel = /^([A-Za-z0-9._]+?)-(\d[^-]*)(?:-[^-]+){2,3}\.whl$/i.exec(fileName);
  const bareWheel = /^([A-Za-z0-9._]+?)(?:-(\d[^-]*))?(?:-[^-]*)*\.whl$/i.exec(fileName);
  const sdist = /^([A-Za-z0-9._-]+?)-(\d[^/]*?)\.(?:tar\.gz|tar\.bz2|tgz|zip)$/i.exec(fileName);
  const file = wheel ?? sdist ?? bareWheel;
  const localDirectory = !file && /^(\.{1,2}(\/|$)|\/|~\/|file:)/i.test(location);
  const repo = /\/([A-Za-z0-9._-]+?)(?:\.git)?(?:@[^/#]*)?(?:#.*)?$/.exec(value)?.[1];
  const name = egg
    ? normalisePythonName(egg)
    : file
      ? normalisePythonName(file[1]!)
      : localDirectory
        ? location
        : normalisePythonName(repo ?? value);
  return {
    ecosystem: "PyPI",
    name,
    version: file?.[2],
    range: "",
    direct: true,
    dev,
    source: stripCredentials(value),
    line,
    key: uniqueKey(name, seen),
  };
}

/** pip.conf / pip.ini: `index-url`, `extra-index-url` (several, one per continuation line), `trusted-host`. */
export function parsePipConf(_text: string, lines: readonly string[], fileName: string): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("registry-config", fileName, "PyPI");
  let key: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*([#;]|$)/.test(raw) || /^\s*\[/.test(raw)) {
      if (/^\s*\[/.test(raw)) key = undefined;
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*[=:]\s*(.*)$/.exec(raw);
    let values: string;
    if (kv) {
      key = kv[1]!.toLowerCase();
      values = kv[2]!;
    } else if (/^\s+\S/.test(raw) && key) values = raw;
    else continue;
    const kind: RegistrySetting["kind"] | undefined =
      key === "index-url" || key === "index"
        ? "registry"
        : key === "extra-index-url" || key === "find-links"
          ? "extra-registry"
          : key === "trusted-host"
            ? "trusted-host"
            : undefined;
    if (!kind) continue;
    for (const v of values.trim().split(/\s+/).filter(Boolean)) {
      out.registries.push({ kind, value: stripCredentials(v), line: i + 1 });
    }
  }
  return out;
}

function tomlString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Poetry / Pipfile style `name = "^1.2"` or `name = { version = "…", git = "…", path = "…" }`. */
function tableDependency(
  name: string,
  value: unknown,
  line: number,
  dev: boolean,
  specStyle: "poetry" | "pipfile",
): Dependency | undefined {
  let spec = "";
  let source: string | undefined;
  if (typeof value === "string") spec = value;
  else if (value && typeof value === "object" && !Array.isArray(value)) {
    const t = value as TomlTable;
    spec = tomlString(t.version) ?? "";
    const git = tomlString(t.git);
    const url = tomlString(t.url) ?? tomlString(t.file);
    const path = tomlString(t.path);
    if (git)
      source = `git+${git}${(tomlString(t.rev) ?? tomlString(t.ref) ?? tomlString(t.tag) ?? tomlString(t.branch)) ? `@${tomlString(t.rev) ?? tomlString(t.ref) ?? tomlString(t.tag) ?? tomlString(t.branch)}` : ""}`;
    else if (url) source = url;
    else if (path) source = path.startsWith(".") || path.startsWith("/") ? path : `./${path}`;
  } else if (Array.isArray(value)) {
    // Poetry multiple-constraint dependencies: the first constraint stands for all.
    return tableDependency(name, value[0], line, dev, specStyle);
  } else return undefined;
  const normalised = normalisePythonName(name);
  // Poetry `^1.2`/`~1.2` and Pipfile `*` are not PEP 440; keep them as written.
  const exact = /^\d[\w.!+-]*$/.test(spec) && specStyle === "poetry" ? spec : pinnedVersion(spec);
  return {
    ecosystem: "PyPI",
    name: normalised,
    version: exact,
    range: spec,
    direct: true,
    dev,
    source: source ? stripCredentials(source) : undefined,
    line,
    key: normalised,
  };
}

export function parsePipfile(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "Pipfile");
  const blocks = tomlBlocks(lines);
  const out = emptyManifest("manifest", "Pipfile", "PyPI");
  for (const [section, dev] of [
    ["packages", false],
    ["dev-packages", true],
  ] as const) {
    const table = doc[section];
    const block = findBlock(blocks, section);
    if (!table || typeof table !== "object") continue;
    for (const [name, value] of Object.entries(table as TomlTable)) {
      const dep = tableDependency(name, value, block?.keys.get(name) ?? block?.line ?? 1, dev, "pipfile");
      if (dep) out.dependencies.push(dep);
    }
  }
  const sources = Array.isArray(doc.source) ? (doc.source as TomlTable[]) : [];
  const sourceBlocks = blocks.filter((b) => b.name === "source" && b.array);
  sources.forEach((s, i) => {
    const url = tomlString(s.url);
    if (!url) return;
    const block = sourceBlocks[i];
    const line = block?.keys.get("url") ?? block?.line ?? 1;
    out.registries.push({
      kind: i === 0 ? "registry" : "extra-registry",
      value: stripCredentials(url),
      scope: tomlString(s.name),
      line,
    });
    if (s.verify_ssl === false) {
      out.registries.push({
        kind: "insecure-option",
        value: `verify_ssl = false (${stripCredentials(url)})`,
        line: block?.keys.get("verify_ssl") ?? line,
      });
    }
  });
  return out;
}

export function parsePipfileLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const json = parseJsonWithPositions(text);
  const root = json.value;
  if (!isObject(root)) throw new ParseError("Pipfile.lock is not a JSON object", 1);
  const out = emptyManifest("lockfile", "Pipfile.lock", "PyPI");
  for (const [section, dev] of [
    ["default", false],
    ["develop", true],
  ] as const) {
    const entries = root[section];
    if (!isObject(entries)) continue;
    for (const name of Object.keys(entries)) {
      const e = entries[name];
      if (!isObject(e)) continue;
      const spec = asString(e.version) ?? "";
      const git = asString(e.git);
      const source = git
        ? `git+${git}${asString(e.ref) ? `@${asString(e.ref)}` : ""}`
        : (asString(e.path) ?? asString(e.file));
      const hashes = Array.isArray(e.hashes)
        ? e.hashes.filter((h): h is string => typeof h === "string").sort()
        : [];
      const normalised = normalisePythonName(name);
      out.dependencies.push({
        ecosystem: "PyPI",
        name: normalised,
        version: pinnedVersion(spec),
        direct: false,
        dev,
        source: source ? stripCredentials(source) : undefined,
        integrity: hashes.length ? hashes.join(" ") : undefined,
        line: json.keyLine(entries, name) ?? 1,
        key: `${section}:${normalised}`,
      });
    }
  }
  const meta = root._meta;
  if (isObject(meta) && Array.isArray(meta.sources)) {
    meta.sources.forEach((s, i) => {
      if (!isObject(s)) return;
      const url = asString(s.url);
      if (!url) return;
      const line = json.keyLine(s, "url") ?? 1;
      out.registries.push({
        kind: i === 0 ? "registry" : "extra-registry",
        value: stripCredentials(url),
        scope: asString(s.name),
        line,
      });
    });
  }
  return out;
}

/** poetry.lock and uv.lock share `[[package]]` blocks with `name` and `version`. */
function lockPackages(
  doc: TomlTable,
  blocks: readonly TomlBlock[],
): Array<{ pkg: TomlTable; block?: TomlBlock }> {
  const packages = Array.isArray(doc.package) ? (doc.package as TomlTable[]) : [];
  const headers = blocks.filter((b) => b.name === "package" && b.array);
  return packages.map((pkg, i) => ({ pkg, block: headers[i] }));
}

function hashesOf(values: unknown[]): string | undefined {
  const hashes = values
    .map((f) => (f && typeof f === "object" ? tomlString((f as TomlTable).hash) : undefined))
    .filter((h): h is string => !!h)
    .sort();
  return hashes.length ? [...new Set(hashes)].join(" ") : undefined;
}

/**
 * `[file name, hash]` of each distribution file that names its file: poetry's `file`, uv's
 * `filename` or the last segment of its `url` / `path`. Undefined when none does.
 */
function fileHashesOf(values: unknown[]): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  for (const f of values) {
    if (!f || typeof f !== "object") continue;
    const t = f as TomlTable;
    const hash = tomlString(t.hash);
    const location = tomlString(t.url) ?? tomlString(t.path);
    const file =
      tomlString(t.file) ??
      tomlString(t.filename) ??
      (location ? location.replace(/[?#].*$/, "").replace(/^.*\//, "") : undefined);
    if (hash && file) out.push([file, hash]);
  }
  return out.length ? out : undefined;
}

export function parsePoetryLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "poetry.lock");
  const out = emptyManifest("lockfile", "poetry.lock", "PyPI");
  for (const { pkg, block } of lockPackages(doc, tomlBlocks(lines))) {
    const name = tomlString(pkg.name);
    if (!name) continue;
    const src = pkg.source as TomlTable | undefined;
    let source: string | undefined;
    const type = tomlString(src?.type);
    const url = tomlString(src?.url);
    if (type === "git" && url)
      source = `git+${url}${tomlString(src?.resolved_reference) ? `@${tomlString(src?.resolved_reference)}` : ""}`;
    else if ((type === "directory" || type === "file") && url)
      source = url.startsWith(".") || url.startsWith("/") ? url : `./${url}`;
    else if (url) source = url; // url or legacy (a private index): judged by host
    const normalised = normalisePythonName(name);
    out.dependencies.push({
      ecosystem: "PyPI",
      name: normalised,
      version: tomlString(pkg.version),
      direct: false,
      dev: tomlString(pkg.category) === "dev",
      source: source ? stripCredentials(source) : undefined,
      integrity: hashesOf(Array.isArray(pkg.files) ? pkg.files : []),
      fileHashes: fileHashesOf(Array.isArray(pkg.files) ? pkg.files : []),
      line: block?.keys.get("name") ?? block?.line ?? 1,
      key: normalised,
    });
  }
  return out;
}

export function parseUvLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "uv.lock");
  const out = emptyManifest("lockfile", "uv.lock", "PyPI");
  for (const { pkg, block } of lockPackages(doc, tomlBlocks(lines))) {
    const name = tomlString(pkg.name);
    if (!name) continue;
    const src = (pkg.source ?? {}) as TomlTable;
    // The project itself (and workspace members) are `editable`/`virtual` sources inside the repository.
    const local = tomlString(src.editable) ?? tomlString(src.virtual);
    if (local !== undefined && !/^(\.\.|\/)/.test(local)) continue;
    let source: string | undefined;
    if (tomlString(src.git)) source = `git+${tomlString(src.git)}`;
    else if (tomlString(src.url)) source = tomlString(src.url);
    else if (tomlString(src.path) ?? tomlString(src.directory) ?? local)
      source = tomlString(src.path) ?? tomlString(src.directory) ?? local;
    else if (tomlString(src.registry)) source = tomlString(src.registry);
    if (source && !/^[a-z+]+:/i.test(source) && !/^(\.{0,2}\/)/.test(source)) source = `./${source}`;
    const files: unknown[] = [];
    if (pkg.sdist) files.push(pkg.sdist);
    if (Array.isArray(pkg.wheels)) files.push(...pkg.wheels);
    const normalised = normalisePythonName(name);
    out.dependencies.push({
      ecosystem: "PyPI",
      name: normalised,
      version: tomlString(pkg.version),
      direct: false,
      dev: false,
      source: source ? stripCredentials(source) : undefined,
      integrity: hashesOf(files),
      fileHashes: fileHashesOf(files),
      line: block?.keys.get("name") ?? block?.line ?? 1,
      key: normalised,
    });
  }
  return out;
}

const DEV_GROUP = /^(dev|test|tests|testing|lint|docs|typing|develop)$/i;

export function parsePyproject(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "pyproject.toml");
  const blocks = tomlBlocks(lines);
  const out = emptyManifest("manifest", "pyproject.toml", "PyPI");
  const seen = new Set<string>();
  const push = (dep: Dependency | undefined) => {
    if (!dep || seen.has(dep.key)) return;
    seen.add(dep.key);
    out.dependencies.push(dep);
  };
  const pep508Array = (block: TomlBlock | undefined, key: string, dev: boolean, prefix: string) => {
    const start = block?.keys.get(key);
    if (!start) return;
    for (const { value, line } of arrayStringLines(lines, start)) {
      const req = parsePep508(value);
      if (!req) continue;
      const name = normalisePythonName(req.name);
      push(pypiDep(req, line, { direct: true, dev, key: `${prefix}${name}` }));
    }
  };
  const project = findBlock(blocks, "project");
  pep508Array(project, "dependencies", false, "");
  const optional = findBlock(blocks, "project.optional-dependencies");
  if (optional)
    for (const group of optional.keys.keys())
      pep508Array(optional, group, DEV_GROUP.test(group), `${group}:`);
  const groups = findBlock(blocks, "dependency-groups");
  if (groups)
    for (const group of groups.keys.keys()) pep508Array(groups, group, DEV_GROUP.test(group), `${group}:`);

  const poetry = (doc.tool as TomlTable | undefined)?.poetry as TomlTable | undefined;
  if (poetry) {
    const sections: Array<[string, unknown, boolean]> = [
      ["tool.poetry.dependencies", poetry.dependencies, false],
      ["tool.poetry.dev-dependencies", poetry["dev-dependencies"], true],
    ];
    const group = poetry.group as TomlTable | undefined;
    for (const [g, t] of Object.entries(group ?? {})) {
      sections.push([`tool.poetry.group.${g}.dependencies`, (t as TomlTable)?.dependencies, g !== "main"]);
    }
    for (const [blockName, table, dev] of sections) {
      if (!table || typeof table !== "object") continue;
      const block = findBlock(blocks, blockName);
      for (const [name, value] of Object.entries(table as TomlTable)) {
        if (name.toLowerCase() === "python") continue;
        push(tableDependency(name, value, block?.keys.get(name) ?? block?.line ?? 1, dev, "poetry"));
      }
    }
    const sources = Array.isArray(poetry.source) ? (poetry.source as TomlTable[]) : [];
    const sourceBlocks = blocks.filter((b) => b.name === "tool.poetry.source" && b.array);
    sources.forEach((s, i) => {
      const url = tomlString(s.url);
      if (!url) return;
      const block = sourceBlocks[i];
      const priority =
        tomlString(s.priority) ??
        (s.default === true ? "default" : s.secondary === true ? "secondary" : "supplemental");
      // `explicit` sources serve only the packages that name them: no confusion is possible.
      const kind: RegistrySetting["kind"] =
        priority === "explicit"
          ? "repository"
          : priority === "primary" || priority === "default"
            ? "registry"
            : "extra-registry";
      out.registries.push({
        kind,
        value: stripCredentials(url),
        scope: tomlString(s.name),
        line: block?.keys.get("url") ?? block?.line ?? 1,
      });
    });
  }

  const uv = (doc.tool as TomlTable | undefined)?.uv as TomlTable | undefined;
  if (uv) {
    const uvBlock = findBlock(blocks, "tool.uv");
    for (const [key, kind] of [
      ["index-url", "registry"],
      ["extra-index-url", "extra-registry"],
    ] as const) {
      const v = uv[key];
      const values =
        typeof v === "string"
          ? [v]
          : Array.isArray(v)
            ? v.filter((x): x is string => typeof x === "string")
            : [];
      for (const url of values)
        out.registries.push({
          kind,
          value: stripCredentials(url),
          line: uvBlock?.keys.get(key) ?? uvBlock?.line ?? 1,
        });
    }
    // uv's default index strategy stops at the first index that has a package, so extra
    // `[[tool.uv.index]]` entries do not mix versions; they matter only when insecure.
    const indexes = Array.isArray(uv.index) ? (uv.index as TomlTable[]) : [];
    const indexBlocks = blocks.filter((b) => b.name === "tool.uv.index" && b.array);
    indexes.forEach((s, i) => {
      const url = tomlString(s.url);
      if (!url) return;
      const block = indexBlocks[i];
      out.registries.push({
        kind: s.default === true ? "registry" : "repository",
        value: stripCredentials(url),
        scope: tomlString(s.name),
        line: block?.keys.get("url") ?? block?.line ?? 1,
      });
    });
  }
  return out;
}
