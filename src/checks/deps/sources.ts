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

export type SourceKind = "git" | "http" | "url" | "file" | "link" | "moved";

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

/**
 * The repository a Composer dist archive is cut from, when the URL has the
 * shape Packagist itself records for git-hosted packages (`composer.lock`
 * `dist.url`): GitHub's zipball API and codeload, GitLab's archive API,
 * Bitbucket's `get/` archives. `github.com/seldaek/monolog`; undefined otherwise.
 */
export function composerDistOrigin(url: string): string | undefined {
  const u = url.trim();
  let m =
    /^https:\/\/api\.github\.com\/repos\/([\w.-]+)\/([\w.-]+)\/(?:zipball|tarball)(?:\/[^\s?#]*)?$/i.exec(u);
  if (m) return `github.com/${m[1]}/${m[2]}`.toLowerCase();
  m = /^https:\/\/codeload\.github\.com\/([\w.-]+)\/([\w.-]+)\/(?:legacy\.)?(?:zip|tar\.gz)\/[^\s?#]+$/i.exec(
    u,
  );
  if (m) return `github.com/${m[1]}/${m[2]}`.toLowerCase();
  m =
    /^https:\/\/gitlab\.com\/api\/v4\/projects\/([^/\s?#]+)\/repository\/archive(?:\.(?:zip|tar\.gz|tar\.bz2))?(?:\?[^\s#]*)?$/i.exec(
      u,
    );
  if (m) return `gitlab.com/${decodeURIComponent(m[1]!.replace(/%(?![0-9a-f]{2})/gi, "%25"))}`.toLowerCase();
  m = /^https:\/\/bitbucket\.org\/([\w.-]+)\/([\w.-]+)\/get\/[^\s/?#]+\.(?:zip|tar\.gz|tar\.bz2)$/i.exec(u);
  if (m) return `bitbucket.org/${m[1]}/${m[2]}`.toLowerCase();
  return undefined;
}

/**
 * True when a local path, taken relative to the directory of the file that
 * names it, stays inside the repository: `./packages/a`, `file:libs/b`,
 * `../shared` from `apps/web/package.json`. Absolute paths, `~`, paths
 * with variables (`${project.basedir}`) and any `..` that climbs above the
 * root are outside.
 */
export function insideRepository(target: string, manifestPath: string): boolean {
  const t = target.trim().replace(/^file:(?:\/\/(?=\/))?/i, "");
  if (t === "" || /^(\/|~|\\|[a-z]:[\\/])/i.test(t) || /[$%]/.test(t) || /^[a-z][a-z0-9+.-]*:/i.test(t))
    return false;
  const parts = manifestPath.split("/").slice(0, -1);
  for (const segment of t.split(/[\\/]+/)) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return false;
      parts.pop();
    } else parts.push(segment);
  }
  return true;
}

/**
 * Undefined when the dependency comes from an allowed registry over https,
 * from the repository itself (a workspace, or a local path inside it: its
 * code is part of the same review), or names no source. `manifestPath` is
 * the path of the file that declares it, for resolving relative paths.
 */
export function classifySource(
  dep: Dependency,
  allowedHosts: readonly string[],
  manifestPath = "",
): SourceVerdict | undefined {
  const raw = dep.source?.trim();
  if (!raw) return undefined;
  const shown = stripCredentials(raw).slice(0, 200);
  // Packagist serves git-hosted packages as archives from the git host: that is its normal dist.
  if (dep.ecosystem === "Packagist" && composerDistOrigin(raw)) return undefined;
  // yarn berry `patch:` entries apply a local patch to a registry package (often a built-in one).
  if (/^patch:/i.test(raw)) return undefined;
  // `workspace:*` (pnpm, yarn, bun): a package of this repository's own workspace.
  if (/^workspace:/i.test(raw)) return undefined;
  if (/^(link|portal):/i.test(raw)) {
    // A workspace package inside the repository is the project itself.
    if (insideRepository(raw.replace(/^(link|portal):/i, ""), manifestPath)) return undefined;
    return { kind: "link", shown };
  }
  if (/^file:/i.test(raw) || /^(\.{1,2}(\/|$)|\/|~\/)/.test(raw)) {
    if (insideRepository(raw, manifestPath)) return undefined;
    return { kind: "file", shown };
  }
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
