import { LineCounter, parseAllDocuments } from "yaml";
import type { Check, CheckContext } from "../src/checks/types.js";
import { ParseError } from "../src/checks/types.js";
import { documentParseError, parseYamlSource } from "../src/formats/yaml.js";
import { TextVersion } from "../src/review/content.js";
import { defaultConfig } from "../src/review/defaults.js";
import { runReview } from "../src/review/engine.js";
import { memoryFile } from "../src/review/memory.js";
import type { RuleCatalog } from "../src/review/rules.js";
import type { ChangeSet } from "../src/review/types.js";
import type { BenchLine } from "./types.js";

/** Helpers the family benchmarks share (not a benchmark itself: bench/run.ts skips this module). */

export function timeIt<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

/** Runs a family's snapshot checks on one text; a parse error counts as one finding, as the engine reports it. */
export function runSnapshotChecks(
  checks: readonly Check[],
  path: string,
  text: string,
  ctx: CheckContext,
): number {
  const file = new TextVersion(path, text);
  let n = 0;
  for (const check of checks) {
    try {
      if (check.kind === "snapshot") n += check.run(file, ctx).length;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      n++;
    }
  }
  return n;
}

/**
 * A change that adds these files, as a pull request adding them would be reviewed: every rule of
 * every family the paths select (secrets and meta included), the default configuration, diff mode.
 * `onePerFile`: a review of its own for each file, for files a repository has one of
 * (`.circleci/config.yml`). The patches are computed once here, outside any timing.
 */
export function addedFilesReview(
  files: ReadonlyArray<{ path: string; text: string }>,
  catalog: RuleCatalog,
  { onePerFile = false } = {},
): () => Promise<number> {
  const all = files.map((f) => memoryFile(f.path, null, f.text));
  const changeSets: ChangeSet[] = onePerFile ? all.map((f) => ({ files: [f] })) : [{ files: all }];
  return async () => {
    let findings = 0;
    for (const changeSet of changeSets)
      findings += (await runReview(changeSet, { config: defaultConfig, catalog })).findings.length;
    return findings;
  };
}

export interface Ratio {
  /** Median milliseconds of one run of each side. */
  ms: number;
  floorMs: number;
  /** Median of the ratios of adjacent pairs of runs (wall time). */
  ratio: number;
  /** The lowest and highest pair ratio, to show how steady the figure was. */
  low: number;
  high: number;
  /**
   * The same median over the process's CPU time: on a machine other work loads, waiting for a core
   * does not count, so this is the steadier figure there (collector threads count, on both sides).
   */
  cpuRatio: number;
}

const gc = (globalThis as { gc?: (options?: { type: "minor" | "major" }) => void }).gc;

/**
 * Empties the young generation, where each side's garbage lives, without a full collection: a
 * full (mark-compact) collection also deoptimizes the optimized code whose embedded maps it
 * clears ("weak objects" in `--trace-deopt`: 62 functions after one `gc()` in a Bitbucket
 * review), so the sample after it measured re-optimization — 256 ms instead of 70 for the
 * review, 2–3× for the floor too, and more for the side with more code, which inflated the
 * ratio by 0.2–0.3. A scavenge deoptimizes nothing.
 */
function collectYoung(): void {
  gc?.({ type: "minor" });
}

/**
 * `subject` ÷ `floor`, measured so that a shared, loaded machine moves both sides alike: both are
 * warmed up, then run alternately (the order flipping every pair), each sample repeated until it
 * lasts at least `minSampleMs`, with a young-generation collection before each so one side's
 * garbage is not collected in the other's time (`collectYoung` says why not a full one). The
 * ratio is the median of the pairs' ratios: a burst of load hits both runs of a pair, where
 * comparing two separate medians would compare different moments.
 */
export async function interleavedRatio(
  subject: () => unknown,
  floor: () => unknown,
  { pairs = 15, warmup = 5, minSampleMs = 100 } = {},
): Promise<Ratio> {
  for (let i = 0; i < warmup; i++) {
    await subject();
    await floor();
  }
  const once = (await timed(floor, 1)).wall;
  const reps = Math.max(1, Math.ceil(minSampleMs / Math.max(once, 0.01)));
  const subjectMs: number[] = [];
  const floorMs: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let s: Sample;
    let f: Sample;
    if (i % 2 === 0) {
      s = await timed(subject, reps);
      f = await timed(floor, reps);
    } else {
      f = await timed(floor, reps);
      s = await timed(subject, reps);
    }
    subjectMs.push(s.wall / reps);
    floorMs.push(f.wall / reps);
    ratios.push(s.wall / f.wall);
    cpuRatios.push(s.cpu / f.cpu);
  }
  ratios.sort((a, b) => a - b);
  return {
    ms: median(subjectMs),
    floorMs: median(floorMs),
    ratio: median(ratios),
    low: ratios[0]!,
    high: ratios[ratios.length - 1]!,
    cpuRatio: median(cpuRatios),
  };
}

interface Sample {
  wall: number;
  cpu: number;
}

async function timed(fn: () => unknown, reps: number): Promise<Sample> {
  collectYoung();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let r = 0; r < reps; r++) await fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A ratio against its target, with both sides' times and the pairs' range in the name. */
export function ratioLine(name: string, r: Ratio, target: number): BenchLine {
  return {
    name: `${name} (${r.ms.toFixed(1)} vs ${r.floorMs.toFixed(1)} ms; pairs ${r.low.toFixed(2)}–${r.high.toFixed(2)}; CPU time ${r.cpuRatio.toFixed(2)}×)`,
    value: Math.round(r.ratio * 100) / 100,
    unit: "count",
    target: `≤ ${target}×`,
    ok: r.ratio <= target,
  };
}

/** A time against the bound an issue sets for hostile input. */
export function boundLine(name: string, ms: number, targetMs: number): BenchLine {
  return { name, value: Math.round(ms), unit: "ms", target: `≤ ${targetMs} ms`, ok: ms <= targetMs };
}

/** Issue 15's targets: the YAML families against the YAML parse, the line readers against `regexFloor`. */
export const YAML_RATIO = 1.2;
export const LINE_RATIO = 3;

/** A slice of issue 15's benches: files reviewed as one change (or one change each) against a floor. */
export interface Slice {
  name: string;
  files: Array<{ path: string; text: string }>;
  floor: () => number;
  target: number;
  floorName: string;
  /** A repository has one such file: each is a change of its own. */
  onePerFile?: boolean;
  /**
   * YAML slices: the same texts through the product's own parse (`parseYamlSource`), for a second,
   * informational ratio — what the checks, secrets, meta and the engine add on top of the parse the
   * review itself runs, apart from what that parse saves against the library's.
   */
  productParse?: () => number;
}

/** The line readers' floor: read every line and run each of the regexes on it. */
export function regexFloor(files: readonly string[], regexes: readonly RegExp[]): number {
  let hits = 0;
  for (const f of files) for (const line of f.split("\n")) for (const r of regexes) if (r.test(line)) hits++;
  return hits;
}

/**
 * The YAML floor: every file parsed as its family must at least parse it, with positions — `yaml`'s own
 * `parseAllDocuments` with a line index, then the project's linear duplicate-key check. This is what
 * `parseYamlSource` (formats/yaml.ts) did until the product parsed with `QuietParser`
 * (formats/yaml-parser.ts, the library's parser without its per-token `process.env` read): the floor
 * stays the library's parse, so that a cheaper parse in the product counts as the product's gain.
 */
export function yamlFloor(files: readonly string[], options?: { maxDocuments?: number }): number {
  let docs = 0;
  for (const f of files) docs += libraryYamlParse(f, options);
  return docs;
}

/** The product's parse of every text (`parseYamlSource`: `QuietParser`, the same checks); the documents read. */
export function productYamlParse(files: readonly string[], options?: { maxDocuments?: number }): number {
  let docs = 0;
  for (const f of files) docs += parseYamlSource(f, options).documents.length;
  return docs;
}

/** The informational line for a YAML slice: the engine against the product's own parse, no target. */
export function overParseLine(name: string, r: Ratio): BenchLine {
  return {
    name: `${name}, engine with every rule ÷ the product's own YAML parse, for information (${r.ms.toFixed(1)} vs ${r.floorMs.toFixed(1)} ms; pairs ${r.low.toFixed(2)}–${r.high.toFixed(2)})`,
    value: Math.round(r.ratio * 100) / 100,
    unit: "count",
  };
}

/** One text through `parseAllDocuments` and the duplicate-key check, as `yamlFloor` says; the documents read. */
export function libraryYamlParse(text: string, { maxDocuments = 1000 } = {}): number {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    keepSourceTokens: false,
  });
  const documents = Array.isArray(parsed) ? parsed : [];
  if (documents.length > maxDocuments) throw new ParseError(`more than ${maxDocuments} YAML documents`, 1);
  for (const doc of documents) {
    const error = documentParseError(text, lineCounter, doc);
    if (error) throw error;
  }
  return documents.length;
}
