import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";
import { allElements, child, parseXml, type XmlElement } from "./xml.js";

/** Maven pom.xml: dependencies (with `${property}` versions resolved), dependencyManagement, repositories. */

export function parsePom(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseXml(text);
  const out = emptyManifest("manifest", "pom.xml", "Maven");
  const project = doc.children.find((c) => c.name === "project");
  if (!project) return out;
  const properties = new Map<string, string>();
  const propertyLines = new Map<string, number>();
  const props = child(project, "properties");
  for (const p of props?.children ?? []) {
    properties.set(p.name, p.text);
    propertyLines.set(p.name, p.line);
  }
  const version = child(project, "version")?.text;
  if (version) properties.set("project.version", version);
  const resolve = (s: string | undefined) =>
    s?.replace(/\$\{([^}]+)\}/g, (m, k: string) => properties.get(k) ?? m);

  const managed = new Map<string, string>();
  const seen = new Set<string>();
  const depOf = (el: XmlElement, isManaged: boolean): Dependency | undefined => {
    const group = resolve(child(el, "groupId")?.text);
    const artifact = resolve(child(el, "artifactId")?.text);
    if (!group || !artifact) return undefined;
    const name = `${group}:${artifact}`;
    const written = child(el, "version")?.text;
    const v = resolve(written) ?? managed.get(name);
    // `<version>${jackson.version}</version>`: the version lives on the property's line.
    const property = /^\s*\$\{([^}]+)\}\s*$/.exec(written ?? "")?.[1];
    const scope = child(el, "scope")?.text ?? "compile";
    const systemPath = resolve(child(el, "systemPath")?.text);
    const exact =
      v && /^[^[(,]*$/.test(v) && !/^(LATEST|RELEASE)$/i.test(v) && !v.includes("${") ? v : undefined;
    return {
      ecosystem: "Maven",
      name,
      version: exact,
      range: v,
      direct: !isManaged,
      dev: scope === "test",
      source: scope === "system" && systemPath ? `file:${systemPath}` : undefined,
      line: el.line,
      versionLine: property !== undefined ? propertyLines.get(property) : undefined,
      key: isManaged ? `managed:${name}` : name,
    };
  };
  const management = child(project, "dependencyManagement");
  for (const el of child(management ?? project, "dependencies")?.children ?? []) {
    if (!management || el.name !== "dependency") continue;
    const dep = depOf(el, true);
    if (dep?.range) managed.set(dep.name, dep.range);
    if (dep && !seen.has(dep.key)) {
      seen.add(dep.key);
      out.dependencies.push(dep);
    }
  }
  for (const el of child(project, "dependencies")?.children ?? []) {
    if (el.name !== "dependency") continue;
    const dep = depOf(el, false);
    if (dep && !seen.has(dep.key)) {
      seen.add(dep.key);
      out.dependencies.push(dep);
    }
  }
  for (const el of allElements(project)) {
    if (
      (el.name === "repository" || el.name === "pluginRepository") &&
      el.parent?.name !== "distributionManagement"
    ) {
      const url = child(el, "url");
      if (url?.text) {
        out.registries.push({
          kind: "repository",
          value: stripCredentials(resolve(url.text)!),
          scope: child(el, "id")?.text,
          line: url.line,
        });
      }
    }
  }
  return out;
}
