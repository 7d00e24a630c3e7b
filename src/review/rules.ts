import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FAMILIES, SEVERITIES } from "./types.js";

/**
 * The rule catalogue: one YAML file per rule under `rules/<family>/<name>.yml`.
 * Rules are data (what, why, how to fix, references, examples); the checks in
 * `src/checks/` decide where a rule applies.
 */

const example = z
  .object({
    /** Path the example is reviewed as; defaults to the family's usual file name. */
    path: z.string().min(1).optional(),
    /** Head text. */
    code: z.string(),
    /** Base text: when present, the example is a modification and only new findings count. */
    base: z.string().optional(),
    /** For bad examples: the exact lines the rule must report (all of them, no others). */
    lines: z.array(z.number().int().positive()).optional(),
    note: z.string().optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
    title: z.string().min(3).max(120),
    severity: z.union([z.enum(SEVERITIES), z.literal("off")]),
    /** When `off`, the severity the rule reports with once a user turns it on. */
    "enabled-severity": z.enum(SEVERITIES).optional(),
    description: z.string().min(10),
    remediation: z.string().min(10),
    /** One line shown next to every finding. */
    fix: z.string().min(5).max(200),
    references: z
      .object({
        cwe: z.array(z.string().regex(/^CWE-\d+$/)).default([]),
        equivalents: z.record(z.string(), z.array(z.string())).default({}),
        links: z.array(z.url()).default([]),
      })
      .strict(),
    aliases: z.array(z.string()).default([]),
    examples: z
      .object({
        bad: z.array(example).min(1),
        good: z.array(example).min(1),
      })
      .strict(),
  })
  .strict();

export type RuleMeta = z.output<typeof ruleSchema> & { family: (typeof FAMILIES)[number] };
export type RuleExample = z.output<typeof example>;

export class RuleCatalogError extends Error {}

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

export function parseRuleFile(text: string, source: string): RuleMeta {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new RuleCatalogError(`${source}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new RuleCatalogError(`${source}: ${detail}`);
  }
  const family = parsed.data.id.split("/")[0] as RuleMeta["family"];
  if (!(FAMILIES as readonly string[]).includes(family)) {
    throw new RuleCatalogError(`${source}: unknown family "${family}"`);
  }
  const expected = source.replace(/\\/g, "/").match(/([a-z0-9-]+\/[a-z0-9-]+)\.ya?ml$/)?.[1];
  if (expected && expected !== parsed.data.id) {
    throw new RuleCatalogError(`${source}: id "${parsed.data.id}" does not match its path (${expected})`);
  }
  if (parsed.data.severity === "off" && !parsed.data["enabled-severity"]) {
    throw new RuleCatalogError(`${source}: a rule that is off by default needs enabled-severity`);
  }
  return { ...parsed.data, family };
}

/** Reads and validates every `rules/<family>/<name>.yml`. */
export function readRuleFiles(rulesDir: string): RuleMeta[] {
  const out: RuleMeta[] = [];
  for (const family of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!family.isDirectory()) continue;
    for (const file of readdirSync(join(rulesDir, family.name)).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      const path = join(rulesDir, family.name, file);
      out.push(parseRuleFile(readFileSync(path, "utf8"), `rules/${family.name}/${file}`));
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
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
 * The shipped catalogue. A build writes `dist/rules.json` (validated at build
 * time) so the CLI starts without parsing a hundred YAML files; tests and
 * development read `rules/` directly.
 */
export function ruleCatalog(): RuleCatalog {
  if (cached) return cached;
  const compiled = join(here, "..", "..", "rules.json");
  if (existsSync(compiled)) {
    cached = new RuleCatalog(JSON.parse(readFileSync(compiled, "utf8")) as RuleMeta[]);
  } else {
    cached = new RuleCatalog(readRuleFiles(join(packageRoot(), "rules")));
  }
  return cached;
}

/** The docs page of a rule, relative to the repository root. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
