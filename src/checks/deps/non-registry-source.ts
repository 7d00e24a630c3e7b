import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileChange } from "../types.js";
import { clip, depLabel } from "./describe.js";
import { type Dependency, dependencyView } from "./model.js";
import { newRegistrySettings } from "./registry-settings.js";
import { classifySource, composerDistOrigin, insideRepository, type SourceVerdict } from "./sources.js";

/**
 * A dependency that does not come from a registry escapes everything a
 * registry gives: immutable versions, advisories, malware takedowns, and
 * lockfile integrity. Git refs move, tarball hosts change content, plain http
 * can be rewritten in transit, and local paths point outside the review.
 */
export const nonRegistrySource = defineCheck({
  kind: "change",
  name: "deps/non-registry-source",
  families: ["deps"],
  rules: ["deps/non-registry-source"],
  run(change, ctx) {
    const allowed = ctx.config.deps["allowed-hosts"];
    const out: RawFinding[] = [];
    for (const diff of dependencyView(change).diffs) {
      const dep = diff.after;
      if (!dep) continue;
      const verdict = classifySource(dep, allowed, change.path) ?? movedArchive(diff.before, dep);
      if (!verdict) continue;
      // Unchanged source: not introduced by this change.
      if (diff.before && diff.before.source === dep.source) continue;
      out.push({
        ruleId: "deps/non-registry-source",
        line: dep.line,
        message: dep.patches ? patchMessage(dep, verdict) : message(depLabel(dep), verdict),
        anchor: `${dep.key}:${verdict.kind}:${verdict.shown}`,
      });
    }
    if (dependencyView(change).head?.format === "composer.json") out.push(...composerRepositories(change));
    return out;
  },
});

/** Composer repository types that serve packages straight from version control. */
const VCS_REPOSITORIES = new Set([
  "vcs",
  "git",
  "github",
  "gitlab",
  "bitbucket",
  "git-bitbucket",
  "hg",
  "fossil",
  "svn",
  "perforce",
]);

/**
 * composer.json `repositories`: a `vcs` (git, github, …) repository installs
 * the packages it provides from version control, ahead of Packagist for
 * those names; a `path` or `artifact` repository outside the repository
 * installs whatever is there.
 */
function composerRepositories(change: FileChange): RawFinding[] {
  const out: RawFinding[] = [];
  for (const s of newRegistrySettings(change)) {
    if (s.kind !== "repository") continue;
    const type = (s.scope ?? "").toLowerCase();
    const url = clip(s.value, 160);
    let message: string | undefined;
    if (VCS_REPOSITORIES.has(type)) {
      message = `Adds a \`${type}\` repository (\`${url}\`): the packages it provides are installed from version control instead of Packagist, ahead of Packagist for the same names, and a branch or tag can be moved to other code. Publish the package to a registry (Private Packagist, a Composer repository) or pin the commit.`;
    } else if ((type === "path" || type === "artifact") && !insideRepository(s.value, change.path)) {
      message = `Adds a local \`${type}\` repository outside the repository (\`${url}\`): the packages there are installed as they are at install time, and their code is not part of this review.`;
    }
    if (!message) continue;
    out.push({
      ruleId: "deps/non-registry-source",
      line: s.line,
      message,
      anchor: `repository:${type}:${clip(s.value, 300)}`,
    });
  }
  return out;
}

/**
 * A Composer package whose dist archive now comes from another repository
 * than at base (`github.com/seldaek/monolog` → `github.com/someone/monolog`):
 * the normal Packagist dist shape, but not the code that was installed before.
 */
function movedArchive(before: Dependency | undefined, after: Dependency): SourceVerdict | undefined {
  if (after.ecosystem !== "Packagist" || !before?.source || !after.source) return undefined;
  const from = composerDistOrigin(before.source);
  const to = composerDistOrigin(after.source);
  if (!from || !to || from === to) return undefined;
  return { kind: "moved", shown: to, host: from };
}

/** Cargo `[patch.<registry>]`: the override applies to every crate of the build that uses the name. */
function patchMessage(dep: Dependency, v: SourceVerdict): string {
  const name = `\`${dep.name}\``;
  const table = `\`[patch.${dep.patches}]\``;
  const from =
    v.kind === "git"
      ? `git (\`${v.shown}\`)`
      : v.kind === "file" || v.kind === "link"
        ? `a local path outside the repository (\`${v.shown}\`)`
        : `\`${v.host ?? v.shown}\``;
  const [risk, fix] =
    v.kind === "git"
      ? [
          "a branch or tag can be moved to other code, with no advisory or yank to cover it",
          "Pin `rev` to a full commit and remove the patch once the fix is released.",
        ]
      : [
          "it is not the release that was published and audited",
          "Remove the patch once the fix is released, or vendor the crate inside the repository.",
        ];
  return `${table} replaces the ${dep.patches} crate ${name} with one from ${from}: every crate in the build that depends on ${name} now compiles that code, and ${risk}. ${fix}`;
}

function message(label: string, v: SourceVerdict): string {
  switch (v.kind) {
    case "git":
      return `${label} is installed from git (\`${v.shown}\`), not a registry: a branch or tag can be moved to other code, and no advisory or takedown covers it.`;
    case "http":
      return `${label} is downloaded over plain http (\`${v.shown}\`): anyone on the network path can replace the package.`;
    case "url":
      return `${label} is downloaded from \`${v.host ?? v.shown}\`, a host outside the allowed registries (add it to \`deps.allowed-hosts\` if it is your own registry).`;
    case "file":
      return `${label} comes from a local path outside the repository (\`${v.shown}\`), not a registry: whatever is at that path at install time is used, and its code is not part of this review.`;
    case "link":
      return `${label} is linked from a path outside the repository (\`${v.shown}\`): its code is not part of this review.`;
    case "moved":
      return `${label} is now downloaded from \`${v.shown}\` instead of \`${v.host}\`: another repository's archive under the same package name. Check that the package was not swapped for a fork.`;
  }
}
