import { ParseError } from "../errors.js";
import { asString, isObject, type JsonObject, parseJsonWithPositions } from "./json-positions.js";
import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { emptyManifest, type ParsedManifest } from "./types.js";

/** PHP Composer: composer.json (require, repositories, config) and composer.lock. */

const PLATFORM = /^(php|php-64bit|hhvm|composer(-plugin|-runtime)?-api|ext-.+|lib-.+)$/i;

export function parseComposerJson(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const json = parseJsonWithPositions(text);
  const root = json.value;
  if (!isObject(root)) throw new ParseError("composer.json is not a JSON object", 1);
  const out = emptyManifest("manifest", "composer.json", "Packagist");
  for (const [section, dev] of [
    ["require", false],
    ["require-dev", true],
  ] as const) {
    const deps = root[section];
    if (!isObject(deps)) continue;
    for (const name of Object.keys(deps)) {
      const range = asString(deps[name]);
      if (range === undefined || PLATFORM.test(name)) continue;
      out.dependencies.push({
        ecosystem: "Packagist",
        name: name.toLowerCase(),
        version: /^v?\d+(\.\d+)*$/.test(range) ? range.replace(/^v/, "") : undefined,
        range,
        direct: true,
        dev,
        line: json.keyLine(deps, name) ?? 1,
        key: name.toLowerCase(),
      });
    }
  }
  const repos = root.repositories;
  const repoList: JsonObject[] = Array.isArray(repos)
    ? repos.filter(isObject)
    : isObject(repos)
      ? Object.values(repos).filter(isObject)
      : [];
  for (const repo of repoList) {
    const url = asString(repo.url);
    if (!url) continue;
    out.registries.push({
      kind: "repository",
      value: stripCredentials(url),
      scope: asString(repo.type),
      line: json.keyLine(repo, "url") ?? 1,
    });
  }
  const config = root.config;
  if (isObject(config)) {
    if (config["secure-http"] === false)
      out.registries.push({
        kind: "insecure-option",
        value: '"secure-http": false',
        line: json.keyLine(config, "secure-http") ?? 1,
      });
    if (config["disable-tls"] === true)
      out.registries.push({
        kind: "insecure-option",
        value: '"disable-tls": true',
        line: json.keyLine(config, "disable-tls") ?? 1,
      });
  }
  return out;
}

export function parseComposerLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const json = parseJsonWithPositions(text);
  const root = json.value;
  if (!isObject(root)) throw new ParseError("composer.lock is not a JSON object", 1);
  const out = emptyManifest("lockfile", "composer.lock", "Packagist");
  for (const [section, dev] of [
    ["packages", false],
    ["packages-dev", true],
  ] as const) {
    const list = root[section];
    if (!Array.isArray(list)) continue;
    for (const pkg of list) {
      if (!isObject(pkg)) continue;
      const name = asString(pkg.name)?.toLowerCase();
      if (!name) continue;
      const dist = isObject(pkg.dist) ? pkg.dist : undefined;
      const src = isObject(pkg.source) ? pkg.source : undefined;
      // Packages served by Packagist carry its download-notification URL; anything else came from a custom repository.
      const fromPackagist = /^https:\/\/(repo\.)?packagist\.org\//.test(
        asString(pkg["notification-url"]) ?? "",
      );
      // The dist URL is kept even for Packagist packages (usually the git host's zipball API, which the
      // checks accept as Packagist's normal dist), so a same-version swap to another repository shows.
      let source: string | undefined;
      if (asString(dist?.type) === "path") source = `file:${asString(dist?.url) ?? ""}`;
      else source = asString(dist?.url) ?? (fromPackagist ? undefined : asString(src?.url));
      const shasum = asString(dist?.shasum);
      out.dependencies.push({
        ecosystem: "Packagist",
        name,
        version: asString(pkg.version)?.replace(/^v(?=\d)/, ""),
        direct: false,
        dev,
        source: source ? stripCredentials(source) : undefined,
        integrity: shasum ? `sha1:${shasum}` : undefined,
        license: Array.isArray(pkg.license)
          ? pkg.license.filter((l) => typeof l === "string").join(" OR ") || undefined
          : undefined,
        line: json.keyLine(pkg, "name") ?? 1,
        key: name,
      });
    }
  }
  return out;
}
