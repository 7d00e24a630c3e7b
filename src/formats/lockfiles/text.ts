import { ParseError } from "../errors.js";

/** Small helpers every dependency-file parser shares. */

const CONFLICT = /^(<{7}|>{7})(?: |$)/;
const CONFLICT_IN_TEXT = /^(<{7}|>{7})(?: |\r?$)/m;

/**
 * A file committed mid-merge is not a lockfile any tool can read: say so at the
 * marker instead of reporting a confusing syntax error further down. Takes the
 * lines, or the text (one native regex pass, for files not split into lines).
 */
export function assertNoConflictMarkers(input: string | readonly string[]): void {
  if (typeof input === "string") {
    const m = CONFLICT_IN_TEXT.exec(input);
    if (m) throw conflictAt(m[1]!, lineAt(input, m.index));
    return;
  }
  for (let i = 0; i < input.length; i++) {
    const l = input[i]!;
    if ((l.charCodeAt(0) === 60 || l.charCodeAt(0) === 62) && CONFLICT.test(l))
      throw conflictAt(l.slice(0, 7), i + 1);
  }
}

function conflictAt(marker: string, line: number): ParseError {
  return new ParseError(`merge conflict marker ${JSON.stringify(marker)}: the file is mid-merge`, line);
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Removes `user:password@` (or a bare token used as the user name) from a URL
 * so that a registry token never reaches a message. The conventional `git@`
 * of SSH URLs is no secret and is kept, so the URL still reads as written.
 */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i, (m, scheme: string, user: string) =>
    user === "git" ? m : scheme,
  );
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
