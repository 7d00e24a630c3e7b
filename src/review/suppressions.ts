import type { Finding, ReviewNote } from "./types.js";

/**
 * Inline suppressions: `tollgate:ignore <rule-id> -- <reason>` in a comment on
 * the finding's line or the line above, and `tollgate:ignore-file <rule-id> --
 * <reason>` anywhere in the file. A suppression without a reason does not count.
 */

export interface InlineSuppression {
  scope: "line" | "file";
  /** Line of the comment. */
  line: number;
  ruleIds: string[];
  reason: string;
}

export interface InlineSuppressions {
  entries: InlineSuppression[];
  problems: ReviewNote[];
}

const MARKER = "tollgate:ignore";
const DIRECTIVE = /tollgate:ignore(-file)?\b([^\n]*)/;
// Comment closers that may trail the reason: `*/`, `-->`, `#}`, `%>`.
const TRAILING_CLOSER = /\s*(\*\/|-->|#\}|%>|\)\s*-->)\s*$/;

/**
 * A comment opener of the formats Tollgate reads (`#`, `//`, `/*`, a block comment's ` * `, `<!--`,
 * `--`, `;`, `{#`, `REM`) must come before the directive on its line, outside a Markdown code span:
 * prose that documents `tollgate:ignore <rule> -- <reason>` (a README, a rule page) waives nothing.
 */
const COMMENT_OPENER = /(?:#|\/\/|\/\*|<!--|--|;|\{#|^\s*\*|\bREM\s)/i;

function inComment(before: string): boolean {
  const backticks = before.split("`").length - 1;
  return backticks % 2 === 0 && COMMENT_OPENER.test(before);
}

export function parseSuppressionComment(
  text: string,
  line: number,
  path: string,
): InlineSuppression | ReviewNote | undefined {
  const m = DIRECTIVE.exec(text);
  if (!m || !inComment(text.slice(0, m.index))) return undefined;
  const scope = m[1] ? "file" : "line";
  const rest = m[2] ?? "";
  const sep = rest.indexOf("--");
  const idsPart = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
  const reason =
    sep >= 0
      ? rest
          .slice(sep + 2)
          .replace(TRAILING_CLOSER, "")
          .trim()
      : "";
  const ruleIds = idsPart
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const directive = `tollgate:ignore${scope === "file" ? "-file" : ""}`;
  if (ruleIds.length === 0) {
    return {
      level: "warning",
      path,
      line,
      message: `${directive} names no rule id, so it suppresses nothing (write \`${directive} <rule-id> -- <reason>\`).`,
    };
  }
  if (!reason) {
    return {
      level: "warning",
      path,
      line,
      message: `${directive} ${ruleIds.join(", ")} has no reason, so it does not count (add \` -- <why this is safe>\`).`,
    };
  }
  return { scope, line, ruleIds, reason };
}

/** Scans lines for suppression comments. `lines` is 1-based via index + 1. */
export function findInlineSuppressions(lines: readonly string[], path: string): InlineSuppressions {
  const entries: InlineSuppression[] = [];
  const problems: ReviewNote[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!text.includes(MARKER)) continue;
    const parsed = parseSuppressionComment(text, i + 1, path);
    if (!parsed) continue;
    if ("scope" in parsed) entries.push(parsed);
    else problems.push(parsed);
  }
  return { entries, problems };
}

/** The suppression that covers a finding, if any; `resolveId` maps aliases to rule ids. */
export function matchInline(
  finding: Pick<Finding, "ruleId" | "line">,
  suppressions: readonly InlineSuppression[],
  resolveId: (id: string) => string | undefined,
): InlineSuppression | undefined {
  return suppressions.find((s) => {
    if (!s.ruleIds.some((id) => resolveId(id) === finding.ruleId)) return false;
    return s.scope === "file" || s.line === finding.line || s.line === finding.line - 1;
  });
}
