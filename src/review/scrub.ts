import type { SecretMatch } from "../checks/secrets/scanner.js";
import { redactSecret } from "./redact.js";

/**
 * The last line of defence for "never echo a secret": every check quotes the
 * text it found (a `run:` command, an `ADD` URL, a parse error's delimiter),
 * and any of those may hold a credential; so may a path, a dependency's
 * version read from a hostile lockfile, or a suppression's reason. Before a
 * review leaves the engine, every string in it is run through the secret
 * scanner and each credential is replaced by its redacted form
 * (`ghp_…(40 chars)`). Already-redacted text no longer matches, so this is
 * idempotent.
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

/** Shorter than any credential the scanner reports and than `a://b:c@`: nothing to redact. */
const MIN_SECRET_TEXT = 8;

function scrubLine(line: string, scanLine: ScanLine): string {
  const scrubbed = redactPasswords(line);
  const matches = scanLine(scrubbed).filter((m) => m.endLine === undefined || m.endLine === m.line);
  if (matches.length === 0) return scrubbed;
  // Right to left, so earlier columns stay valid.
  matches.sort((a, b) => b.column - a.column);
  let out = scrubbed;
  for (const m of matches) {
    const start = m.column - 1;
    const end = Math.min(m.endColumn - 1, out.length);
    if (start < 0 || end <= start) continue;
    out = `${out.slice(0, start)}${redactSecret(out.slice(start, end))}${out.slice(end)}`;
  }
  return out;
}

export function scrubText(text: string, scanLine: ScanLine): string {
  if (text.length < MIN_SECRET_TEXT) return text;
  // Most strings are one line: no array to split into and join back.
  if (!text.includes("\n")) return scrubLine(text, scanLine);
  const lines = text.split("\n");
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = scrubLine(lines[i]!, scanLine);
    if (line !== lines[i]) {
      lines[i] = line;
      changed = true;
    }
  }
  return changed ? lines.join("\n") : text;
}

/**
 * Fields the engine computes from hashes, never from what a change wrote:
 * rewriting one would break what relies on its exact form (the fingerprint
 * markers later runs look for).
 */
const COMPUTED_KEYS: ReadonlySet<string> = new Set(["fingerprint"]);

/**
 * Scrubs every string of a review — messages, fixes, evidence, notes,
 * suppression reasons, dependency names and versions, paths — by walking the
 * value rather than naming fields, so a field added later is scrubbed too.
 * Objects are copied only where something changed. Many strings repeat (a
 * path on every dependency row), so each distinct one is scanned once.
 */
export function scrubReview<T>(review: T, scanLine: ScanLine): T {
  const seen = new Map<string, string>();
  const scrubString = (text: string): string => {
    if (text.length < MIN_SECRET_TEXT) return text;
    let out = seen.get(text);
    if (out === undefined) {
      out = scrubText(text, scanLine);
      seen.set(text, out);
    }
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return scrubString(value);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = walk(value[i]);
        if (item !== value[i]) {
          copy ??= value.slice();
          copy[i] = item;
        }
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (COMPUTED_KEYS.has(key)) continue;
      const item = walk(record[key]);
      if (item !== record[key]) {
        copy ??= { ...record };
        copy[key] = item;
      }
    }
    return copy ?? value;
  };
  return walk(review) as T;
}
