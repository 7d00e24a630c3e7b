import type { RawFinding } from "../../review/types.js";
import type { ChangeCheck, FileVersion } from "../types.js";

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

export const codeownersChanged: ChangeCheck = {
  kind: "change",
  name: "meta/codeowners-changed",
  families: ["meta"],
  rules: ["meta/codeowners-changed"],
  run(change) {
    if (!/(^|\/)CODEOWNERS$/.test(change.path) || !change.base) return [];
    const before = new Map<string, OwnerEntry>();
    for (const e of parseCodeowners(change.base)) before.set(e.pattern, e);
    const after = new Map<string, OwnerEntry>();
    for (const e of change.head ? parseCodeowners(change.head) : []) after.set(e.pattern, e);
    const out: RawFinding[] = [];
    for (const [pattern, old] of before) {
      if (!SENSITIVE.test(pattern) || old.owners.length === 0) continue;
      const now = after.get(pattern);
      const lost = old.owners.filter((o) => !now?.owners.includes(o));
      if (lost.length === 0) continue;
      const anchor = `${pattern}:${lost.sort().join(",")}`;
      if (now) {
        out.push({
          ruleId: "meta/codeowners-changed",
          line: now.line,
          message: `Removes ${lost.join(", ")} as code owner${lost.length > 1 ? "s" : ""} of \`${pattern}\`, a security-relevant path: changes there would no longer need their review.`,
          anchor,
        });
      } else {
        out.push({
          ruleId: "meta/codeowners-changed",
          line: old.line,
          side: "LEFT",
          message: `Deletes the CODEOWNERS entry for \`${pattern}\` (owners ${old.owners.join(", ")}), a security-relevant path: changes there would no longer need their review.`,
          anchor,
        });
      }
    }
    return out;
  },
};
