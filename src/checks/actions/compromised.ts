import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { packageRoot } from "../../review/rules.js";
import { SEVERITIES } from "../../review/types.js";

/**
 * The shipped list of known-compromised actions (`data/known-compromised.yml`),
 * validated with zod. It is data so that a new incident ships without code.
 */

const sha = z.string().regex(/^[0-9a-f]{40}$/i, "a 40-hex commit SHA");

const advisorySchema = z
  .object({
    action: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/repo")
      .transform((s) => s.toLowerCase()),
    id: z.string().min(3),
    aliases: z.array(z.string()).default([]),
    summary: z.string().min(10),
    severity: z.enum(SEVERITIES).optional(),
    affected: z
      .object({
        versions: z
          .string()
          .refine((r) => semver.validRange(r) !== null, "a semver range")
          .optional(),
        refs: z.array(z.string().min(1)).default([]),
        shas: z.array(sha).default([]),
        "any-tag": z.boolean().default(false),
      })
      .strict(),
    fixed: z.string().optional(),
    url: z.url().optional(),
  })
  .strict();

export const compromisedListSchema = z.object({ advisories: z.array(advisorySchema) }).strict();

export type CompromisedAdvisory = z.output<typeof advisorySchema>;

const DATA = ["checks", "actions", "data", "known-compromised.yml"];

/**
 * The build copies only TypeScript output to dist/, so the file is read from
 * the package root's src/ (development, npm package) or, for an image that
 * ships only dist/, from a copy next to the compiled module.
 */
export function dataFilePath(): string {
  const root = packageRoot();
  const candidates = [join(root, "src", ...DATA), join(root, "dist", "src", ...DATA)];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

/** Parses and validates the list; throws with every problem named by its key path. */
export function parseCompromisedList(text: string, source = "known-compromised.yml"): CompromisedAdvisory[] {
  const parsed = compromisedListSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`${source}: ${detail}`);
  }
  return parsed.data.advisories;
}

let cached: CompromisedAdvisory[] | undefined;

export function knownCompromised(): CompromisedAdvisory[] {
  cached ??= parseCompromisedList(readFileSync(dataFilePath(), "utf8"), dataFilePath());
  return cached;
}

/** The advisories that affect `owner/repo@ref`. */
export function advisoriesFor(
  action: string,
  ref: string,
  list: readonly CompromisedAdvisory[] = knownCompromised(),
): CompromisedAdvisory[] {
  const name = action.toLowerCase();
  return list.filter((a) => a.action === name && affects(a, ref));
}

function affects(a: CompromisedAdvisory, ref: string): boolean {
  if (/^[0-9a-f]{40}$/i.test(ref)) return a.affected.shas.some((s) => s.toLowerCase() === ref.toLowerCase());
  if (a.affected["any-tag"]) return true;
  if (a.affected.refs.some((r) => r.toLowerCase() === ref.toLowerCase())) return true;
  const range = a.affected.versions;
  if (!range) return false;
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ref);
  if (!m) return false;
  if (m[3] !== undefined) return semver.satisfies(`${m[1]}.${m[2]}.${m[3]}`, range);
  // A floating tag (`v45`, `v45.1`) moves within its line: affected when any version of the line is.
  const line = m[2] === undefined ? `${m[1]}.x` : `${m[1]}.${m[2]}.x`;
  return semver.intersects(line, range);
}
