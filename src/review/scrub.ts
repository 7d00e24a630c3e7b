import type { SecretMatch } from "../checks/secrets/scanner.js";
import { redactSecret } from "./redact.js";
import type { Finding, ReviewNote, SuppressedFinding } from "./types.js";

/**
 * The last line of defence for "never echo a secret": every check quotes the
 * text it found (a `run:` command, an `ADD` URL, a parse error's delimiter),
 * and any of those may hold a credential. Before a review leaves the engine,
 * every message, fix and evidence string is run through the secret scanner and
 * each credential in it is replaced by its redacted form (`ghp_…(40 chars)`).
 * Already-redacted text no longer matches, so this is idempotent.
 */

type ScanLine = (line: string) => SecretMatch[];

/**
 * Passwords the scanner does not report (a documentation host, a short or
 * placeholder-looking value) are still not echoed: the password part of URL
 * user-info and of `curl -u user:password` is always redacted in messages.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/@'"`]{1,200}:)([^\s@/'"`]{1,400})(?=@)/gi;
const CURL_USER = /((?:^|\s)(?:-u|--user)\s+["']?[^\s:"']{1,200}:)([^\s"']{1,400})/g;

function redactPasswords(line: string): string {
  if (!line.includes(":")) return line;
  return line
    .replace(URL_PASSWORD, (_m, head: string, pw: string) => `${head}${redactSecret(pw)}`)
    .replace(CURL_USER, (_m, head: string, pw: string) => `${head}${redactSecret(pw)}`);
}

export function scrubText(text: string, scanLine: ScanLine): string {
  if (text.length === 0) return text;
  const lines = text.split("\n");
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = redactPasswords(lines[i]!);
    if (line !== lines[i]) {
      lines[i] = line;
      changed = true;
    }
    const matches = scanLine(line).filter((m) => m.endLine === undefined || m.endLine === m.line);
    if (matches.length === 0) continue;
    // Right to left, so earlier columns stay valid.
    matches.sort((a, b) => b.column - a.column);
    let out = line;
    for (const m of matches) {
      const start = m.column - 1;
      const end = Math.min(m.endColumn - 1, out.length);
      if (start < 0 || end <= start) continue;
      out = `${out.slice(0, start)}${redactSecret(out.slice(start, end))}${out.slice(end)}`;
    }
    if (out !== line) {
      lines[i] = out;
      changed = true;
    }
  }
  return changed ? lines.join("\n") : text;
}

function scrubFinding<T extends Finding>(f: T, scan: ScanLine): T {
  const message = scrubText(f.message, scan);
  const fix = f.fix === undefined ? undefined : scrubText(f.fix, scan);
  const evidence = f.evidence === undefined ? undefined : scrubText(f.evidence, scan);
  if (message === f.message && fix === f.fix && evidence === f.evidence) return f;
  const out = { ...f, message };
  if (fix !== undefined) out.fix = fix;
  if (evidence !== undefined) out.evidence = evidence;
  return out;
}

export function scrubReviewText(
  parts: { findings: Finding[]; suppressed: SuppressedFinding[]; notes: ReviewNote[] },
  scanLine: ScanLine,
): { findings: Finding[]; suppressed: SuppressedFinding[]; notes: ReviewNote[] } {
  return {
    findings: parts.findings.map((f) => scrubFinding(f, scanLine)),
    suppressed: parts.suppressed.map((f) => scrubFinding(f, scanLine)),
    notes: parts.notes.map((n) => {
      const message = scrubText(n.message, scanLine);
      return message === n.message ? n : { ...n, message };
    }),
  };
}
