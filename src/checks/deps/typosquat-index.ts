/**
 * Finds the popular package a new name imitates. Pure and data-driven: build
 * one index per ecosystem from a ranked list of popular names, then ask it
 * about each new name.
 *
 * The tests, after typogard, GuardDog and npm's own "moniker" rule:
 *   - scope written into the name: `@types-node`, `@babel-core`, and unscoped `types-node`;
 *   - separators: the same letters once `-`, `_`, `.` are dropped (`lo-dash`, `lodash_`);
 *   - look-alike characters: `0`/`o`, `1`/`l`/`i`, `rn`/`m`, `vv`/`w`, Cyrillic and Greek
 *     letters that render as Latin ones (`lоdash` with a Cyrillic о);
 *   - one edit (insert, delete, substitute, or swap two adjacent characters) for
 *     names of 5+ characters: `expresss`, `exprses`, `expres`.
 *
 * A popular name itself, and a name in the same npm scope as the popular one
 * (only the scope's owner can publish there), is never reported.
 *
 * One-edit look-ups use a symmetric-delete index (each popular name and every
 * name with one character deleted), so a check costs a few map look-ups
 * instead of a scan of the list.
 */

export type SquatReason = "scope" | "separators" | "look-alike" | "one-edit" | "swap";

export interface SquatMatch {
  /** The popular name that is imitated, as the registry spells it. */
  target: string;
  reason: SquatReason;
}

export interface TyposquatIndexOptions {
  /** Normalises a name before any comparison (lower case; PEP 503 for PyPI). */
  normalise?: (name: string) => string;
  /**
   * How many of the most popular names are treated as targets. The rest of
   * the list only exempts names from being reported: a look-alike of the
   * 15,000th most popular package is more often a sibling than an attack.
   */
  targets?: number;
  /**
   * How many of the most popular names the one-edit test compares against
   * (default: `targets`). One edit away from a mid-ranked name is often just
   * another word (`matches`/`matcher`), so this list is usually shorter.
   */
  editTargets?: number;
  /** Shortest name (in characters) for the one-edit test. */
  minEditLength?: number;
}

const MIN_EDIT_LENGTH = 5;
/** Below this, separators or look-alikes are too common to mean anything (`q-s`, `i0`). */
const MIN_SHAPE_LENGTH = 4;

/**
 * Characters that render like a Latin letter or digit in common fonts (a
 * subset of Unicode's confusables, the ones seen in package names).
 */
const LOOK_ALIKES: Record<string, string> = {
  "0": "o",
  "1": "l",
  i: "l",
  "|": "l",
  "!": "l",
  "5": "s",
  "3": "e",
  "@": "a",
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "l",
  ї: "l",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ӏ: "l",
  ɡ: "g",
  // Greek
  α: "a",
  ο: "o",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  ι: "l",
  κ: "k",
  χ: "x",
};

/** Multi-letter shapes that read as one letter. */
const LOOK_ALIKE_PAIRS: ReadonlyArray<[RegExp, string]> = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/cl/g, "d"],
];

const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}+/gu;

/** One spelling per visual shape: two names with the same skeleton look the same. */
export function skeleton(name: string): string {
  let s = "";
  // NFKD splits accents off (é → e + ◌́), which are then dropped. Most names are ASCII: skip the work.
  const text = ASCII.test(name)
    ? name.toLowerCase()
    : name.normalize("NFKD").toLowerCase().replace(MARKS, "");
  for (const ch of text) s += LOOK_ALIKES[ch] ?? ch;
  for (const [re, to] of LOOK_ALIKE_PAIRS) s = s.replace(re, to);
  return s;
}

function withoutSeparators(name: string): string {
  return name.replace(/[-_.]+/g, "");
}

function splitScope(name: string): { scope?: string; bare: string } {
  const m = /^@([^/]+)\/(.+)$/.exec(name);
  return m ? { scope: m[1], bare: m[2]! } : { bare: name };
}

/** Optimal string alignment distance (Damerau with adjacent swaps), capped: returns max+1 once past `max`. */
export function editDistance(a: string, b: string, max = 1): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** `cu12`/`cu13`, `vue2`/`vue3`: sibling releases of one project, not an imitation. */
function isDigitForDigit(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return /\d/.test(a[i]!) && /\d/.test(b[i]!) && a.slice(i + 1) === b.slice(i + 1);
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

export class TyposquatIndex {
  private readonly normalise: (name: string) => string;
  private readonly minEditLength: number;
  /** Every popular name (normalised) → its spelling; these are never reported. */
  private readonly popular = new Map<string, string>();
  private readonly bySeparatorless = new Map<string, string[]>();
  private readonly bySkeleton = new Map<string, string[]>();
  /** Each target and each of its one-deletion variants → targets. */
  private readonly deletions = new Map<string, string[]>();

  constructor(rankedNames: readonly string[], options: TyposquatIndexOptions = {}) {
    this.normalise = options.normalise ?? ((n) => n.toLowerCase());
    this.minEditLength = options.minEditLength ?? MIN_EDIT_LENGTH;
    const targets = options.targets ?? rankedNames.length;
    const editTargets = Math.min(targets, options.editTargets ?? targets);
    rankedNames.forEach((raw, rank) => {
      const name = this.normalise(raw);
      if (this.popular.has(name)) return;
      this.popular.set(name, raw);
      if (rank >= targets) return;
      push(this.bySeparatorless, withoutSeparators(name), name);
      push(this.bySkeleton, skeleton(withoutSeparators(name)), name);
      if (rank < editTargets && name.length >= this.minEditLength) {
        for (const variant of [name, ...deletionVariants(name)]) push(this.deletions, variant, name);
      }
    });
  }

  get size(): number {
    return this.popular.size;
  }

  isPopular(name: string): boolean {
    return this.popular.has(this.normalise(name));
  }

  /** The popular name `name` imitates, or undefined. */
  match(rawName: string): SquatMatch | undefined {
    const name = this.normalise(rawName);
    if (this.popular.has(name) || name.length > 214) return undefined;
    const { scope } = splitScope(name);
    const found = (target: string, reason: SquatReason): SquatMatch | undefined => {
      // Same scope: only its owner publishes there, so a near name is theirs, not a squat.
      if (scope !== undefined && splitScope(target).scope === scope) return undefined;
      return { target: this.popular.get(target) ?? target, reason };
    };

    const scoped = this.scopeConfusion(name);
    if (scoped) return found(scoped, "scope");

    const flat = withoutSeparators(name);
    if (flat.length >= MIN_SHAPE_LENGTH) {
      for (const t of this.bySeparatorless.get(flat) ?? []) {
        const hit = t !== name ? found(t, "separators") : undefined;
        if (hit) return hit;
      }
      for (const t of this.bySkeleton.get(skeleton(flat)) ?? []) {
        const hit = t !== name ? found(t, "look-alike") : undefined;
        if (hit) return hit;
      }
    }

    if (name.length >= this.minEditLength) {
      const candidates = new Set<string>(this.deletions.get(name));
      for (const variant of deletionVariants(name)) {
        const targets = this.deletions.get(variant);
        if (targets) for (const t of targets) candidates.add(t);
      }
      let best: SquatMatch | undefined;
      for (const t of candidates) {
        if (t === name || t.length < this.minEditLength || editDistance(name, t, 1) !== 1) continue;
        if (isDigitForDigit(name, t)) continue;
        const hit = found(t, isAdjacentSwap(name, t) ? "swap" : "one-edit");
        // Prefer the more popular target (the index keeps rank order per key; the Set keeps insertion order).
        if (hit && !best) best = hit;
      }
      if (best) return best;
    }
    return undefined;
  }

  /**
   * `@types-node`, `@types_node` → `@types/node`: a name that starts with `@`
   * but has no scope exists only to be mistaken for a scoped one. Without the
   * `@`, only `types-…` counts: `babel-preset-env`, `angular-material` and
   * the like are the real pre-scope names of those projects.
   */
  private scopeConfusion(name: string): string | undefined {
    if (name.includes("/")) return undefined;
    const atSign = name.startsWith("@");
    if (!atSign && !name.startsWith("types-")) return undefined;
    const body = atSign ? name.slice(1) : name;
    for (let i = body.indexOf("-"); i > 0; i = body.indexOf("-", i + 1)) {
      const candidate = `@${body.slice(0, i)}/${body.slice(i + 1)}`;
      if (this.popular.has(candidate)) return candidate;
    }
    const underscore = body.indexOf("_");
    if (underscore > 0) {
      const candidate = `@${body.slice(0, underscore)}/${body.slice(underscore + 1)}`;
      if (this.popular.has(candidate)) return candidate;
    }
    return undefined;
  }
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

function deletionVariants(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < name.length; i++) {
    if (i > 0 && name[i] === name[i - 1]) continue; // deleting either of a double letter gives the same string
    out.push(name.slice(0, i) + name.slice(i + 1));
  }
  return out;
}

/** Plain-words description of how a name differs from its target, for messages. */
export function describeReason(reason: SquatReason): string {
  switch (reason) {
    case "scope":
      return "the scope is written as part of the name";
    case "separators":
      return "only `-`, `_` or `.` separators differ";
    case "look-alike":
      return "it uses look-alike characters";
    case "swap":
      return "two adjacent characters are swapped";
    case "one-edit":
      return "one character differs";
  }
}
