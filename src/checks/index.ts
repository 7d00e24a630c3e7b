import type { Family } from "../review/types.js";
import type { Check } from "./types.js";

/**
 * Every family's checks, loaded on demand: a review of a Dockerfile never
 * loads the lockfile parsers or the popular-package lists. A family adds
 * itself here once.
 */
const FAMILY_MODULES: Partial<Record<Family, () => Promise<{ checks: Check[] }>>> = {
  docker: () => import("./docker/index.js"),
  actions: () => import("./actions/index.js"),
  deps: () => import("./deps/index.js"),
  secrets: () => import("./secrets/index.js"),
  meta: () => import("./meta/index.js"),
};

/** Families whose checks look at every text file (`families: "all"`), so they always load. */
export const ALWAYS_LOADED: readonly Family[] = ["secrets", "meta"];

const loaded = new Map<Family, Promise<Check[]>>();

function loadFamily(family: Family): Promise<Check[]> {
  let p = loaded.get(family);
  if (!p) {
    const load = FAMILY_MODULES[family];
    p = load ? load().then((m) => m.checks) : Promise.resolve([]);
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
