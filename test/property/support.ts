import fc from "fast-check";
import { expect } from "vitest";

/**
 * Helpers for the property tests of the parsers a pull request's author
 * controls: no crash but the parser's declared error, and linear time.
 *
 * Linear time is asserted without a wall-clock threshold: the same shape of
 * input is run at size n and 16n, each the fastest of a few runs, and the
 * ratio must stay under 100. Linear work gives 16 (up to about 40 once
 * garbage collection of the larger heap is counted, and up to 90 seen on a
 * machine loaded 4x over its cores), quadratic 256. Times are this process's
 * CPU time, not wall time, so other processes on the machine count less.
 */

export const GROWTH = 16;
export const MAX_RATIO = 100;

/**
 * How much longer `run` takes on `make(GROWTH * n)` than on `make(n)`: the
 * fastest of a few interleaved runs of each. Pick `n` so the small input
 * takes a few milliseconds; much smaller and fixed costs and cache effects
 * distort the ratio.
 */
export function growthRatio(
  make: (n: number) => string,
  run: (input: string) => void,
  n: number,
  runs = 5,
): number {
  const small = make(n);
  const big = make(GROWTH * n);
  run(small); // warm up (JIT, lazily built tables)
  run(big);
  // A garbage collection or a busy neighbour can land in any one measurement; quadratic work
  // is slow in every one, so the best of a few attempts is what counts.
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= MAX_RATIO; attempt++) {
    let tSmall = Number.POSITIVE_INFINITY;
    let tBig = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      tSmall = Math.min(tSmall, timed(run, small));
      tBig = Math.min(tBig, timed(run, big));
    }
    best = Math.min(best, tBig / Math.max(tSmall, 0.05));
  }
  return best;
}

function timed(run: (input: string) => void, input: string): number {
  const start = process.cpuUsage();
  run(input);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Runs `run` and swallows only the errors the parser declares; anything else fails the test. */
export function onlyDeclaredErrors(
  run: () => unknown,
  ...declared: Array<abstract new (...args: never[]) => Error>
): void {
  try {
    run();
  } catch (e) {
    if (declared.some((type) => e instanceof type)) return;
    throw e;
  }
}

/** Asserts linear growth for every named adversarial shape. */
export function expectLinear(
  shapes: Record<string, (n: number) => string>,
  run: (input: string) => void,
  n: number,
): void {
  for (const [name, make] of Object.entries(shapes)) {
    const ratio = growthRatio(make, (s) => onlyDeclaredErrorsAny(run, s), n);
    expect(ratio, `${name}: ${GROWTH}x the input took ${ratio.toFixed(1)}x the time`).toBeLessThan(MAX_RATIO);
  }
}

/** Timing runs only measure: errors are the crash property's business. */
function onlyDeclaredErrorsAny(run: (input: string) => void, input: string) {
  try {
    run(input);
  } catch {
    // measured either way
  }
}

/**
 * Text built from fragments that matter to a format (its delimiters, quotes,
 * escapes, line breaks) plus arbitrary characters, so generated inputs reach
 * deep into the parser instead of failing on the first byte.
 */
export function tokenSoup(fragments: readonly string[], maxLength = 60): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...fragments) },
        { weight: 1, arbitrary: fc.string() },
      ),
      {
        maxLength,
      },
    )
    .map((parts) => parts.join(""));
}

/** Common adversarial pieces: line breaks of every kind, quotes, backslashes, NUL, bidi, surrogates. */
export const HOSTILE = [
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  '"',
  "'",
  "\\",
  "`",
  "\0",
  "\u202e",
  "\ud800",
  "#",
  "$",
  "{",
  "}",
  "[",
  "]",
];

export const PROPERTY_RUNS = { numRuns: 150 };
