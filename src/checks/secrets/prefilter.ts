/**
 * The keyword prefilter (gitleaks' idea): most lines contain no keyword of any
 * rule, and one combined, case-insensitive regex rejects them at native
 * speed. Only the rules whose keywords occur in a line then run their patterns.
 */

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
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
    const source = all.map(escapeRegExp).join("|");
    this.any = new RegExp(source, "i");
    this.each = new RegExp(source, "g");
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
