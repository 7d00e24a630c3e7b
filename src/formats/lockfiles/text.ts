import { ParseError } from "../../checks/types.js";

/** Small helpers every dependency-file parser shares. */

const CONFLICT = /^(<{7}|>{7})(?: |$)/;

/**
 * A file committed mid-merge is not a lockfile any tool can read: say so at the
 * marker instead of reporting a confusing syntax error further down.
 */
export function assertNoConflictMarkers(lines: readonly string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if ((l.charCodeAt(0) === 60 || l.charCodeAt(0) === 62) && CONFLICT.test(l)) {
      throw new ParseError(
        `merge conflict marker ${JSON.stringify(l.slice(0, 7))}: the file is mid-merge`,
        i + 1,
      );
    }
  }
}

/** Removes `user:password@` from a URL so that a registry token never reaches a message. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1");
}

/** The host of a URL-like string, lower-cased; undefined when it has none. */
export function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@\s]*@)?([^/:?#\s]+)/i.exec(url);
  if (m) return m[1]!.toLowerCase();
  // scp-like git: git@github.com:user/repo.git
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  return scp ? scp[1]!.toLowerCase() : undefined;
}

/** Strips a TOML/INI/shell-style trailing comment that is outside quotes. */
export function stripHashComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/** PEP 503 normalised name: PyPI treats `Foo_Bar`, `foo-bar` and `foo.bar` as one project. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
