import { compareVersions } from "../formats/lockfiles/versions.js";
import type { Advisory, AdvisoryQuery } from "./advisories.js";
import { cvss3BaseScore, type SeverityName, severityFromScore } from "./cvss.js";

/**
 * OSV records → advisories, as seen from the queried package: pure functions
 * of the record and the query (no I/O), so they are tested without a server
 * and shared by the client (`osv.ts`) and the test stand-ins.
 */

/** The part of an OSV record Tollgate reads. */
export interface OsvRecord {
  id: string;
  modified?: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  severity?: Array<{ type: string; score: string }>;
  affected?: Array<{
    package?: { ecosystem?: string; name?: string };
    ranges?: Array<{
      type?: string;
      events?: Array<{ introduced?: string; fixed?: string; last_affected?: string; limit?: string }>;
    }>;
    database_specific?: { severity?: string };
    ecosystem_specific?: { severity?: string };
  }>;
  database_specific?: { severity?: string };
}

/** Advisories from one OSV record, as seen from the queried package. */
export function toAdvisory(id: string, record: OsvRecord | undefined, query: AdvisoryQuery): Advisory {
  // Aliases end up in messages: keep only what looks like an advisory id (a mirror may be hostile).
  const aliases = Array.isArray(record?.aliases)
    ? record.aliases.filter((a): a is string => typeof a === "string" && isSafeId(a)).slice(0, 20)
    : [];
  return {
    id,
    aliases,
    summary: summaryOf(record),
    severity: record ? severityOf(record, query) : undefined,
    fixed: record ? fixedVersion(record, query) : undefined,
    malicious: id.startsWith("MAL-") || aliases.some((a) => a.startsWith("MAL-")),
    url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
  };
}

function summaryOf(record: OsvRecord | undefined): string {
  if (!record) return "";
  const text = typeof record.summary === "string" && record.summary.trim() ? record.summary : record.details;
  if (typeof text !== "string") return "";
  const line = text.trim().split("\n")[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

const DATABASE_SEVERITY: Record<string, SeverityName> = {
  CRITICAL: "critical",
  HIGH: "high",
  MODERATE: "medium",
  MEDIUM: "medium",
  LOW: "low",
};

/**
 * The database's own rating first (GHSA's `database_specific.severity`), since
 * it is what the advisory's authors reviewed; else the CVSS 3.x vector's score.
 */
export function severityOf(record: OsvRecord, query?: AdvisoryQuery): SeverityName | undefined {
  const named = [
    record.database_specific?.severity,
    ...(record.affected ?? [])
      .filter((a) => !query || matchesPackage(a.package, query))
      .flatMap((a) => [a.database_specific?.severity, a.ecosystem_specific?.severity]),
  ];
  for (const s of named) {
    const mapped = typeof s === "string" ? DATABASE_SEVERITY[s.toUpperCase()] : undefined;
    if (mapped) return mapped;
  }
  let best: number | undefined;
  for (const s of record.severity ?? []) {
    if (!s || typeof s.score !== "string" || !/^CVSS_V3/.test(s.type ?? "")) continue;
    const score = cvss3BaseScore(s.score);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  return best === undefined ? undefined : severityFromScore(best);
}

/**
 * The version that fixes the queried version, compared the way its ecosystem
 * orders versions (Maven `2.9.10.7`, PyPI `2.0rc1`, not only semver): the
 * `fixed` event that closes the affected range the queried version is in
 * (`introduced` ≤ version < `fixed`), so a release line with its own fix
 * gets that fix; else the lowest fix above the queried version; else the
 * first `fixed` event of the record. `GIT` ranges (commit ids) count only
 * when nothing else names a fix.
 */
export function fixedVersion(record: OsvRecord, query: AdvisoryQuery): string | undefined {
  const order = (a: string, b: string) => compareVersions(query.ecosystem, a, b) ?? 0;
  const fixes: string[] = [];
  const commits: string[] = [];
  let containing: string | undefined;
  for (const affected of record.affected ?? []) {
    if (!matchesPackage(affected.package, query)) continue;
    for (const range of affected.ranges ?? []) {
      const events = (range.events ?? []).filter(
        (e): e is { introduced?: string; fixed?: string } =>
          !!e && (typeof e.introduced === "string" || (typeof e.fixed === "string" && e.fixed !== "")),
      );
      if (range.type === "GIT") {
        for (const e of events) if (e.fixed) commits.push(e.fixed);
        continue;
      }
      // Events are evaluated in version order, whatever order the record lists them in.
      const sorted = [...events].sort((x, y) => {
        const vx = x.introduced ?? x.fixed!;
        const vy = y.introduced ?? y.fixed!;
        if (vx === "0" || vy === "0") return vx === vy ? 0 : vx === "0" ? -1 : 1;
        return order(vx, vy);
      });
      let introduced: string | undefined;
      for (const e of sorted) {
        if (typeof e.introduced === "string") {
          introduced = e.introduced;
          continue;
        }
        const fixed = e.fixed!;
        fixes.push(fixed);
        const from = introduced;
        introduced = undefined;
        if (containing !== undefined || from === undefined) continue;
        if ((from === "0" || order(from, query.version) <= 0) && order(query.version, fixed) < 0)
          containing = fixed;
      }
    }
  }
  if (containing !== undefined) return containing;
  if (fixes.length === 0) return commits[0];
  const above = fixes.filter((f) => order(f, query.version) > 0).sort(order);
  return above[0] ?? fixes[0];
}

function matchesPackage(
  pkg: { ecosystem?: string; name?: string } | undefined,
  query: AdvisoryQuery,
): boolean {
  if (!pkg) return true;
  if (pkg.ecosystem && pkg.ecosystem.split(":")[0] !== query.ecosystem) return false;
  if (!pkg.name) return true;
  return normaliseName(pkg.name, query.ecosystem) === normaliseName(query.name, query.ecosystem);
}

function normaliseName(name: string, ecosystem: string): string {
  // PyPI names compare after PEP 503 normalisation; OSV stores them as published.
  return ecosystem === "PyPI" ? name.toLowerCase().replace(/[-_.]+/g, "-") : name;
}

/** Ids go into a URL path; anything but the usual id alphabet is not from a real OSV server. */
export function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id);
}
