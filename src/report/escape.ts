/**
 * Text from a pull request (package names, expressions, paths) ends up in
 * Markdown that GitHub renders. Escaping keeps it from pinging people,
 * injecting HTML or links, or breaking a table; control, bidi and invisible
 * characters are shown as `<U+202E>` (see `visible`).
 */

import { visible } from "./visible.js";

/** For a table cell or one line of prose. */
export function escapeInline(text: string): string {
  return visible(text)
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\[/g, "\\[")
    .replace(/\]/g, "\\]")
    .replace(/@(?=[A-Za-z0-9-])/g, "@\u200b")
    .replace(/#(?=\d)/g, "#\u200b");
}

/** For text inside a code span: backticks cannot be escaped there, so the fence grows instead. */
export function codeSpan(text: string): string {
  const clean = visible(text).replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((s) => s.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  // Inside a table cell a pipe still ends the cell, even in a code span.
  return `${fence}${pad}${clean.replace(/\|/g, "\\|")}${pad}${fence}`;
}
