import { type Finding, type ReviewNote, SEVERITIES, type Severity, type Verdict } from "./types.js";

export function severityRank(s: Severity): number {
  // critical = 3 … low = 0
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

/** Lowers a severity one step (critical → high … low stays low). */
export function lowerSeverity(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)]!;
}

export function computeVerdict(
  findings: readonly Finding[],
  notes: readonly ReviewNote[],
  failOn: Severity,
): Verdict {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let blocking = 0;
  for (const f of findings) {
    counts[f.severity]++;
    if (!f.fixture && atOrAbove(f.severity, failOn)) blocking++;
  }
  const blockingNote = notes.some((n) => n.blocking);
  return { conclusion: blocking > 0 || blockingNote ? "failure" : "success", failOn, blocking, counts };
}
