import type { RawFinding } from "../../review/types.js";
import type { ChangeCheck } from "../types.js";
import { clip, depLabel } from "./describe.js";
import { dependencyView } from "./model.js";

/**
 * The same package at the same version cannot honestly get other bytes: a
 * changed or deleted integrity hash on an unchanged version is how a lockfile
 * is tampered with (the tarball swapped, or the check switched off), and it
 * hides in thousands of lines nobody reads. Moving to a stronger algorithm
 * (npm rewriting sha1 as sha512) is not a change of content and is not reported.
 */
export const lockfileIntegrityChanged: ChangeCheck = {
  kind: "change",
  name: "deps/lockfile-integrity-changed",
  families: ["deps"],
  rules: ["deps/lockfile-integrity-changed"],
  run(change) {
    const out: RawFinding[] = [];
    for (const diff of dependencyView(change).diffs) {
      if (diff.kind !== "changed" || !diff.before || !diff.after) continue;
      const { before, after } = diff;
      if ((before.version ?? before.range) !== (after.version ?? after.range)) continue;
      const verdict = compareIntegrity(before.integrity, after.integrity);
      if (!verdict) continue;
      const what =
        verdict === "removed"
          ? "lost its integrity hash"
          : verdict === "weakened"
            ? "now has only a weaker integrity hash"
            : "has a different integrity hash";
      out.push({
        ruleId: "deps/lockfile-integrity-changed",
        line: after.line,
        message: `${depLabel(after)} ${what} for the same version: the lockfile no longer verifies the package that was reviewed before. Regenerate it from the registry and compare.`,
        anchor: `${after.key}@${after.version ?? after.range ?? ""}:${verdict}:${clip(after.integrity ?? "", 120)}`,
        evidence: after.integrity ? clip(after.integrity, 120) : undefined,
      });
    }
    return out;
  },
};

const STRENGTH: Record<string, number> = { md5: 1, sha1: 2, sha256: 3, h1: 3, sha384: 4, sha512: 5 };

/** The hashing algorithm of one integrity token: `sha512-…`, `sha256:…`, `h1:…`; `plain` for a bare hex digest. */
function algorithm(token: string): string {
  return /^([a-z][a-z0-9]*)[-:]/i.exec(token)?.[1]?.toLowerCase() ?? "plain";
}

/**
 * How an integrity value changed, or undefined when the head still verifies
 * the same content: for each algorithm both versions use, at least one base
 * digest must survive (new wheel hashes may be added beside old ones).
 */
export function compareIntegrity(
  before: string | undefined,
  after: string | undefined,
): "removed" | "changed" | "weakened" | undefined {
  if (!before) return undefined;
  if (!after) return "removed";
  const byAlgo = (s: string) => {
    const m = new Map<string, Set<string>>();
    for (const t of s.split(/\s+/).filter(Boolean)) {
      const a = algorithm(t);
      if (!m.has(a)) m.set(a, new Set());
      m.get(a)!.add(t);
    }
    return m;
  };
  const b = byAlgo(before);
  const a = byAlgo(after);
  let common = 0;
  for (const [algo, tokens] of b) {
    const next = a.get(algo);
    if (!next) continue;
    common++;
    if (![...tokens].some((t) => next.has(t))) return "changed";
  }
  if (common > 0) return undefined;
  const strongest = (m: Map<string, Set<string>>) =>
    Math.max(0, ...[...m.keys()].map((k) => STRENGTH[k] ?? 3));
  return strongest(a) < strongest(b) ? "weakened" : undefined;
}
