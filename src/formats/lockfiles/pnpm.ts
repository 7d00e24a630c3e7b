import { ParseError } from "../../checks/types.js";
import { assertNoConflictMarkers, unquote } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/**
 * pnpm-lock.yaml v5, v6 and v9, read line by line (its layout is fixed: two
 * spaces per level) so that a large lockfile needs no YAML tree and every
 * package keeps the line of its key.
 */

const ROOT_SECTIONS = new Set(["dependencies", "devDependencies", "optionalDependencies"]);

/** `/@scope/name@1.2.3(peer@1)` (v6), `name@1.2.3` (v9), `/name/1.2.3` (v5) → name, version. */
function splitKey(rawKey: string, v5: boolean): { name: string; version?: string; reference: string } {
  let key = unquote(rawKey).replace(/^\//, "");
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

function flowField(flow: string, field: string): string | undefined {
  const m = new RegExp(`(?:^|[{,\\s])${field}:\\s*('[^']*'|"[^"]*"|[^,}\\s]+)`).exec(flow);
  return m ? unquote(m[1]!) : undefined;
}

export function parsePnpmLock(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const versionLine = lines.find((l) => l.startsWith("lockfileVersion:"));
  if (!versionLine) throw new ParseError("no lockfileVersion: not a pnpm lockfile", 1);
  const lockVersion = unquote(versionLine.slice("lockfileVersion:".length));
  const v5 = /^5/.test(lockVersion);
  const out = emptyManifest("lockfile", `pnpm-lock.yaml v${lockVersion}`, "npm");
  const direct = new Map<string, boolean>(); // name → dev
  let section = "";
  let importer = "";
  let directSection = "";
  let current: { dep: Dependency; reference: string } | undefined;
  const flush = () => {
    if (!current) return;
    const { dep, reference } = current;
    if (!dep.version && /^\d/.test(reference)) dep.version = reference;
    out.dependencies.push(dep);
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === "" || l.trimStart().startsWith("#")) continue;
    const indent = l.length - l.trimStart().length;
    if (indent === 0) {
      flush();
      section = l.replace(/:.*$/, "");
      importer = "";
      directSection = "";
      continue;
    }
    if (section === "importers") {
      if (indent === 2) importer = unquote(l.trim().replace(/:$/, ""));
      else if (indent === 4) directSection = l.trim().replace(/:$/, "");
      else if (indent === 6 && importer === "." && ROOT_SECTIONS.has(directSection)) {
        direct.set(unquote(l.trim().replace(/:.*$/, "")), directSection === "devDependencies");
      }
      continue;
    }
    if (ROOT_SECTIONS.has(section)) {
      if (indent === 2) direct.set(unquote(l.trim().replace(/:.*$/, "")), section === "devDependencies");
      continue;
    }
    if (section !== "packages") continue;
    if (indent === 2) {
      flush();
      const rawKey = l.trim().replace(/:$/, "");
      const { name, version, reference } = splitKey(rawKey, v5);
      current = {
        dep: {
          ecosystem: "npm",
          name,
          version,
          direct: false,
          dev: false,
          line: i + 1,
          key: `${name}@${reference}`,
        },
        reference,
      };
      continue;
    }
    if (indent !== 4 || !current) continue;
    const m = /^\s+([A-Za-z]+):\s*(.*)$/.exec(l);
    if (!m) continue;
    const [, field, value] = m;
    const dep = current.dep;
    if (field === "resolution") {
      dep.integrity = flowField(value!, "integrity");
      const tarball = flowField(value!, "tarball");
      const repo = flowField(value!, "repo");
      const commit = flowField(value!, "commit");
      const directory = flowField(value!, "directory");
      if (repo) dep.source = `git+${repo}${commit ? `#${commit}` : ""}`;
      else if (tarball) dep.source = tarball;
      else if (directory) dep.source = `file:${directory}`;
    } else if (field === "version") dep.version = unquote(value!);
    else if (field === "name") dep.name = unquote(value!);
    else if (field === "dev") dep.dev = value === "true";
    else if (field === "requiresBuild") dep.hasInstallScript = value === "true";
  }
  flush();
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
