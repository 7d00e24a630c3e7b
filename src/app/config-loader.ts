import { type Config, type ConfigIssue, defaultConfig, validateConfig } from "../review/config.js";
import type { RepoRef } from "./gateway.js";
import type { Octokit } from "./types.js";

/**
 * Tollgate's configuration comes from the base repository's default branch
 * (or the owner's `.github` repository), never from the pull request, so a
 * pull request cannot loosen its own gate. A PR that edits the file gets it
 * validated by `meta/tollgate-config-changed` instead.
 */

export const CONFIG_FILE = "tollgate.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export type LoadedConfig =
  | { ok: true; config: Config; source: string }
  | { ok: false; issues: ConfigIssue[]; source: string; onError: Config["on-error"] };

/** Errors the config plugin raises for a file it found but could not read as configuration. */
const PLUGIN_ERROR = "[@probot/octokit-plugin-config]";

export async function loadRepoConfig(
  octokit: Octokit,
  ref: RepoRef,
  knownRules: ReadonlySet<string>,
): Promise<LoadedConfig> {
  let merged: Record<string, unknown> = {};
  let source = `${ref.owner}/${ref.repo}:${CONFIG_PATH} (default branch)`;
  try {
    const { files } = await octokit.config.get({ ...ref, path: CONFIG_PATH });
    const found = files.filter((f) => f.config !== null);
    if (found.length === 0)
      return { ok: true, config: defaultConfig, source: "defaults (no .github/tollgate.yml)" };
    source = found.map((f) => `${f.owner}/${f.repo}:${f.path}`).join(" ← ");
    // `_extends` chains are listed nearest first; the nearest file wins.
    merged = found
      .map((f) => f.config as Record<string, unknown>)
      .reduceRight<Record<string, unknown>>((base, nearer) => deepMerge(base, nearer), {});
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (!message.startsWith(PLUGIN_ERROR)) throw e;
    return {
      ok: false,
      source,
      issues: [{ path: "", message: message.slice(PLUGIN_ERROR.length).trim() }],
      onError: "failure",
    };
  }
  delete merged._extends;
  const { config, issues } = validateConfig(merged, knownRules);
  if (config) return { ok: true, config, source };
  const onError = merged["on-error"] === "neutral" ? "neutral" : "failure";
  return { ok: false, issues, source, onError };
}

/**
 * An `_extends` chain merges key by key, as Probot's config plugin does: a
 * repository that sets only `deps.vulnerabilities` keeps the organisation's
 * other `deps` settings. Lists and values from the nearer file replace the
 * farther one's.
 */
export function deepMerge(
  base: Record<string, unknown>,
  nearer: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(nearer)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
