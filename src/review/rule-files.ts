import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { RuleCatalogError } from "./rule-catalog-error.js";
import { FAMILIES, type RuleId, SEVERITIES } from "./types.js";

/** Reading and validating `rules/<family>/<name>.yml` (build time, tests, docs). */

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

/** A rule of the catalogue; its id is one of the generated `RuleId`s (src/review/rule-ids.generated.ts). */
export type RuleMeta = Omit<z.output<typeof ruleSchema>, "id"> & {
  id: RuleId;
  family: (typeof FAMILIES)[number];
};
export type RuleExample = z.output<typeof example>;

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
  return { ...parsed.data, id: parsed.data.id as RuleId, family };
}

/**
 * Reads and validates every `rules/<family>/<name>.yml`. Throws on the first
 * bad file unless `onError` takes it (then that file is left out).
 */
export function readRuleFiles(rulesDir: string, onError?: (e: RuleCatalogError) => void): RuleMeta[] {
  const out: RuleMeta[] = [];
  for (const family of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!family.isDirectory()) continue;
    for (const file of readdirSync(join(rulesDir, family.name)).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      const path = join(rulesDir, family.name, file);
      try {
        out.push(parseRuleFile(readFileSync(path, "utf8"), `rules/${family.name}/${file}`));
      } catch (e) {
        if (!onError || !(e instanceof RuleCatalogError)) throw e;
        onError(e);
      }
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
