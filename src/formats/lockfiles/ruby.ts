import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/** Ruby: Gemfile / gems.rb (sources, gem lines, groups) and Gemfile.lock (GEM, GIT, PATH, CHECKSUMS). */

const RUBYGEMS = /^https?:\/\/(index\.)?rubygems\.org\/?$/i;

function stringArgs(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]!);
}

function option(s: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,(])(?::${key}\\s*=>|${key}:)\\s*(?:"([^"]*)"|'([^']*)')`).exec(s);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseGemfile(_text: string, lines: readonly string[], fileName: string): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("manifest", fileName, "RubyGems");
  const blocks: Array<"dev" | "source" | "other"> = [];
  let topLevelSources = 0;
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i]!.replace(/(^|\s)#.*$/, "").trim();
    if (code === "") continue;
    const line = i + 1;
    if (/^end\b/.test(code)) {
      blocks.pop();
      continue;
    }
    const group = /^group\s+(.*?)\s+do\b/.exec(code);
    if (group) {
      blocks.push(
        /:(development|test)\b|["'](development|test)["']/.test(group[1]!) && !/:production\b/.test(group[1]!)
          ? "dev"
          : "other",
      );
      continue;
    }
    const source = /^source\s*\(?\s*["']([^"']+)["']\s*\)?\s*(do\b)?/.exec(code);
    if (source) {
      const url = stripCredentials(source[1]!);
      if (source[2]) {
        // A `source … do` block serves only the gems inside it: the safe form.
        out.registries.push({ kind: "repository", value: url, line });
        blocks.push("source");
      } else {
        topLevelSources++;
        out.registries.push({
          kind: topLevelSources === 1 ? "registry" : "extra-registry",
          value: url,
          line,
        });
      }
      continue;
    }
    if (/\bdo\s*(\|.*\|)?$/.test(code)) {
      blocks.push("other");
      continue;
    }
    const gem = /^gem\s*\(?\s*["']([^"']+)["'](.*)$/.exec(code);
    if (!gem) continue;
    const name = gem[1]!;
    const rest = gem[2]!;
    const requirements = stringArgs(rest.split(/[,\s(](?:\w+:|:\w+\s*=>)/)[0] ?? "");
    const git = option(rest, "git");
    const github = option(rest, "github");
    const path = option(rest, "path");
    const ref = option(rest, "ref") ?? option(rest, "tag") ?? option(rest, "branch");
    const inlineGroup = /(?:group|groups):\s*\[?([^\]\n]*)/.exec(rest)?.[1] ?? "";
    const range = requirements.join(", ");
    out.dependencies.push({
      ecosystem: "RubyGems",
      name,
      version: /^=?\s*\d[\w.]*$/.test(range) ? range.replace(/^=\s*/, "") : undefined,
      range,
      direct: true,
      dev:
        blocks.includes("dev") ||
        (/:(development|test)\b/.test(inlineGroup) && !/:production/.test(inlineGroup)),
      source: git
        ? `git+${stripCredentials(git)}${ref ? `#${ref}` : ""}`
        : github
          ? `github:${github}${ref ? `#${ref}` : ""}`
          : path
            ? /^(\.|\/)/.test(path)
              ? path
              : `./${path}`
            : undefined,
      line,
      key: name,
    });
  }
  return out;
}

export function parseGemfileLock(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("lockfile", "Gemfile.lock", "RubyGems");
  let section = "";
  let remote: string | undefined;
  let revision: string | undefined;
  const direct = new Set<string>();
  const checksums = new Map<string, string>();
  const sectionDeps: Dependency[] = [];
  const closeSection = () => {
    for (const d of sectionDeps) {
      if (section === "GIT" && remote)
        d.source = `git+${stripCredentials(remote)}${revision ? `#${revision}` : ""}`;
      else if (section === "PATH" && remote) d.source = /^(\.|\/)/.test(remote) ? remote : `./${remote}`;
      else if (section === "GEM" && remote && !RUBYGEMS.test(remote)) d.source = stripCredentials(remote);
    }
    sectionDeps.length = 0;
    remote = undefined;
    revision = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === "") continue;
    if (/^[A-Z]/.test(l)) {
      closeSection();
      section = l.trim();
      continue;
    }
    if (section === "DEPENDENCIES") {
      const m = /^ {2}([^\s!(]+)/.exec(l);
      if (m) direct.add(m[1]!);
      continue;
    }
    if (section === "CHECKSUMS") {
      const m = /^ {2}(\S+) \(([^)]+)\)\s*(.*)$/.exec(l);
      if (m?.[3])
        checksums.set(
          `${m[1]}@${m[2]}`,
          m[3]
            .split(",")
            .map((s) => s.trim())
            .sort()
            .join(" "),
        );
      continue;
    }
    if (section !== "GEM" && section !== "GIT" && section !== "PATH") continue;
    const r = /^ {2}remote:\s*(.*)$/.exec(l);
    if (r) {
      remote = r[1]!.trim();
      continue;
    }
    const rev = /^ {2}revision:\s*(.*)$/.exec(l);
    if (rev) {
      revision = rev[1]!.trim();
      continue;
    }
    const spec = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(l);
    if (spec) {
      const dep: Dependency = {
        ecosystem: "RubyGems",
        name: spec[1]!,
        version: spec[2]!,
        direct: false,
        dev: false,
        line: i + 1,
        key: spec[1]!,
      };
      sectionDeps.push(dep);
      out.dependencies.push(dep);
    }
  }
  closeSection();
  for (const d of out.dependencies) {
    d.direct = direct.has(d.name);
    d.integrity = checksums.get(`${d.name}@${d.version}`);
  }
  return out;
}
