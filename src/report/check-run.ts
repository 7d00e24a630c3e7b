import type { ConfigIssue } from "../review/config.js";
import type { Finding, Review } from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import { escapeInline } from "./escape.js";
import { ruleDocUrl } from "./links.js";
import { GITHUB_TEXT_LIMIT, renderMarkdown, summaryTitle } from "./markdown.js";
import { visible } from "./visible.js";

/**
 * A Review as the Checks API wants it: a title, a summary under GitHub's
 * 65,535-character limit, and annotations in batches of at most 50. Pure:
 * the app decides when to send what.
 */

export const CHECK_NAME = "tollgate";
/** GitHub appends annotations per request, at most 50 in each. */
export const ANNOTATIONS_PER_REQUEST = 50;
export const TITLE_LIMIT = 255;
/** `message` and `raw_details` of an annotation: 64 KB each. */
export const ANNOTATION_MESSAGE_LIMIT = 64 * 1024;

export type CheckConclusion = "success" | "failure" | "neutral" | "skipped";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

/** The "Re-run" button on every completed run (label ≤20, description ≤40, identifier ≤20). */
export const RERUN_ACTION = {
  label: "Re-run",
  description: "Review this pull request again",
  identifier: "rerun",
} as const;

export interface CheckRunReportOptions {
  docsBaseUrl?: string;
  /** Lines under the summary heading (e.g. which commits were compared). */
  preamble?: string[];
}

/** Cuts text to a maximum length, ending with an explicit note so a reader knows it was cut. */
export function truncate(text: string, max: number, note = "… (truncated)"): string {
  if (text.length <= max) return text;
  if (max <= note.length) return text.slice(0, max);
  let cut = max - note.length;
  // Never split a surrogate pair: GitHub rejects invalid UTF-16 in JSON bodies.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}${note}`;
}

/** Cuts text so its UTF-8 encoding fits `maxBytes` (annotation messages are limited in bytes). */
export function truncateBytes(text: string, maxBytes: number, note = "… (truncated)"): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(note, "utf8");
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(text.slice(0, mid), "utf8") <= room) lo = mid;
    else hi = mid - 1;
  }
  const code = text.charCodeAt(lo - 1);
  if (lo > 0 && code >= 0xd800 && code <= 0xdbff) lo--;
  return `${text.slice(0, lo)}${note}`;
}

export function checkRunTitle(review: Review): string {
  return truncate(summaryTitle(review), TITLE_LIMIT);
}

export function checkRunOutput(review: Review, options: CheckRunReportOptions = {}): CheckOutput {
  return {
    title: checkRunTitle(review),
    summary: renderMarkdown(review, {
      docsBaseUrl: options.docsBaseUrl,
      maxLength: GITHUB_TEXT_LIMIT,
      preamble: options.preamble,
    }),
  };
}

export function annotationFor(
  f: Finding,
  failOn: Review["verdict"]["failOn"],
  options: CheckRunReportOptions = {},
): CheckAnnotation {
  const fix = f.fix;
  // A finding on a removed line has no place in the head file: pin it to line 1 and say where it was.
  const removed = f.side === "LEFT";
  const start = removed ? 1 : Math.max(1, f.line);
  const end = removed ? 1 : Math.max(start, f.endLine ?? start);
  const parts = [removed ? `On removed line ${f.line}: ${f.message}` : f.message];
  if (f.evidence) parts.push(`Evidence: ${f.evidence}`);
  if (fix) parts.push(`Fix: ${fix}`);
  const annotation: CheckAnnotation = {
    path: f.path,
    start_line: start,
    end_line: end,
    annotation_level: atOrAbove(f.severity, failOn) ? "failure" : "warning",
    // GitHub shows annotations as plain text: a bidi override there would reorder the message itself.
    message: truncateBytes(visible(parts.join("\n\n")), ANNOTATION_MESSAGE_LIMIT),
    title: truncate(`[${f.severity}] ${f.ruleId}`, TITLE_LIMIT),
    raw_details: truncateBytes(
      `Rule: ${ruleDocUrl(f.ruleId, options.docsBaseUrl)}\nFingerprint: ${f.fingerprint}`,
      ANNOTATION_MESSAGE_LIMIT,
    ),
  };
  // Columns are only allowed on single-line annotations.
  if (!removed && start === end && f.column !== undefined) {
    annotation.start_column = f.column;
    annotation.end_column = Math.max(f.column, f.endColumn ?? f.column);
  }
  return annotation;
}

export function annotationsFor(review: Review, options: CheckRunReportOptions = {}): CheckAnnotation[] {
  return review.findings.map((f) => annotationFor(f, review.verdict.failOn, options));
}

export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Output for a run whose review could not be completed: the step and its cause in one line (escaped
 * here, as it can quote what the review choked on), the conclusion and why, and GitHub's request id.
 */
export function failureOutput(failure: {
  title: string;
  step: string;
  cause: string;
  conclusion: CheckConclusion;
  why: string;
  requestId?: string;
}): CheckOutput {
  const lines = [
    "## Tollgate could not complete this review",
    "",
    `${failure.step[0]!.toUpperCase()}${failure.step.slice(1)}: ${escapeInline(failure.cause)}`,
    "",
    `Concluded \`${failure.conclusion}\`: ${failure.why}.`,
    "",
    ...(failure.requestId ? [`GitHub request id: \`${failure.requestId.replace(/`/g, "")}\``, ""] : []),
    "Use **Re-run** on this check (or push again) once the problem is fixed.",
  ];
  return { title: truncate(failure.title, TITLE_LIMIT), summary: lines.join("\n") };
}

export const SUPERSEDED_TITLE = "Superseded by ";

/** Output for a run on a commit that is no longer the pull request's head. */
export function supersededOutput(by: string): CheckOutput {
  return {
    title: `${SUPERSEDED_TITLE}${by.slice(0, 12)}`,
    summary: `The pull request's head moved to \`${by}\` while this commit was being reviewed; the review of the new head is the one that counts.`,
  };
}

/** Output for a repository whose configuration cannot be used: each bad key, by name. */
export function configErrorOutput(issues: readonly ConfigIssue[], source: string): CheckOutput {
  const rows = issues.map(
    (i) =>
      `- ${i.path ? `\`${escapeInline(i.path)}\`: ` : ""}${escapeInline(i.message)}${i.line ? ` (line ${i.line})` : ""}`,
  );
  return {
    title: truncate(
      `Invalid configuration: ${issues.length} problem${issues.length === 1 ? "" : "s"}`,
      TITLE_LIMIT,
    ),
    summary: truncate(
      [
        "## Tollgate could not load its configuration",
        "",
        `From ${escapeInline(source)}:`,
        "",
        ...rows,
        "",
        "Fix `.github/tollgate.yml` on the default branch, then use **Re-run** on this check.",
      ].join("\n"),
      GITHUB_TEXT_LIMIT,
    ),
  };
}
