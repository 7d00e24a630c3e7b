import { describe, expect, it } from "vitest";
import { findGenericSecrets } from "../../../src/checks/secrets/generic.js";
import { allPatterns, scanLine, scanText } from "../../../src/checks/secrets/scanner.js";

/**
 * Every pattern must run in linear time: a pull request controls the text we
 * scan, and one catastrophic backtrack would stall the review. Each pattern
 * runs on adversarial 100 kB lines — long runs of the characters it accepts,
 * its keywords repeated, near-miss prefixes — under a generous bound. A
 * linear pattern takes about a millisecond here; a quadratic one takes
 * seconds, so the bound is a safety net, not a performance measurement.
 */

const SIZE = 100_000;
const BOUND_MS = 200;

function fill(unit: string): string {
  return unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
}

/** Characters the pattern's source mentions (literals and class members), one filler each. */
function fillersFor(source: string): string[] {
  const chars = new Set<string>();
  for (const ch of source.replace(/\\[dswbDSWB]/g, ""))
    if (/[A-Za-z0-9_\-./+=:@~%!#$ ;'"`]/.test(ch)) chars.add(ch);
  return [...chars, "aA0", "\\n", "a-", "a.", "A/", "0:"];
}

function adversarialInputs(source: string, keywords: readonly string[]): string[] {
  const inputs: string[] = [];
  // Keywords are lowercase; patterns often want them upper-case (`AKIA`) or as written.
  const literal = source.match(/[A-Za-z0-9_]{3,}/)?.[0] ?? "";
  const prefixes = [...new Set([keywords[0] ?? "", (keywords[0] ?? "").toUpperCase(), literal])];
  for (const f of fillersFor(source)) {
    inputs.push(fill(f));
    for (const k of prefixes) inputs.push(k + fill(f).slice(k.length), fill(k + f.repeat(8)));
  }
  for (const k of keywords) inputs.push(fill(k), fill(`${k} `), fill(k.toUpperCase()));
  return inputs;
}

function timeOnce(pattern: RegExp, input: string): number {
  const re = new RegExp(pattern.source, pattern.flags);
  const start = performance.now();
  for (let m = re.exec(input); m; m = re.exec(input)) if (m[0].length === 0) re.lastIndex++;
  return performance.now() - start;
}

/**
 * The slowest input and its time. A slow first run is measured twice more and
 * the best of three kept: a GC pause on a busy machine is not backtracking.
 */
function slowest(pattern: RegExp, inputs: readonly string[]): { ms: number; input: string } {
  let worst = { ms: 0, input: "" };
  for (const input of inputs) {
    let ms = timeOnce(pattern, input);
    if (ms > BOUND_MS / 4) ms = Math.min(ms, timeOnce(pattern, input), timeOnce(pattern, input));
    if (ms > worst.ms) worst = { ms, input };
  }
  return worst;
}

describe("patterns run in linear time", () => {
  for (const { ruleId, pattern, keywords } of allPatterns()) {
    it(`${ruleId} ${pattern.source.slice(0, 60)}`, () => {
      const worst = slowest(pattern, adversarialInputs(pattern.source, keywords));
      expect(worst.ms, `slowest input starts ${JSON.stringify(worst.input.slice(0, 40))}`).toBeLessThan(
        BOUND_MS,
      );
    });
  }

  it("the whole line scanner stays linear on adversarial lines", () => {
    const keywords = allPatterns().flatMap((p) => p.keywords);
    const lines = [
      fill(`${keywords.join(" ")} `),
      fill("password=password=password="),
      fill('"token": "'),
      fill("a:b@"),
      fill("https://u:p"),
      fill("-----BEGIN RSA PRIVATE KEY-----"),
      fill("eyJhbGciOi."),
      fill("api_key-"),
    ];
    const timeScan = (line: string) => {
      const start = performance.now();
      scanLine(line);
      findGenericSecrets(line);
      return performance.now() - start;
    };
    for (const line of lines) {
      const ms = Math.min(timeScan(line), timeScan(line));
      expect(ms, line.slice(0, 40)).toBeLessThan(BOUND_MS * 2);
    }
  });

  it("a private key header repeated on thousands of lines does not make the block reader quadratic", () => {
    const text = Array.from({ length: 5_000 }, () => "-----BEGIN OPENSSH PRIVATE KEY-----").join("\n");
    const start = performance.now();
    expect(scanText(text)).toEqual([]);
    expect(performance.now() - start).toBeLessThan(BOUND_MS * 5);
  });
});
