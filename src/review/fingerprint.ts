import { createHash } from "node:crypto";
import type { Finding, RawFinding, Severity } from "./types.js";

/**
 * A finding's identity across pushes: rule id + path (or the finding's scope, such as a
 * Terraform module directory) + anchor (never the bare line number), plus an occurrence
 * index when one file has the same anchor twice.
 */

export type Unfingerprinted = RawFinding & { path: string };

export function fingerprintOf(ruleId: string, path: string, anchor: string, occurrence = 0): string {
  return createHash("sha256")
    .update(`${ruleId}\u0000${path}\u0000${anchor}\u0000${occurrence}`)
    .digest("hex")
    .slice(0, 16);
}

export function assignFingerprints(raws: ReadonlyArray<Unfingerprinted & { severity: Severity }>): Finding[] {
  const seen = new Map<string, number>();
  const ordered = [...raws].sort(
    (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line,
  );
  return ordered.map((r) => {
    // A scope (a Terraform module) stands for the path: moving within it keeps the identity.
    const where = r.scope ?? r.path;
    const key = `${r.ruleId}\u0000${where}\u0000${r.anchor}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const finding: Finding = {
      ruleId: r.ruleId,
      severity: r.severity,
      path: r.path,
      line: r.line,
      message: r.message,
      anchor: r.anchor,
      fingerprint: fingerprintOf(r.ruleId, where, r.anchor, occurrence),
    };
    if (r.endLine !== undefined && r.endLine !== r.line) finding.endLine = r.endLine;
    if (r.column !== undefined) finding.column = r.column;
    if (r.endColumn !== undefined) finding.endColumn = r.endColumn;
    if (r.side) finding.side = r.side;
    if (r.fix) finding.fix = r.fix;
    if (r.evidence) finding.evidence = r.evidence;
    return finding;
  });
}
