import type { Family } from "../review/types.js";
import { ALWAYS_LOADED, FAMILY_MODULES } from "./registry.generated.js";
import type { Check } from "./types.js";

/**
 * Every family's checks, loaded on demand: a review of a Dockerfile never
 * loads the lockfile parsers or the popular-package lists. The list of
 * families and of each family's checks is generated from the files
 * (`scripts/generate-code.mjs`): a check module that exports a `defineCheck`
 * is found without being added anywhere by hand.
 */
export { ALWAYS_LOADED };

const loaded = new Map<Family, Promise<Check[]>>();

function loadFamily(family: Family): Promise<Check[]> {
  let p = loaded.get(family);
  if (!p) {
    const load = FAMILY_MODULES[family];
    p = load ? load().then((m) => [...m.checks]) : Promise.resolve([]);
    loaded.set(family, p);
  }
  return p;
}

/** The checks of the given families plus those that apply to every file. */
export async function loadChecks(families: Iterable<Family>): Promise<Check[]> {
  const wanted = new Set<Family>([...ALWAYS_LOADED, ...families]);
  const lists = await Promise.all([...wanted].sort().map(loadFamily));
  return lists.flat();
}

export function implementedFamilies(): Family[] {
  return Object.keys(FAMILY_MODULES) as Family[];
}

export async function loadAllChecks(): Promise<Check[]> {
  return loadChecks(implementedFamilies());
}
