import type { Finding } from "../review/types.js";
import { codeSpan } from "./escape.js";

/**
 * Identical findings in several files of one change — the same Dockerfile
 * generated per architecture, the same workflow copied per package — are one
 * thing to fix, so the review and the summary show them once with the list of
 * places. The check run's annotations and the JSON/SARIF outputs keep every
 * finding: grouping is presentation only and never changes a verdict.
 */

export interface FindingGroup {
  /** In the caller's order; the first is the one shown (and commented on). */
  findings: Finding[];
}

/**
 * Most findings one group stands for. A grouped inline comment carries one
 * hidden marker per finding (~47 characters each), so the bound keeps every
 * marker well inside GitHub's 65,535-character body; a larger set of copies
 * becomes several groups.
 */
export const MAX_GROUP_SIZE = 200;

/** Places named in a group's text; the rest are counted. */
export const PLACES_SHOWN = 10;

/**
 * Same rule, same anchor (the engine's normalised content), same message and
 * fix once the finding's own path is taken out, same severity and the same
 * fixture standing: anything a reader of the first finding would not learn
 * about the others keeps them apart.
 */
export function groupKey(f: Finding): string {
  const own = (s: string | undefined) => (s ?? "").split(f.path).join("\u0000");
  return [f.ruleId, f.severity, f.fixture ? "fixture" : "", f.anchor, own(f.message), own(f.fix)].join(
    "\u0001",
  );
}

/**
 * Groups findings in the order given. Only findings on different paths
 * group: the n-th finding of a key in one file joins the n-th of that key in
 * the others, so two identical instructions in each copy stay two groups.
 */
export function groupFindings(ordered: readonly Finding[], maxSize = MAX_GROUP_SIZE): FindingGroup[] {
  const groups: FindingGroup[] = [];
  const open = new Map<string, FindingGroup>();
  const occurrences = new Map<string, number>();
  for (const f of ordered) {
    const key = groupKey(f);
    const perPath = `${key}\u0002${f.path}`;
    const n = occurrences.get(perPath) ?? 0;
    occurrences.set(perPath, n + 1);
    const slot = `${key}\u0002${n}`;
    const group = open.get(slot);
    if (group && group.findings.length < maxSize) {
      group.findings.push(f);
      continue;
    }
    const fresh = { findings: [f] };
    open.set(slot, fresh);
    groups.push(fresh);
  }
  return groups;
}

export function place(f: Finding): string {
  return codeSpan(`${f.path}:${f.line}`);
}

/**
 * "Also in 30 other files: `a:12`, `b:12`, … and 20 more." for the findings
 * of a group other than the one shown, or "" when there are none.
 */
export function otherPlaces(others: readonly Finding[], shown = PLACES_SHOWN): string {
  if (others.length === 0) return "";
  const listed = others.slice(0, shown).map(place).join(", ");
  const more = others.length - Math.min(shown, others.length);
  const n = others.length;
  return `Also in ${n} other file${n === 1 ? "" : "s"}: ${listed}${more > 0 ? `, … and ${more} more` : ""}.`;
}
