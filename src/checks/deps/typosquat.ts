import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { CheckContext } from "../types.js";
import { clip } from "./describe.js";
import { type Dependency, diffDependencies } from "./model.js";
import { describeReason, TyposquatIndex } from "./typosquat-index.js";

/**
 * deps/typosquat: a dependency the change adds whose name imitates a popular
 * package it is not. Popular names: npm from `npm-high-impact` (its download
 * and dependents rankings), PyPI from the committed `data/pypi-popular.txt`
 * (see scripts/generate-pypi-popular.mjs).
 */

/** How many of the most popular names are worth imitating; the rest of each list only exempts. */
const TARGETS = 5_000;
/**
 * One edit away from a mid-ranked name is often another word (`matches` /
 * `matcher`): the one-edit test compares against the top of the list only.
 */
const EDIT_TARGETS = 2_500;
/**
 * npm's most depended-on packages are targets too, whatever their downloads:
 * `mongoose`, `bcrypt`, `ethers`, `puppeteer`, `electron`, `discord.js` rank
 * below 2,500 by downloads (an application installs them once; a library
 * pulls them everywhere) but are what a squat of an application dependency imitates.
 */
const DEPENDENT_TARGETS = 2_500;
const DEPENDENT_EDIT_TARGETS = 1_000;

type NpmLists = typeof import("npm-high-impact");

/**
 * `npm-high-impact` is about 0.9 MB of JavaScript: compiling it cost a commit hook
 * (`review --staged`) a third of its start-up. So it is imported only when a change
 * adds an npm dependency; `typosquatIndex("npm")` needs it loaded first.
 */
let npmLists: NpmLists | undefined;
let loadingNpmLists: Promise<NpmLists> | undefined;

export function loadNpmLists(): Promise<NpmLists> {
  loadingNpmLists ??= import("npm-high-impact").then((lists) => {
    npmLists = lists;
    return lists;
  });
  return loadingNpmLists;
}

function loadedNpmLists(): NpmLists {
  if (!npmLists) throw new Error("the npm popularity lists are not loaded: await loadNpmLists() first");
  return npmLists;
}

/** Two rankings merged rank by rank (1st of each, 2nd of each, …), without repeats. */
function interleave(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    for (const name of [a[i], b[i]]) {
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        out.push(name);
      }
    }
  }
  return out;
}

/**
 * The npm names the index is built from, most popular first, and how many of
 * them are targets: the one-edit targets (top downloads ∪ top dependents)
 * first, then the other targets, then every other high-impact name (exempt only).
 */
export function npmRanking(lists: NpmLists = loadedNpmLists()): {
  names: string[];
  targets: number;
  editTargets: number;
} {
  const { npmHighImpact, npmTopDependents, npmTopDownloads } = lists;
  const edit = interleave(
    npmTopDownloads.slice(0, EDIT_TARGETS),
    npmTopDependents.slice(0, DEPENDENT_EDIT_TARGETS),
  );
  const names = [...edit];
  const seen = new Set(names);
  const add = (list: readonly string[]) => {
    for (const name of list) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  };
  add(interleave(npmTopDownloads.slice(0, TARGETS), npmTopDependents.slice(0, DEPENDENT_TARGETS)));
  const targets = names.length;
  add(npmHighImpact);
  return { names, targets, editTargets: edit.length };
}

const pep503 = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

const LOCAL_SOURCE = /^(file:|link:|portal:|workspace:|\.{1,2}(\/|$)|\/|~\/)/i;

const indexes = new Map<string, TyposquatIndex | null>();

/** The index for an ecosystem, built on first use; null when Tollgate has no popularity list for it. */
export function typosquatIndex(ecosystem: string): TyposquatIndex | null {
  let index = indexes.get(ecosystem);
  if (index !== undefined) return index;
  if (ecosystem === "npm") {
    const { names, targets, editTargets } = npmRanking();
    index = new TyposquatIndex(names, { targets, editTargets });
  } else if (ecosystem === "PyPI") {
    const names = readPypiPopular();
    index = names.length
      ? new TyposquatIndex(names, { targets: TARGETS, editTargets: EDIT_TARGETS, normalise: pep503 })
      : null;
  } else {
    index = null;
  }
  indexes.set(ecosystem, index);
  return index;
}

/** Finds the data file from `src/checks/deps` (tests) or `dist/src/checks/deps` (built). */
function readPypiPopular(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [
      join(dir, "data", "pypi-popular.txt"),
      join(dir, "src/checks/deps/data/pypi-popular.txt"),
    ]) {
      if (existsSync(candidate)) {
        return readFileSync(candidate, "utf8")
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith("#"));
      }
    }
    dir = dirname(dir);
  }
  return [];
}

const warned = new WeakSet<CheckContext>();

/** An install without the data file must say so rather than silently pass every PyPI name. */
function warnMissingList(ctx: CheckContext) {
  if (warned.has(ctx)) return;
  warned.add(ctx);
  ctx.note({
    level: "warning",
    message:
      "the list of popular PyPI names (src/checks/deps/data/pypi-popular.txt) is missing from this installation, so Python dependencies were not checked for typosquats",
  });
}

function finding(dep: Dependency, ctx: CheckContext): RawFinding[] {
  const index = typosquatIndex(dep.ecosystem);
  if (index === null && dep.ecosystem === "PyPI") warnMissingList(ctx);
  const match = index?.match(dep.name);
  if (!match) return [];
  const name = clip(dep.name, 100);
  return [
    {
      ruleId: "deps/typosquat",
      line: dep.line,
      message: `\`${name}\` looks like a typosquat of the popular ${dep.ecosystem} package \`${match.target}\`: ${describeReason(match.reason)}. Check that \`${name}\` is the package you meant.`,
      anchor: `typosquat:${dep.ecosystem}:${name}`,
      fix: `Use \`${match.target}\` if that is what you meant; if \`${name}\` is intended, add it to deps.typosquat-allow.`,
    },
  ];
}

export const typosquat = defineCheck({
  kind: "change",
  name: "deps/typosquat",
  families: ["deps"],
  rules: ["deps/typosquat"],
  run(change, ctx) {
    const allowed = new Set(ctx.config.deps["typosquat-allow"].flatMap((n) => [n.toLowerCase(), pep503(n)]));
    const candidates: Dependency[] = [];
    for (const diff of diffDependencies(change)) {
      if (!diff.after) continue;
      // A new name: added, or swapped in under an existing key (`"express": "npm:expresss@4"`).
      if (diff.kind !== "added" && diff.before?.name === diff.after.name) continue;
      const dep: Dependency = diff.after;
      // The repository's own packages (workspaces, local paths) are not downloaded by name.
      if (dep.source && LOCAL_SOURCE.test(dep.source)) continue;
      if (allowed.has(dep.name.toLowerCase()) || allowed.has(pep503(dep.name))) continue;
      candidates.push(dep);
    }
    if (candidates.length === 0) return [];
    const report = () => {
      const reported = new Set<string>();
      return candidates.flatMap((dep) => {
        if (reported.has(dep.name)) return [];
        const found = finding(dep, ctx);
        if (found.length > 0) reported.add(dep.name);
        return found;
      });
    };
    return candidates.some((dep) => dep.ecosystem === "npm") ? loadNpmLists().then(report) : report();
  },
});
