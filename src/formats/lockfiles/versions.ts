import semver from "semver";
import type { Ecosystem } from "./types.js";

/**
 * Version order per ecosystem, shared by the dependency diff and the OSV
 * mapping (which names the fixed version of the queried release line). It is
 * knowledge of the formats, so it sits in `formats/` where both can import it;
 * kept apart from the parsers so the OSV client does not load them.
 */

/**
 * Orders two versions of one ecosystem: negative when `a` is lower. Uses
 * semver where both parse, else a tolerant dotted comparison (PEP 440, Maven,
 * RubyGems look alike for ordering purposes). Undefined when either is missing.
 */
export function compareVersions(
  ecosystem: Ecosystem | string,
  a: string | undefined,
  b: string | undefined,
): number | undefined {
  if (!a || !b) return undefined;
  const strip = (v: string) => (ecosystem === "Go" ? v.replace(/^v/, "") : v).replace(/\+incompatible$/, "");
  // Loose semver reads a fourth number as a pre-release (`2.9.10.7` → `2.9.1-0.7`): such versions compare by parts.
  const sa = FOUR_PARTS.test(a) ? null : semver.valid(strip(a), { loose: true });
  const sb = FOUR_PARTS.test(b) ? null : semver.valid(strip(b), { loose: true });
  if (sa && sb) return semver.compare(sa, sb, { loose: true });
  return looseCompare(strip(a), strip(b));
}

const FOUR_PARTS = /^[v=\s]*\d+\.\d+\.\d+\.\d/;

const PRE_RELEASE = /^(a|b|c|rc|alpha|beta|pre|preview|dev|snapshot|m|milestone|cr)\d*$/i;

function looseCompare(a: string, b: string): number {
  const ta = a
    .toLowerCase()
    .split(/[.\-+_~]/)
    .filter(Boolean);
  const tb = b
    .toLowerCase()
    .split(/[.\-+_~]/)
    .filter(Boolean);
  const n = Math.max(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    // A version that stops where the other continues with a pre-release tag is the higher one.
    if (x === undefined) return PRE_RELEASE.test(y!) ? 1 : -1;
    if (y === undefined) return PRE_RELEASE.test(x) ? -1 : 1;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    if (nx !== undefined) return 1;
    if (ny !== undefined) return -1;
    // split "1rc2"-style tokens no further: lexical order is good enough for tags
    return x < y ? -1 : 1;
  }
  return 0;
}
