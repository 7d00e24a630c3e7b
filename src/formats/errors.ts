/**
 * Thrown by a parser; the engine reports it as `meta/parse-error` at `line`.
 *
 * It lives with the parsers (the bottom layer) so that `formats/` imports
 * nothing from the layers above it; `checks/types.ts` re-exports it for checks.
 */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
