import type { Dependency, DependencyDiff } from "./model.js";

/** Wording shared by the deps/ messages, so every finding names a dependency the same way. */

/** `lodash@4.17.21`, `lodash (^4.17.0)`, or the bare name. */
export function depLabel(dep: Dependency): string {
  if (dep.version) return `\`${dep.name}@${dep.version}\``;
  if (dep.range && dep.range !== "*" && !dep.source) return `\`${dep.name}\` (\`${dep.range}\`)`;
  return `\`${dep.name}\``;
}

export function versionText(dep: Dependency | undefined): string | undefined {
  if (!dep) return undefined;
  return dep.version ?? dep.range ?? dep.source;
}

/** The line a finding about this diff points at: the head entry, else the base entry. */
export function diffLine(diff: DependencyDiff): { line: number; side?: "LEFT" } {
  if (diff.after) return { line: diff.after.line };
  return { line: diff.before!.line, side: "LEFT" };
}

/** Bounded text for anchors and messages (a hostile lockfile can hold megabyte-long strings). */
export function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
