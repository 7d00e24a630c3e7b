import { ParseError } from "../errors.js";
import { asString, isObject, parseJsonWithPositions } from "./json-positions.js";
import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { emptyManifest, type ParsedManifest } from "./types.js";
import { allElements, parseXml } from "./xml.js";

/** .NET: packages.lock.json, PackageReference in *.csproj / *.fsproj / Directory.Packages.props, nuget.config sources. */

export function parsePackagesLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const json = parseJsonWithPositions(text);
  const root = json.value;
  if (!isObject(root)) throw new ParseError("packages.lock.json is not a JSON object", 1);
  const out = emptyManifest("lockfile", "packages.lock.json", "NuGet");
  const frameworks = root.dependencies;
  if (!isObject(frameworks)) return out;
  for (const fw of Object.keys(frameworks)) {
    const deps = frameworks[fw];
    if (!isObject(deps)) continue;
    for (const name of Object.keys(deps)) {
      const e = deps[name];
      if (!isObject(e)) continue;
      const type = asString(e.type) ?? "";
      if (type === "Project") continue; // another project of the same solution
      out.dependencies.push({
        ecosystem: "NuGet",
        name,
        version: asString(e.resolved),
        range: asString(e.requested),
        direct: type === "Direct",
        dev: false,
        integrity: asString(e.contentHash) ? `sha512-${asString(e.contentHash)}` : undefined,
        line: json.keyLine(deps, name) ?? 1,
        key: `${fw}:${name.toLowerCase()}`,
      });
    }
  }
  return out;
}

export function parseMsbuildProject(
  text: string,
  lines: readonly string[],
  fileName: string,
): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("manifest", fileName, "NuGet");
  const seen = new Set<string>();
  for (const el of allElements(parseXml(text))) {
    if (
      el.name !== "PackageReference" &&
      el.name !== "PackageVersion" &&
      el.name !== "GlobalPackageReference"
    )
      continue;
    const name = el.attrs.Include ?? el.attrs.Update;
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const range =
      el.attrs.Version ??
      el.attrs.VersionOverride ??
      el.children.find((c) => c.name === "Version")?.text ??
      "";
    const isDev =
      (el.attrs.PrivateAssets ?? el.children.find((c) => c.name === "PrivateAssets")?.text ?? "") === "all";
    out.dependencies.push({
      ecosystem: "NuGet",
      name,
      version: /^\d[\w.-]*$/.test(range) ? range : /^\[([^,\]]+)\]$/.exec(range)?.[1],
      range,
      direct: true,
      dev: isDev,
      line: el.line,
      key: name.toLowerCase(),
    });
  }
  return out;
}

/** nuget.config `<packageSources>`: the first source is the registry, every further one an extra feed. */
export function parseNugetConfig(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("registry-config", "nuget.config", "NuGet");
  let count = 0;
  for (const el of allElements(parseXml(text))) {
    if (el.parent?.name !== "packageSources") continue;
    if (el.name === "clear") {
      count = 0;
      continue;
    }
    if (el.name !== "add" || !el.attrs.value) continue;
    if (/^(\.|\/|[A-Za-z]:\\)/.test(el.attrs.value)) continue; // a local folder feed
    count++;
    out.registries.push({
      kind: count === 1 ? "registry" : "extra-registry",
      value: stripCredentials(el.attrs.value),
      scope: el.attrs.key,
      line: el.line,
    });
    if (/^true$/i.test(el.attrs.allowInsecureConnections ?? "")) {
      out.registries.push({
        kind: "insecure-option",
        value: `allowInsecureConnections="true" (${el.attrs.key ?? el.attrs.value})`,
        line: el.line,
      });
    }
  }
  return out;
}
