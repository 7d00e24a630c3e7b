/**
 * One version (head or base) of one file, decoded as UTF-8 text: what every
 * reader in `formats/` and every check reads. Defined here, at the bottom, so
 * that parsers can memoise on it without importing from `checks/`.
 */
export interface FileVersion {
  path: string;
  text: string;
  /** Lines without their `\n` (a CRLF file keeps no `\r` here). */
  readonly lines: readonly string[];
  /**
   * Memoises a derived value (a parse tree, a dependency list) on this version,
   * so several checks parse a file once.
   */
  memo<T>(key: string, compute: () => T): T;
}
