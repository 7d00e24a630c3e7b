import semver from "semver";
import { compareVersions } from "../../formats/lockfiles/versions.js";
import type { RawFinding, Severity } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { Advisory, AdvisoryQuery, FileChange } from "../types.js";
import { clip } from "./describe.js";
import { type Dependency, dependencyView } from "./model.js";

/**
 * deps/known-vulnerability and deps/malicious-package: every version a change
 * adds or moves to, across all the dependency files of the review, looked up
 * in ONE call to the advisory source (OSV in the app and CLI). Reported on
 * the line that declares the dependency, which is also the line of its row in
 * the summary's dependency table, so the row gets the flag.
 *
 * Lockfile entries carry exact versions; a manifest entry is queried only
 * when it pins one exactly and no lockfile in the review resolves the same
 * version (the lockfile line is the more precise place to point at).
 */

/** Advisories named in one message; the rest are counted. */
const MAX_LISTED = 5;

interface Target {
  path: string;
  dep: Dependency;
  query: AdvisoryQuery;
  fromLockfile: boolean;
}

export const vulnerabilities = defineCheck({
  kind: "review",
  name: "deps/vulnerabilities",
  families: ["deps"],
  rules: ["deps/known-vulnerability", "deps/malicious-package"],
  async run(changes, ctx) {
    const source = ctx.services.advisories;
    if (ctx.config.deps.vulnerabilities === "off" || !source) return [];

    const targets = collectTargets(changes);
    if (targets.length === 0) return [];

    let answers: Advisory[][];
    try {
      answers = await source.lookup(targets.map((t) => t.query));
    } catch (e) {
      ctx.note({
        level: "warning",
        message: `vulnerability data unavailable: ${clip((e as Error).message ?? String(e), 300)}; dependencies were not checked for known vulnerabilities`,
        blocking: ctx.config.deps["on-unavailable"] === "fail",
      });
      return [];
    }

    const out: RawFinding[] = [];
    targets.forEach((target, i) => {
      const advisories = collapseAliases(answers[i] ?? []);
      if (advisories.length === 0) return;
      const malware = advisories.filter((a) => a.malicious);
      out.push(
        malware.length > 0 ? maliciousFinding(target, malware) : vulnerableFinding(target, advisories),
      );
    });
    return out;
  },
});

/** The dependencies worth a look-up: added or moved to a new exact version, once per file and version. */
export function collectTargets(changes: readonly FileChange[]): Target[] {
  const lockTargets: Target[] = [];
  const manifestTargets: Target[] = [];
  for (const change of changes) {
    const view = dependencyView(change);
    const fromLockfile = view.head?.kind === "lockfile";
    if (view.head?.kind === "registry-config") continue;
    const seen = new Set<string>();
    for (const diff of view.diffs) {
      const dep = diff.after;
      if (!dep || diff.kind === "removed") continue;
      const version = exactVersion(dep);
      if (!version) continue;
      // Same version as before (only the source or integrity changed): no vulnerability is new here.
      if (diff.before?.name === dep.name && exactVersion(diff.before) === version) continue;
      const query = {
        ecosystem: dep.ecosystem,
        name: dep.name,
        version: queryVersion(dep.ecosystem, version),
      };
      const key = queryKey(query);
      if (seen.has(key)) continue;
      seen.add(key);
      (fromLockfile ? lockTargets : manifestTargets).push({ path: change.path, dep, query, fromLockfile });
    }
  }
  const resolved = new Set(lockTargets.map((t) => queryKey(t.query)));
  return [...lockTargets, ...manifestTargets.filter((t) => !resolved.has(queryKey(t.query)))];
}

function queryKey(q: AdvisoryQuery): string {
  return `${q.ecosystem}\u0000${q.name}\u0000${q.version}`;
}

/** Sources that are not a registry's package of that name, whatever version they claim. */
const NOT_FROM_A_REGISTRY =
  /^(git[+:]|github:|gitlab:|bitbucket:|gist:|file:|link:|portal:|workspace:|\.{0,2}\/|\.{1,2}$|~\/)/i;

/** An exact, registry version: a lockfile version, a `==` pin, or an npm manifest spec that is one version. */
function exactVersion(dep: Dependency): string | undefined {
  if (dep.source && NOT_FROM_A_REGISTRY.test(dep.source.trim())) return undefined;
  if (dep.version) return dep.version;
  if (dep.ecosystem === "npm" && dep.range)
    return semver.valid(dep.range.replace(/^=\s*/, "").trim()) ?? undefined;
  return undefined;
}

/** OSV's Go records list versions without the `v` prefix go.mod writes. */
function queryVersion(ecosystem: string, version: string): string {
  return ecosystem === "Go" ? version.replace(/^v/, "") : version;
}

/** OSV often returns one problem under several ids (a MAL- record and its GHSA twin): keep one. */
function collapseAliases(advisories: Advisory[]): Advisory[] {
  const out: Advisory[] = [];
  const known = new Set<string>();
  // Malware records first so the MAL- id is the one kept.
  const rank = (a: Advisory) => (a.id.startsWith("MAL-") ? 2 : a.malicious ? 1 : 0);
  for (const a of [...advisories].sort((x, y) => rank(y) - rank(x))) {
    if (known.has(a.id) || a.aliases.some((alias) => known.has(alias) && out.some((o) => o.id === alias)))
      continue;
    out.push(a);
    known.add(a.id);
    for (const alias of a.aliases) known.add(alias);
  }
  return out;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

function label(target: Target): string {
  return `\`${clip(target.dep.name, 100)}@${clip(target.query.version, 50)}\``;
}

function describeAdvisory(a: Advisory): string {
  const cve = a.aliases.find((x) => x.startsWith("CVE-") && x !== a.id);
  const about = [cve, a.severity].filter(Boolean).join(", ");
  const summary = a.summary ? ` ${clip(a.summary, 160)}` : "";
  return `${a.id}${about ? ` (${about})` : ""}${summary}, ${a.fixed ? `fixed in ${clip(a.fixed, 40)}` : "no fixed version yet"}`;
}

/** The version that fixes every listed advisory (the highest fix, in the ecosystem's order), when each has one. */
function upgradeTarget(ecosystem: string, advisories: Advisory[]): string | undefined {
  const fixes = advisories.map((a) => a.fixed);
  if (fixes.some((f) => !f)) return undefined;
  let best = fixes[0]!;
  for (const f of fixes.slice(1)) {
    const order = compareVersions(ecosystem, best, f!);
    if (order === undefined) return undefined;
    if (order < 0) best = f!;
  }
  return best;
}

function vulnerableFinding(target: Target, advisories: Advisory[]): RawFinding {
  const ranked = [...advisories].sort(
    (a, b) =>
      (b.severity ? RANK[b.severity] : 0) - (a.severity ? RANK[a.severity] : 0) || a.id.localeCompare(b.id),
  );
  const severities = ranked.map((a) => a.severity).filter((s): s is Severity => s !== undefined);
  const listed = ranked.slice(0, MAX_LISTED).map(describeAdvisory);
  const more = ranked.length > MAX_LISTED ? `; and ${ranked.length - MAX_LISTED} more` : "";
  const count = ranked.length === 1 ? "a known vulnerability" : `${ranked.length} known vulnerabilities`;
  const upgrade = upgradeTarget(target.query.ecosystem, ranked);
  const name = clip(target.dep.name, 100);
  return {
    ruleId: "deps/known-vulnerability",
    path: target.path,
    line: target.dep.line,
    message: `${label(target)} has ${count}: ${listed.join("; ")}${more}.`,
    anchor: `known-vulnerability:${target.query.ecosystem}:${name}@${clip(target.query.version, 50)}`,
    // The advisory's own rating; the rule's default when no advisory has one.
    severity: severities.length ? severities.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : undefined,
    fix: upgrade
      ? `Upgrade \`${name}\` to ${clip(upgrade, 40)} or later${target.fromLockfile ? " (update the manifest range and regenerate the lockfile)" : ""}.`
      : `No fixed version covers every advisory yet: replace \`${name}\`, or mitigate and suppress with a reason.`,
  };
}

function maliciousFinding(target: Target, malware: Advisory[]): RawFinding {
  const ids = malware.map((a) => a.id);
  const summary = malware.find((a) => a.summary)?.summary;
  return {
    ruleId: "deps/malicious-package",
    path: target.path,
    line: target.dep.line,
    message: `${label(target)} is known malware (${ids.slice(0, MAX_LISTED).join(", ")})${summary ? `: ${clip(summary, 160)}` : ""}. Do not install it.`,
    anchor: `malicious-package:${target.query.ecosystem}:${clip(target.dep.name, 100)}@${clip(target.query.version, 50)}`,
    severity: "critical",
  };
}
