import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileVersion } from "../types.js";

/**
 * CODEOWNERS decides who must approve changes to a path. A pull request that
 * removes owners from the files that build, ship and gate the software can
 * then merge changes to them without the people who guard them.
 */

const SENSITIVE =
  /(^|\/)(\.github|workflows?|codeowners|tollgate|dockerfile|containerfile|docker|terraform|infra|infrastructure|deploy|deployment|k8s|kubernetes|helm|charts|ansible|security|secrets?|\.gitlab-ci|jenkinsfile|\.circleci)|\.tf\b|package(-lock)?\.json|yarn\.lock|pnpm-lock|requirements|go\.(mod|sum)|gemfile|pom\.xml|gradle|cargo\.(toml|lock)|composer\.(json|lock)|^\*$|^\/?\*\*?$/i;

interface OwnerEntry {
  pattern: string;
  owners: string[];
  line: number;
}

function parseCodeowners(file: FileVersion): OwnerEntry[] {
  return file.memo("codeowners", () => {
    const entries: OwnerEntry[] = [];
    file.lines.forEach((raw, i) => {
      const text = raw.replace(/(^|\s)#.*$/, "").trim();
      if (!text) return;
      const [pattern, ...owners] = text.split(/\s+/);
      entries.push({ pattern: pattern!, owners: owners.map((o) => o.toLowerCase()), line: i + 1 });
    });
    return entries;
  });
}

/** Patterns that match every path. */
const CATCH_ALL = new Set(["*", "**", "/**"]);

/** `/infra/` and `infra/**` name the directory `infra`; a glob in a pattern is left as written. */
function directoryOf(pattern: string): string {
  return pattern
    .replace(/^\//, "")
    .replace(/\/\*\*?$/, "")
    .replace(/\/$/, "");
}

/**
 * The entry that owns a deleted pattern's paths now: the last one that matches
 * everything or names a directory above it. Only these plain cases are
 * followed; any other entry might still cover it, which the message says.
 */
function fallbackFor(pattern: string, entries: readonly OwnerEntry[]): OwnerEntry | undefined {
  const dir = directoryOf(pattern);
  let found: OwnerEntry | undefined;
  for (const e of entries) {
    if (e.pattern === pattern) continue;
    const parent = directoryOf(e.pattern);
    const plain = !/[*?[]/.test(parent);
    if (CATCH_ALL.has(e.pattern) || (plain && parent !== "" && dir.startsWith(`${parent}/`))) found = e;
  }
  return found;
}

const list = (owners: readonly string[]) => owners.join(", ");

/**
 * In CODEOWNERS any one owner of the last matching entry can approve, so
 * removing some owners while others stay, or handing a path to other owners,
 * still requires a code owner's review: worth a low note for reviewers. Only
 * a path left with no owner at all loses the review, which is the medium
 * finding.
 */
export const codeownersChanged = defineCheck({
  kind: "change",
  name: "meta/codeowners-changed",
  families: ["meta"],
  rules: ["meta/codeowners-changed"],
  run(change) {
    if (!/(^|\/)CODEOWNERS$/.test(change.path) || !change.base) return [];
    const before = new Map<string, OwnerEntry>();
    for (const e of parseCodeowners(change.base)) before.set(e.pattern, e);
    const headEntries = change.head ? parseCodeowners(change.head) : [];
    const after = new Map<string, OwnerEntry>();
    for (const e of headEntries) after.set(e.pattern, e);
    const out: RawFinding[] = [];
    for (const [pattern, old] of before) {
      if (!SENSITIVE.test(pattern) || old.owners.length === 0) continue;
      const now = after.get(pattern);
      if (now) {
        const lost = old.owners.filter((o) => !now.owners.includes(o));
        if (lost.length === 0) continue;
        const gained = now.owners.filter((o) => !old.owners.includes(o));
        const anchor = `${pattern}:${[...lost].sort().join(",")}`;
        if (now.owners.length === 0) {
          out.push({
            ruleId: "meta/codeowners-changed",
            line: now.line,
            message: `Removes every code owner of \`${pattern}\` (${list(old.owners)}), a security-relevant path: changes there no longer need a code owner's review.`,
            anchor,
          });
        } else if (gained.length > 0) {
          out.push({
            ruleId: "meta/codeowners-changed",
            line: now.line,
            severity: "low",
            message: `Ownership of \`${pattern}\`, a security-relevant path, moves from ${list(old.owners)} to ${list(now.owners)}: changes there will need a review from the new owners instead.`,
            fix: "Have the previous owners approve the handover.",
            anchor: `${anchor}->${[...gained].sort().join(",")}`,
          });
        } else {
          out.push({
            ruleId: "meta/codeowners-changed",
            line: now.line,
            severity: "low",
            message: `Removes ${list(lost)} as code owner${lost.length > 1 ? "s" : ""} of \`${pattern}\`, a security-relevant path; ${list(now.owners)} still own${now.owners.length > 1 ? "" : "s"} it, so changes there still need a code owner's review.`,
            fix: "Have the removed owners approve the change.",
            anchor,
          });
        }
        continue;
      }
      const fallback = fallbackFor(pattern, headEntries);
      const anchor = `${pattern}:${[...old.owners].sort().join(",")}`;
      if (fallback && fallback.owners.length > 0) {
        const same =
          fallback.owners.length === old.owners.length &&
          old.owners.every((o) => fallback.owners.includes(o));
        if (same) continue;
        out.push({
          ruleId: "meta/codeowners-changed",
          line: old.line,
          side: "LEFT",
          severity: "low",
          message: `Deletes the CODEOWNERS entry for \`${pattern}\`, a security-relevant path: its ownership moves from ${list(old.owners)} to ${list(fallback.owners)} (line ${fallback.line}, \`${fallback.pattern}\`).`,
          fix: "Have the previous owners approve the handover.",
          anchor: `${anchor}->${fallback.pattern}`,
        });
        continue;
      }
      out.push({
        ruleId: "meta/codeowners-changed",
        line: old.line,
        side: "LEFT",
        message: `Deletes the CODEOWNERS entry for \`${pattern}\` (owners ${list(old.owners)}), a security-relevant path, and no remaining entry that matches everything or a directory above it has owners: unless a more specific pattern still covers it, changes there no longer need a code owner's review.`,
        anchor,
      });
    }
    return out;
  },
});
