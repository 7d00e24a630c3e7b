import { hostOf, stripCredentials } from "../../formats/lockfiles/text.js";
import type { Dependency } from "./model.js";

/**
 * Where a dependency comes from, judged from its source string alone. The
 * public registries are always trusted; `deps.allowed-hosts` adds private ones
 * (`npm.corp.example`, or `*.corp.example` for a whole domain).
 */

export const PUBLIC_REGISTRY_HOSTS: readonly string[] = [
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "pypi.org",
  "files.pythonhosted.org",
  "pypi.python.org",
  "proxy.golang.org",
  "sum.golang.org",
  "crates.io",
  "static.crates.io",
  "index.crates.io",
  "rubygems.org",
  "index.rubygems.org",
  "repo.maven.apache.org",
  "repo1.maven.org",
  "plugins.gradle.org",
  "packagist.org",
  "repo.packagist.org",
  "api.nuget.org",
];

const GIT_ARCHIVE_HOSTS = ["codeload.github.com", "github.com", "gitlab.com", "bitbucket.org"];

export type SourceKind = "git" | "http" | "url" | "file" | "link";

export interface SourceVerdict {
  kind: SourceKind;
  /** The source without credentials, for messages. */
  shown: string;
  host?: string;
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase();
  for (const entry of [...PUBLIC_REGISTRY_HOSTS, ...allowed]) {
    const a = entry
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/\/.*$/, "");
    if (a.startsWith("*.") ? h.endsWith(a.slice(1)) || h === a.slice(2) : h === a) return true;
  }
  return false;
}

/** Undefined when the dependency comes from an allowed registry over https (or names no source). */
export function classifySource(dep: Dependency, allowedHosts: readonly string[]): SourceVerdict | undefined {
  const raw = dep.source?.trim();
  if (!raw) return undefined;
  const shown = stripCredentials(raw).slice(0, 200);
  // yarn berry `patch:` entries apply a local patch to a registry package (often a built-in one).
  if (/^patch:/i.test(raw)) return undefined;
  if (/^(link|portal):/i.test(raw)) {
    const target = raw.replace(/^(link|portal):/i, "");
    // A workspace package inside the repository is the project itself.
    if (!/^(\.\.|\/|~)/.test(target) && !target.includes("/../")) return undefined;
    return { kind: "link", shown };
  }
  if (/^file:/i.test(raw) || /^(\.{1,2}\/|\/|~\/)/.test(raw)) return { kind: "file", shown };
  if (
    /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|ssh:)/i.test(raw) ||
    /^[\w.-]+@[\w.-]+:/.test(raw) ||
    /\.git(#.*)?$/i.test(raw)
  ) {
    return { kind: "git", shown, host: hostOf(raw.replace(/^git\+/i, "")) };
  }
  const host = hostOf(raw);
  if (/^http:\/\//i.test(raw)) return { kind: "http", shown, host };
  // A tarball of a git ref (what npm, yarn and pnpm record for GitHub dependencies) is a git source.
  if (host && GIT_ARCHIVE_HOSTS.includes(host)) return { kind: "git", shown, host };
  if (/^https:\/\//i.test(raw)) {
    if (host && hostAllowed(host, allowedHosts)) return undefined;
    return { kind: "url", shown, host };
  }
  return undefined;
}
