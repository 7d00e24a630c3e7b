import semver from "semver";
import { parseCargoConfig, parseCargoLock, parseCargoToml } from "../../formats/lockfiles/cargo.js";
import { parseComposerJson, parseComposerLock } from "../../formats/lockfiles/composer.js";
import { parseGoMod, parseGoSum } from "../../formats/lockfiles/go.js";
import { parseGradle, parseGradleLockfile } from "../../formats/lockfiles/gradle.js";
import { parsePom } from "../../formats/lockfiles/maven.js";
import { parsePackageJson, parsePackageLock } from "../../formats/lockfiles/npm.js";
import { parseMsbuildProject, parseNugetConfig, parsePackagesLock } from "../../formats/lockfiles/nuget.js";
import { parsePnpmLock } from "../../formats/lockfiles/pnpm.js";
import {
  parsePipConf,
  parsePipfile,
  parsePipfileLock,
  parsePoetryLock,
  parsePyproject,
  parseRequirements,
  parseUvLock,
} from "../../formats/lockfiles/python.js";
import { parseNpmrc, parseYarnrcClassic, parseYarnrcYml } from "../../formats/lockfiles/registry-config.js";
import { parseGemfile, parseGemfileLock } from "../../formats/lockfiles/ruby.js";
import { stripCredentials } from "../../formats/lockfiles/text.js";
import type { Dependency, ParsedManifest } from "../../formats/lockfiles/types.js";
import { compareVersions } from "../../formats/lockfiles/versions.js";
import { parseYarnLock } from "../../formats/lockfiles/yarn.js";
import { type FileChange, type FileVersion, ParseError } from "../types.js";

/**
 * The dependency view of a change: every manifest, lockfile and registry
 * configuration parsed into `Dependency` records (with the line that declares
 * each), and the base → head difference between them. The deps/ checks and
 * the OSV / typosquat / license checks all start from here.
 *
 *   parseDependencies(fileVersion)  → ParsedManifest | undefined (memoised per version)
 *   diffDependencies(fileChange)    → DependencyDiff[] (memoised per change)
 */

export type {
  Dependency,
  Ecosystem,
  LifecycleScript,
  ManifestKind,
  ParsedManifest,
  RegistrySetting,
  RegistrySettingKind,
  Replacement,
} from "../../formats/lockfiles/types.js";
export { compareVersions } from "../../formats/lockfiles/versions.js";

/**
 * One dependency that differs between base and head.
 * - `added`: only at head (`after` set). In `scan` mode every dependency is added.
 * - `removed`: only at base (`before` set).
 * - `upgraded` / `downgraded`: same identity, higher / lower version (or range floor).
 * - `changed`: same version, other source, integrity or spec (`before` and `after` set).
 */
export interface DependencyDiff {
  kind: "added" | "removed" | "upgraded" | "downgraded" | "changed";
  before?: Dependency;
  after?: Dependency;
}

type Parser = (file: FileVersion, fileName: string) => ParsedManifest;
type TextParser = (text: string, lines: readonly string[], fileName: string) => ParsedManifest;

/**
 * Longest line a line-based parser looks at. Real dependency lines are short;
 * capping them bounds what any pattern can cost on a hostile file.
 */
const MAX_LINE_CHARS = 8192;

function boundedLines(lines: readonly string[]): readonly string[] {
  for (const l of lines) {
    if (l.length > MAX_LINE_CHARS)
      return lines.map((x) => (x.length > MAX_LINE_CHARS ? x.slice(0, MAX_LINE_CHARS) : x));
  }
  return lines;
}

/** Most parsers read lines; the large JSON lockfiles avoid splitting them unless they must. */
const withLines =
  (parse: TextParser): Parser =>
  (file, name) =>
    parse(file.text, boundedLines(file.lines), name);

/** File name (lower-cased) → parser. Names not listed here have no dependency model. */
const PARSERS: Record<string, Parser> = {
  "package.json": withLines(parsePackageJson),
  "package-lock.json": (file, name) => parsePackageLock(file.text, () => file.lines, name),
  "npm-shrinkwrap.json": (file, name) => parsePackageLock(file.text, () => file.lines, name),
  "yarn.lock": withLines(parseYarnLock),
  "pnpm-lock.yaml": withLines(parsePnpmLock),
  ".npmrc": withLines(parseNpmrc),
  ".yarnrc": withLines(parseYarnrcClassic),
  ".yarnrc.yml": withLines(parseYarnrcYml),
  pipfile: withLines(parsePipfile),
  "pipfile.lock": withLines(parsePipfileLock),
  "poetry.lock": withLines(parsePoetryLock),
  "pyproject.toml": withLines(parsePyproject),
  "uv.lock": withLines(parseUvLock),
  "pip.conf": withLines(parsePipConf),
  "pip.ini": withLines(parsePipConf),
  "go.mod": withLines(parseGoMod),
  "go.sum": withLines(parseGoSum),
  "pom.xml": withLines(parsePom),
  "build.gradle": withLines(parseGradle),
  "build.gradle.kts": withLines(parseGradle),
  "settings.gradle": withLines(parseGradle),
  "settings.gradle.kts": withLines(parseGradle),
  "gradle.lockfile": withLines(parseGradleLockfile),
  "cargo.toml": withLines(parseCargoToml),
  "cargo.lock": withLines(parseCargoLock),
  gemfile: withLines(parseGemfile),
  "gems.rb": withLines(parseGemfile),
  "gemfile.lock": withLines(parseGemfileLock),
  "gems.locked": withLines(parseGemfileLock),
  "composer.json": withLines(parseComposerJson),
  "composer.lock": withLines(parseComposerLock),
  "packages.lock.json": withLines(parsePackagesLock),
  "directory.packages.props": withLines(parseMsbuildProject),
  "nuget.config": withLines(parseNugetConfig),
};

/** Parsers chosen by a pattern when the exact name varies (requirements-dev.txt, App.csproj). */
const PATTERN_PARSERS: ReadonlyArray<[RegExp, Parser]> = [
  [/(^|\/)\.cargo\/config(\.toml)?$/i, withLines(parseCargoConfig)],
  [/\.(cs|fs|vb)proj$/i, withLines(parseMsbuildProject)],
  [/(^|\/)(requirements[^/]*|constraints[^/]*|requirements\/[^/]+)\.txt$/i, withLines(parseRequirements)],
];

function parserFor(path: string): Parser | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const exact = PARSERS[base];
  if (exact) return exact;
  for (const [re, parser] of PATTERN_PARSERS) if (re.test(path)) return parser;
  return undefined;
}

/** True when Tollgate has a dependency parser for this path. */
export function isDependencyFile(path: string): boolean {
  return parserFor(path) !== undefined;
}

type Memo = { ok: ParsedManifest | undefined } | { error: ParseError };

/**
 * Parses one version of a dependency file, once: every check that asks gets
 * the same result. Throws `ParseError` (with the line) when the file cannot be
 * read; returns undefined for paths that are not dependency files.
 */
export function parseDependencies(file: FileVersion): ParsedManifest | undefined {
  const memo = file.memo<Memo>("deps", () => {
    const parser = parserFor(file.path);
    if (!parser) return { ok: undefined };
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    try {
      return { ok: withoutCredentials(parser(file, name)) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      // A parser bug must not look like a clean file: report it as unparseable at line 1.
      return { error: new ParseError((e as Error).message, 1) };
    }
  });
  if ("error" in memo) throw memo.error;
  return memo.ok;
}

/**
 * Tokens in dependency URLs (`https://TOKEN@host/…`, `git+https://user:pass@…`)
 * are removed once, here, so no finding, summary row or anchor can carry one.
 */
function withoutCredentials(parsed: ParsedManifest | undefined): ParsedManifest | undefined {
  if (!parsed) return parsed;
  for (const d of parsed.dependencies) {
    if (d.source?.includes("@") && d.source.includes("://")) d.source = stripCredentials(d.source);
    if (d.range?.includes("@") && d.range.includes("://")) d.range = stripCredentials(d.range);
  }
  return parsed;
}

export interface DependencyView {
  head?: ParsedManifest;
  base?: ParsedManifest;
  /** The head version exists but cannot be parsed. */
  headError?: ParseError;
  /** The base version exists but cannot be parsed: nothing can be called new. */
  baseError?: ParseError;
  diffs: DependencyDiff[];
}

const views = new WeakMap<FileChange, DependencyView>();

/** Both parsed versions and their diff; never throws (parse problems are in the view). */
export function dependencyView(change: FileChange): DependencyView {
  const cached = views.get(change);
  if (cached) return cached;
  const view: DependencyView = { diffs: [] };
  if (change.head) {
    try {
      view.head = parseDependencies(change.head);
    } catch (e) {
      view.headError = e as ParseError;
    }
  }
  if (change.base) {
    try {
      view.base = parseDependencies(change.base);
    } catch (e) {
      view.baseError = e as ParseError;
    }
  }
  if (!view.headError && !view.baseError) {
    view.diffs = diffManifests(view.base?.dependencies ?? [], view.head?.dependencies ?? []);
  }
  views.set(change, view);
  return view;
}

/**
 * What the change does to the dependencies declared in one file: base (absent
 * = nothing) against head (absent = nothing). Returns [] when either version
 * cannot be parsed (the deps/ checks report that as `meta/parse-error`).
 */
export function diffDependencies(change: FileChange): DependencyDiff[] {
  return dependencyView(change).diffs;
}

/** The version a dependency is compared by: its exact version, else the floor of its range. */
export function effectiveVersion(dep: Dependency): string | undefined {
  if (dep.version) return dep.version;
  if (!dep.range || dep.source) return undefined;
  if (dep.ecosystem === "npm") {
    try {
      return semver.minVersion(dep.range)?.version;
    } catch {
      return undefined;
    }
  }
  return /\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z]+)*/.exec(dep.range)?.[0];
}

function sameOrigin(a: Dependency, b: Dependency): boolean {
  return (
    // An npm alias can swap the installed package under an unchanged key and range.
    a.name === b.name &&
    (a.source ?? "") === (b.source ?? "") &&
    (a.integrity ?? "") === (b.integrity ?? "") &&
    a.range === b.range
  );
}

/** Dependencies by identity (`key`; one file has one ecosystem); an array only where a key repeats. */
function byKey(deps: readonly Dependency[]): Map<string, Dependency | Dependency[]> {
  const map = new Map<string, Dependency | Dependency[]>();
  for (const d of deps) {
    const prev = map.get(d.key);
    if (prev === undefined) map.set(d.key, d);
    else if (Array.isArray(prev)) prev.push(d);
    else map.set(d.key, [prev, d]);
  }
  return map;
}

export function diffManifests(before: readonly Dependency[], after: readonly Dependency[]): DependencyDiff[] {
  const left = byKey(before);
  const right = byKey(after);
  const out: DependencyDiff[] = [];
  for (const [key, b] of left) {
    const a = right.get(key);
    if (a === undefined) {
      for (const d of Array.isArray(b) ? b : [b]) out.push({ kind: "removed", before: d });
    } else if (!Array.isArray(a) && !Array.isArray(b)) {
      const diff = compareOne(b, a);
      if (diff) out.push(diff);
    } else {
      diffGroup(Array.isArray(b) ? b : [b], Array.isArray(a) ? a : [a], out);
    }
  }
  for (const [key, a] of right) {
    if (left.has(key)) continue;
    for (const d of Array.isArray(a) ? a : [a]) out.push({ kind: "added", after: d });
  }
  out.sort((x, y) => (x.after?.line ?? x.before!.line) - (y.after?.line ?? y.before!.line));
  return out;
}

/**
 * Several versions of one name (yarn.lock, Cargo.lock, go.sum): equal versions
 * pair first, then versions of the same major line, then the rest in version
 * order; what is left over was added or removed.
 */
function diffGroup(before: Dependency[], after: Dependency[], out: DependencyDiff[]) {
  const left = [...before];
  const right: Dependency[] = [];
  for (const a of after) {
    const i = left.findIndex((b) => versionKey(b) === versionKey(a));
    if (i >= 0) {
      const diff = compareOne(left[i]!, a);
      if (diff) out.push(diff);
      left.splice(i, 1);
    } else right.push(a);
  }
  // A lockfile keeps one version per major line (lodash 3 for one dependant, 4 for another):
  // a version moves within its major line first, then whatever is left pairs in order.
  const major = (d: Dependency) => /\d+/.exec(effectiveVersion(d) ?? "")?.[0];
  for (let i = 0; i < left.length; ) {
    const j = right.findIndex((a) => major(a) !== undefined && major(a) === major(left[i]!));
    if (j < 0) {
      i++;
      continue;
    }
    const diff = compareOne(left[i]!, right[j]!);
    if (diff) out.push(diff);
    left.splice(i, 1);
    right.splice(j, 1);
  }
  const order = (x: Dependency, y: Dependency) =>
    compareVersions(x.ecosystem, effectiveVersion(x), effectiveVersion(y)) ?? 0;
  left.sort(order);
  right.sort(order);
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const diff = compareOne(left[i]!, right[i]!);
    if (diff) out.push(diff);
  }
  for (const a of right.slice(n)) out.push({ kind: "added", after: a });
  for (const b of left.slice(n)) out.push({ kind: "removed", before: b });
}

function versionKey(d: Dependency): string {
  return d.version ?? d.range ?? "";
}

function compareOne(before: Dependency, after: Dependency): DependencyDiff | undefined {
  if (versionKey(before) === versionKey(after)) {
    return sameOrigin(before, after) ? undefined : { kind: "changed", before, after };
  }
  // The version moved through a property both sides use (`${jackson.version}`): the change, and so
  // the row and its findings, is on the property's line, not the unchanged `<dependency>`.
  const moved =
    after.versionLine !== undefined && before.versionLine !== undefined
      ? { ...after, line: after.versionLine }
      : after;
  const order = compareVersions(after.ecosystem, effectiveVersion(before), effectiveVersion(after));
  if (order === undefined || order === 0) return { kind: "changed", before, after: moved };
  return { kind: order < 0 ? "upgraded" : "downgraded", before, after: moved };
}
