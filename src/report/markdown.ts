import {
  type DependencyChange,
  type Finding,
  type Review,
  type ReviewNote,
  SEVERITIES,
  type Severity,
  type SuppressedFinding,
} from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import { codeSpan, escapeInline } from "./escape.js";
import { groupFindings, otherPlaces, place } from "./grouping.js";
import { ruleDocUrl } from "./links.js";

/**
 * The summary Tollgate posts (check run summary, review body) and that
 * `--format markdown` prints. GitHub caps a check run's summary at 65,535
 * characters: rows are dropped from the end of each section with an explicit
 * "truncated" line, never cut mid-row. Identical findings in several files
 * are one row listing their places (grouping.ts); counts stay per finding.
 */

export interface MarkdownOptions {
  docsBaseUrl?: string;
  /** Hard cap on the output length (GitHub: 65,535 for check run summaries and text). */
  maxLength?: number;
  /** Extra lines under the heading, e.g. "Reviewed abc123…def456". */
  preamble?: string[];
}

export const GITHUB_TEXT_LIMIT = 65_535;

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: "🔴",
  high: "🟠",
  medium: "🟡",
  low: "🔵",
};

export function summaryTitle(review: Review): string {
  const n = review.findings.length;
  if (n === 0) {
    const s = review.suppressed.length;
    return s > 0 ? `No new findings (${s} suppressed)` : "No new findings";
  }
  const parts = SEVERITIES.filter((s) => review.verdict.counts[s] > 0).map(
    (s) => `${review.verdict.counts[s]} ${s}`,
  );
  const blocking = review.verdict.blocking;
  return `${n} new finding${n === 1 ? "" : "s"} (${parts.join(", ")})${blocking > 0 ? ` — ${blocking} at or above ${review.verdict.failOn}` : ""}`;
}

/** One finding's row; `others` are the identical findings in other files it stands for. */
function findingRow(f: Finding, docs?: string, others: readonly Finding[] = []): string {
  const fix = f.fix ? `<br>Fix: ${escapeInline(f.fix)}` : "";
  const evidence = f.evidence ? ` (${codeSpan(f.evidence)})` : "";
  const also = others.length > 0 ? `<br>${otherPlaces(others)}` : "";
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | [${f.ruleId}](${ruleDocUrl(f.ruleId, docs)}) | ${place(f)}${also} | ${escapeInline(f.message)}${evidence}${fix} |`;
}

function suppressedRow(f: SuppressedFinding, docs?: string): string {
  const s = f.suppression;
  let how: string;
  if (s.kind === "command") {
    const link = s.url ? ` ([comment](${s.url}))` : "";
    how = `ignored by @${escapeInline(s.by).replace(/^@\u200b/, "")} on ${s.at.slice(0, 10)}${link}`;
  } else if (s.kind === "inline") {
    how = `inline \`tollgate:ignore${s.scope === "file" ? "-file" : ""}\` on line ${s.line}`;
  } else {
    how = "configuration";
  }
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | [${f.ruleId}](${ruleDocUrl(f.ruleId, docs)}) | ${codeSpan(`${f.path}:${f.line}`)} | ${how} | ${escapeInline(s.reason)} |`;
}

function noteRow(n: ReviewNote): string {
  const icon = n.level === "error" ? "❌" : n.level === "warning" ? "⚠️" : "ℹ️";
  const where = n.path ? `${codeSpan(n.line ? `${n.path}:${n.line}` : n.path)}: ` : "";
  return `- ${icon} ${where}${escapeInline(n.message)}`;
}

/** Flags of a dependency row: the rule ids of new findings on the same path and line. */
/**
 * The deps/ rules reported at each `path:line`, built once per findings list: looking each
 * dependency change up by scanning every finding was changes × findings, and a lockfile with
 * 100,000 packages that each draw a finding is an author's to write.
 */
const depsFindingsAt = new WeakMap<readonly Finding[], Map<string, Finding["ruleId"][]>>();

function depsRulesAt(findings: readonly Finding[]): Map<string, Finding["ruleId"][]> {
  let index = depsFindingsAt.get(findings);
  if (index) return index;
  index = new Map();
  for (const f of findings) {
    if (!f.ruleId.startsWith("deps/")) continue;
    const key = `${f.line}\u0000${f.path}`;
    const list = index.get(key);
    if (list) list.push(f.ruleId);
    else index.set(key, [f.ruleId]);
  }
  depsFindingsAt.set(findings, index);
  return index;
}

export function dependencyFlags(change: DependencyChange, findings: readonly Finding[]): string[] {
  const flags = new Set(change.flags);
  if (change.line !== undefined) {
    for (const ruleId of depsRulesAt(findings).get(`${change.line}\u0000${change.path}`) ?? [])
      flags.add(ruleId);
  }
  return [...flags].sort();
}

const FLAG_LABEL: Record<string, string> = {
  "deps/known-vulnerability": "vulnerability",
  "deps/malicious-package": "malware",
  "deps/install-script": "install script",
  "deps/typosquat": "typosquat",
  "deps/non-registry-source": "source",
  "deps/lockfile-integrity-changed": "integrity",
  "deps/dependency-confusion": "registry",
  "deps/version-downgrade": "downgrade",
  "deps/unpinned-version": "unpinned",
  "deps/license-policy": "license",
};

function dependencyRow(c: DependencyChange, findings: readonly Finding[]): string {
  const flags = dependencyFlags(c, findings).map((f) => FLAG_LABEL[f] ?? f.replace(/^deps\//, ""));
  const where = c.line ? `${c.path}:${c.line}` : c.path;
  const scope = `${c.direct ? "direct" : "transitive"}${c.dev ? ", dev" : ""}`;
  return `| ${codeSpan(c.name)} (${escapeInline(c.ecosystem)}) | ${c.kind} | ${c.from ? codeSpan(c.from) : ""} | ${c.to ? codeSpan(c.to) : ""} | ${scope} | ${flags.length ? flags.map((f) => `⚠️ ${f}`).join(", ") : ""} | ${codeSpan(where)} |`;
}

interface Section {
  heading: string;
  intro: string[];
  rows: string[];
  /** What a dropped row is called in the truncation note. */
  noun: string;
  /** How many of `noun` each row stands for, when not one (a grouped row). */
  weights?: number[];
}

function familyTable(review: Review): string[] {
  const families = [...new Set(review.findings.map((f) => f.ruleId.split("/")[0]!))].sort();
  if (families.length === 0) return [];
  const sev = SEVERITIES.filter((s) => review.verdict.counts[s] > 0);
  const lines = [
    `| Family | ${sev.map((s) => `${SEVERITY_ICON[s]} ${s}`).join(" | ")} | Total |`,
    `|---|${sev.map(() => "---:").join("|")}|---:|`,
  ];
  for (const fam of families) {
    const mine = review.findings.filter((f) => f.ruleId.startsWith(`${fam}/`));
    lines.push(
      `| ${fam} | ${sev.map((s) => String(mine.filter((f) => f.severity === s).length)).join(" | ")} | ${mine.length} |`,
    );
  }
  return lines;
}

export function renderMarkdown(review: Review, options: MarkdownOptions = {}): string {
  const max = Math.min(options.maxLength ?? GITHUB_TEXT_LIMIT, GITHUB_TEXT_LIMIT);
  const docs = options.docsBaseUrl;
  const { verdict } = review;
  const status =
    verdict.conclusion === "failure"
      ? `**Failing**: ${verdict.blocking > 0 ? `${verdict.blocking} new finding${verdict.blocking === 1 ? "" : "s"} at or above \`${verdict.failOn}\`` : "a blocking problem is listed under Notes"}.`
      : `**Passing**: nothing new at or above \`${verdict.failOn}\`.`;
  const head = [
    `## Tollgate: ${escapeInline(summaryTitle(review))}`,
    "",
    ...(options.preamble ?? []),
    status,
    "",
  ];
  const blockingFirst = [...review.findings].sort(
    (a, b) => Number(atOrAbove(b.severity, verdict.failOn)) - Number(atOrAbove(a.severity, verdict.failOn)),
  );
  const sections: Section[] = [];
  if (review.findings.length > 0) {
    const groups = groupFindings(blockingFirst);
    const n = review.findings.length;
    const grouped =
      groups.length < n
        ? [
            `${n} findings in ${groups.length} row${groups.length === 1 ? "" : "s"}: identical findings in several files are shown once, with their places.`,
            "",
          ]
        : [];
    sections.push({
      heading: "### New findings",
      intro: [
        ...familyTable(review),
        "",
        ...grouped,
        "| Severity | Rule | Where | Finding |",
        "|---|---|---|---|",
      ],
      rows: groups.map(({ findings: [f, ...others] }) => findingRow(f!, docs, others)),
      noun: "finding",
      weights: groups.map((g) => g.findings.length),
    });
  }
  if (review.suppressed.length > 0) {
    sections.push({
      heading: `### Suppressed (${review.suppressed.length})`,
      intro: ["| Severity | Rule | Where | Suppressed by | Reason |", "|---|---|---|---|---|"],
      rows: review.suppressed.map((f) => suppressedRow(f, docs)),
      noun: "suppressed finding",
    });
  }
  if (review.errors.length > 0) {
    sections.push({
      heading: "### Notes",
      intro: [],
      rows: [...review.errors].sort((a, b) => rank(a.level) - rank(b.level)).map(noteRow),
      noun: "note",
    });
  }
  if (review.dependencyChanges.length > 0) {
    sections.push({
      heading: "### Dependency changes",
      intro: [
        `${count(review.dependencyChanges, "added")} added · ${count(review.dependencyChanges, "upgraded") + count(review.dependencyChanges, "downgraded") + count(review.dependencyChanges, "changed")} updated · ${count(review.dependencyChanges, "removed")} removed`,
        "",
        "| Package | Change | From | To | Scope | Flags | Where |",
        "|---|---|---|---|---|---|---|",
      ],
      rows: [...review.dependencyChanges]
        .sort(
          (a, b) => dependencyFlags(b, review.findings).length - dependencyFlags(a, review.findings).length,
        )
        .map((c) => dependencyRow(c, review.findings)),
      noun: "dependency change",
    });
  }
  const footer = [
    "",
    `<sub>${review.stats.filesAnalysed} of ${review.stats.filesInChange} changed files analysed. Suppress with \`/tollgate ignore <rule-id> -- <reason>\` or an inline \`tollgate:ignore <rule-id> -- <reason>\` comment.</sub>`,
  ];
  return assemble(head, sections, footer, max);
}

function rank(level: ReviewNote["level"]): number {
  return level === "error" ? 0 : level === "warning" ? 1 : 2;
}

function count(changes: readonly DependencyChange[], kind: DependencyChange["kind"]): number {
  return changes.filter((c) => c.kind === kind).length;
}

/** Joins sections, dropping trailing rows of each section (with a note) until the whole fits `max`. */
function assemble(head: string[], sections: Section[], footer: string[], max: number): string {
  const render = (keep: number[]) => {
    const out = [...head];
    sections.forEach((s, i) => {
      out.push(s.heading, "", ...s.intro, ...s.rows.slice(0, keep[i]));
      const dropped = s.weights
        ? s.weights.slice(keep[i]).reduce((a, b) => a + b, 0)
        : s.rows.length - keep[i]!;
      if (dropped > 0) {
        out.push(
          "",
          `_… ${dropped} more ${s.noun}${dropped === 1 ? "" : "s"} not shown: truncated to fit GitHub's ${GITHUB_TEXT_LIMIT.toLocaleString("en-US")}-character limit (all of them are in the annotations and the JSON/SARIF output)._`,
        );
      }
      out.push("");
    });
    out.push(...footer);
    return out.join("\n");
  };
  const keep = sections.map((s) => s.rows.length);
  let text = render(keep);
  if (text.length <= max) return text;
  // Give each section a share of what is left after the fixed parts, largest sections first.
  const fixed = render(sections.map(() => 0)).length;
  let budget = Math.max(0, max - fixed - 200 * sections.length);
  const order = sections.map((_, i) => i);
  for (const i of order) {
    let used = 0;
    let k = 0;
    const share = Math.floor(budget / (order.length - order.indexOf(i)));
    for (const row of sections[i]!.rows) {
      if (used + row.length + 1 > share) break;
      used += row.length + 1;
      k++;
    }
    keep[i] = k;
    budget -= used;
  }
  text = render(keep);
  while (text.length > max && keep.some((k) => k > 0)) {
    const i = keep.indexOf(Math.max(...keep));
    keep[i] = Math.max(0, keep[i]! - Math.max(1, Math.floor(keep[i]! / 10)));
    text = render(keep);
  }
  return text.length > max ? `${text.slice(0, max - 40)}\n\n_… truncated._` : text;
}
