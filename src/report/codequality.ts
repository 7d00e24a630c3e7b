import type { Finding, Review, Severity } from "../review/types.js";
import { visible } from "./visible.js";

/**
 * `--format codequality`: the Code Climate issue list GitLab reads from a
 * job's `artifacts:reports:codequality` and shows in the merge request.
 * GitLab compares the head's report with the target branch's by
 * `fingerprint`, so Tollgate's stable fingerprint (rule, path, anchor — not
 * the line) is what it gets: a finding that moves is not "new" in GitLab either.
 */

/** GitLab's five levels; a blocking severity stays above what only warns. */
const LEVEL: Record<Severity, "info" | "minor" | "major" | "critical" | "blocker"> = {
  critical: "blocker",
  high: "critical",
  medium: "major",
  low: "minor",
};

export interface CodeQualityIssue {
  type: "issue";
  check_name: string;
  description: string;
  content?: { body: string };
  categories: string[];
  severity: (typeof LEVEL)[Severity] | "info";
  fingerprint: string;
  location: { path: string; lines: { begin: number; end?: number } };
}

function issue(f: Finding): CodeQualityIssue {
  const line = Math.max(1, f.line);
  return {
    type: "issue",
    check_name: f.ruleId,
    description: visible(`${f.message}${f.fixture ? " (test fixture: does not fail the review)" : ""}`),
    ...(f.fix ? { content: { body: visible(f.fix) } } : {}),
    categories: ["Security"],
    // A fixture is reported but never blocks: GitLab should not rank it with what does.
    severity: f.fixture ? "info" : LEVEL[f.severity],
    fingerprint: f.fingerprint,
    location: {
      path: f.path,
      lines: { begin: line, ...(f.endLine !== undefined && f.endLine > line ? { end: f.endLine } : {}) },
    },
  };
}

export function reviewToCodeQuality(review: Review): CodeQualityIssue[] {
  return review.findings.map(issue);
}

export function renderCodeQuality(review: Review): string {
  return `${JSON.stringify(reviewToCodeQuality(review), null, 2)}\n`;
}
