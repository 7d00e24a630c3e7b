import type { Finding, Review } from "../review/types.js";
import { summaryTitle } from "./markdown.js";
import { visible } from "./visible.js";

/** Terminal output: findings grouped by file, each with line, severity, rule id, message and a one-line fix. */

export interface TextOptions {
  color?: boolean;
}

const COLORS = {
  critical: "\u001b[1;31m",
  high: "\u001b[31m",
  medium: "\u001b[33m",
  low: "\u001b[36m",
} as const;
const DIM = "\u001b[2m";
const RESET = "\u001b[0m";

function byPath<T extends Finding>(findings: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const f of findings) {
    const list = groups.get(f.path) ?? [];
    list.push(f);
    groups.set(f.path, list);
  }
  return groups;
}

/** Control and bidi characters from file content must not reach the terminal (escape-sequence injection, Trojan Source). */
function clean(text: string): string {
  return visible(text);
}

export function renderText(review: Review, options: TextOptions = {}): string {
  const paint = (code: string, s: string) => (options.color ? `${code}${s}${RESET}` : s);
  const out: string[] = [];
  for (const [path, findings] of byPath(review.findings)) {
    out.push(paint("\u001b[4m", clean(path)));
    for (const f of findings) {
      const where = `${f.line}${f.column ? `:${f.column}` : ""}`.padEnd(8);
      const sev = paint(COLORS[f.severity], f.severity.padEnd(9));
      // Most messages already quote their evidence; print it only when they do not.
      const evidence = f.evidence && !f.message.includes(f.evidence) ? ` [${clean(f.evidence)}]` : "";
      out.push(`  ${where}${sev}${f.ruleId}  ${clean(f.message)}${evidence}`);
      if (f.fix) out.push(paint(DIM, `${" ".repeat(19)}fix: ${clean(f.fix)}`));
    }
    out.push("");
  }
  if (review.suppressed.length > 0) {
    out.push(`Suppressed (${review.suppressed.length}):`);
    for (const f of review.suppressed) {
      const s = f.suppression;
      const who =
        s.kind === "command"
          ? `by ${s.by}`
          : s.kind === "inline"
            ? `inline (line ${s.line})`
            : "by configuration";
      out.push(`  ${clean(f.path)}:${f.line}  ${f.ruleId}  ${who}: ${clean(s.reason)}`);
    }
    out.push("");
  }
  if (review.errors.length > 0) {
    out.push("Notes:");
    for (const n of review.errors) {
      const where = n.path ? `${clean(n.path)}${n.line ? `:${n.line}` : ""}: ` : "";
      out.push(`  ${n.level}: ${where}${clean(n.message)}`);
    }
    out.push("");
  }
  const verdict =
    review.verdict.conclusion === "failure" ? paint(COLORS.high, "FAIL") : paint("\u001b[32m", "PASS");
  out.push(`${verdict} ${summaryTitle(review)} (fail-on: ${review.verdict.failOn})`);
  return `${out.join("\n")}\n`;
}
