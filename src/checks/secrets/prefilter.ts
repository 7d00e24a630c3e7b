/**
 * The keyword prefilter (gitleaks' idea): most lines contain no keyword of any
 * rule, and one combined, case-insensitive regex rejects them at native
 * speed. Only the rules whose keywords occur in a line then run their patterns.
 */

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * One alternation per first character, recursively (`g(?:hp_|ho_|…)|x(?:ox…)`):
 * the regex engine dispatches on a character instead of trying every keyword
 * at every position. `words` must not contain one another as prefixes.
 */
export function trieSource(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const w of words) byFirst.set(w[0]!, [...(byFirst.get(w[0]!) ?? []), w.slice(1)]);
  return [...byFirst]
    .map(([first, rests]) => {
      if (rests.includes("")) return escapeRegExp(first);
      const tail = rests.length === 1 ? escapeRegExp(rests[0]!) : `(?:${trieSource(rests)})`;
      return escapeRegExp(first) + tail;
    })
    .join("|");
}

export class KeywordPrefilter {
  private readonly any: RegExp;
  private readonly each: RegExp;
  /** Keyword → the groups it wakes: its own and those of every keyword inside it. */
  private readonly wakes: ReadonlyMap<string, readonly number[]>;
  private readonly size: number;

  /** One group of keywords per rule, in rule order. */
  constructor(groups: readonly (readonly string[])[]) {
    const lowered = groups.map((g) => g.map((k) => k.toLowerCase()));
    this.size = groups.length;
    // Longest first, so that at each position the longest keyword wins; the
    // shorter ones it contains are woken through `wakes`.
    const all = [...new Set(lowered.flat())].sort((a, b) => b.length - a.length);
    // To decide whether a line has any keyword, a keyword that contains another is redundant.
    const minimal = all.filter((k) => !all.some((other) => other !== k && k.includes(other)));
    this.any = new RegExp(trieSource(minimal), "i");
    this.each = new RegExp(all.map(escapeRegExp).join("|"), "g");
    const wakes = new Map<string, number[]>();
    for (const keyword of all) {
      const woken: number[] = [];
      lowered.forEach((g, i) => {
        if (g.some((k) => keyword.includes(k))) woken.push(i);
      });
      wakes.set(keyword, woken);
    }
    this.wakes = wakes;
  }

  /** Whether any keyword occurs in the line. */
  test(line: string): boolean {
    return this.any.test(line);
  }

  /** For a line that passed `test`: which groups have a keyword in it. */
  groupsIn(line: string): Uint8Array {
    const hit = new Uint8Array(this.size);
    const lower = line.toLowerCase();
    const each = this.each;
    each.lastIndex = 0;
    for (let m = each.exec(lower); m; m = each.exec(lower)) {
      for (const g of this.wakes.get(m[0])!) hit[g] = 1;
      // Step one character, not past the match: keywords may overlap.
      each.lastIndex = m.index + 1;
    }
    return hit;
  }
}
