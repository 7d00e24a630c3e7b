import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { RuleCatalogError } from "./rule-catalog-error.js";
import type { RuleExample as Example, RuleMeta as Meta } from "./rule-files.js";

/**
 * The rule catalogue: one YAML file per rule under `rules/<family>/<name>.yml`.
 * Rules are data (what, why, how to fix, references, examples); the checks in
 * `src/checks/` decide where a rule applies. Parsing and validating the YAML
 * lives in `rule-files.ts`; a build compiles it to `dist/rules.json` so the
 * CLI starts without the YAML and schema libraries.
 */

export type RuleMeta = Meta;
export type RuleExample = Example;

export { RuleCatalogError };

const here = dirname(fileURLToPath(import.meta.url));

/** Finds the package root from either `src/review` (tests) or `dist/src/review` (built). */
export function packageRoot(): string {
  let dir = here;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "rules"))) return dir;
    dir = dirname(dir);
  }
  throw new RuleCatalogError(`cannot find the rules/ directory above ${here}`);
}

export class RuleCatalog {
  readonly byId: ReadonlyMap<string, RuleMeta>;
  private readonly aliases: ReadonlyMap<string, string>;

  constructor(readonly rules: readonly RuleMeta[]) {
    const byId = new Map<string, RuleMeta>();
    const aliases = new Map<string, string>();
    for (const r of rules) {
      if (byId.has(r.id)) throw new RuleCatalogError(`duplicate rule id ${r.id}`);
      byId.set(r.id, r);
      for (const a of r.aliases) aliases.set(a, r.id);
    }
    this.byId = byId;
    this.aliases = aliases;
  }

  /** The rule for an id or one of its aliases. */
  get(id: string): RuleMeta | undefined {
    return this.byId.get(id) ?? this.byId.get(this.aliases.get(id) ?? "");
  }

  require(id: string): RuleMeta {
    const r = this.get(id);
    if (!r) throw new RuleCatalogError(`unknown rule id ${id}`);
    return r;
  }

  ids(): Set<string> {
    return new Set([...this.byId.keys(), ...this.aliases.keys()]);
  }
}

let cached: RuleCatalog | undefined;

/**
 * `dist/rules.json` when this code runs from a build (`dist/src/review/` or
 * the bundled `dist/cli/`); none from the sources, which read `rules/` so an
 * edited rule shows at once.
 */
function compiledCatalogPath(): string | undefined {
  const parts = here.split(sep);
  const dist = parts.lastIndexOf("dist");
  return dist < 0 ? undefined : join(parts.slice(0, dist + 1).join(sep) || sep, "rules.json");
}

/**
 * The shipped catalogue. From a build it reads `dist/rules.json`; from the
 * sources (tests, development) `loadRuleCatalog()` must have run first —
 * the test setup does that.
 */
export function ruleCatalog(): RuleCatalog {
  if (cached) return cached;
  const compiled = compiledCatalogPath();
  if (!compiled || !existsSync(compiled)) {
    throw new RuleCatalogError(
      "rule catalogue not loaded: run `npm run build`, or await loadRuleCatalog() first",
    );
  }
  cached = new RuleCatalog(JSON.parse(readFileSync(compiled, "utf8")) as RuleMeta[]);
  return cached;
}

/** Loads the catalogue from `dist/rules.json` or, from the sources, from `rules/` (validating every file). */
export async function loadRuleCatalog(
  options: { onError?: (e: RuleCatalogError) => void } = {},
): Promise<RuleCatalog> {
  if (cached) return cached;
  const compiled = compiledCatalogPath();
  if (compiled && existsSync(compiled)) return ruleCatalog();
  const { readRuleFiles } = await import("./rule-files.js");
  cached = new RuleCatalog(readRuleFiles(join(packageRoot(), "rules"), options.onError));
  return cached;
}

/** The docs page of a rule, relative to the repository root. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
