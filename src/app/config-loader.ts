import { parse as parseYaml } from "yaml";
import { type Config, type ConfigIssue, defaultConfig, validateConfig } from "../review/config.js";
import { oneLine, reasonOf } from "./fail-closed.js";
import { requestIdOf } from "./github/errors.js";
import type { ConfigFile, GitHubPort } from "./github/port.js";

/**
 * Tollgate's configuration comes from the base repository's default branch
 * (or the owner's `.github` repository), never from the pull request, so a
 * pull request cannot loosen its own gate. A PR that edits the file gets it
 * validated by `meta/tollgate-config-changed` instead.
 *
 * A configuration that cannot be read or used never means "no configuration":
 * the run concludes with its `on-error` (read from the nearest file when the
 * chain as a whole cannot be), and `failure` when not even that can be read.
 */

export const CONFIG_FILE = "tollgate.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

type OnError = Config["on-error"];

export type LoadedConfig =
  | { ok: true; config: Config; source: string }
  | { ok: false; issues: ConfigIssue[]; source: string; onError: OnError };

/** GitHub would not give a file of the `_extends` chain (a 403, a 5xx, the network): not a configuration problem, but no configuration either. */
export class ConfigLoadError extends Error {
  constructor(
    message: string,
    readonly onError: OnError,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ConfigLoadError";
  }
}

/** Errors the config plugin raises for a file it found but could not read as configuration. */
const PLUGIN_ERROR = "[@probot/octokit-plugin-config]";
/** Read only to learn `on-error` after the chain failed; a real configuration is a few kB. */
const MAX_CONFIG_BYTES = 1_000_000;

export async function loadRepoConfig(
  github: GitHubPort,
  knownRules: ReadonlySet<string>,
): Promise<LoadedConfig> {
  const ref = github.repo;
  let source = `${ref.owner}/${ref.repo}:${CONFIG_PATH} (default branch)`;
  let files: ConfigFile[];
  try {
    files = await github.getConfigChain(CONFIG_PATH);
  } catch (e) {
    const onError = await nearestOnError(github);
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith(PLUGIN_ERROR))
      return {
        ok: false,
        source,
        issues: [{ path: "", message: message.slice(PLUGIN_ERROR.length).trim() }],
        onError,
      };
    throw new ConfigLoadError(`${readTarget(e)}${reasonOf(e)}`, onError, requestIdOf(e));
  }
  const found = files.filter((f) => f.config !== null);
  if (found.length === 0)
    return { ok: true, config: defaultConfig, source: "defaults (no .github/tollgate.yml)" };
  source = found.map(nameOf).join(" ← ");
  const mappings = found.filter((f) => isPlainObject(f.config));
  // `_extends` chains are listed nearest first; the nearest file wins.
  const merged = mappings
    .map((f) => f.config as Record<string, unknown>)
    .reduceRight<Record<string, unknown>>((base, nearer) => deepMerge(base, nearer), {});
  delete merged._extends;
  const onError: OnError = merged["on-error"] === "neutral" ? "neutral" : "failure";

  const notMapping = found.find((f) => !isPlainObject(f.config));
  if (notMapping)
    return {
      ok: false,
      source,
      onError,
      issues: [{ path: "", message: `${nameOf(notMapping)} is not a mapping of settings` }],
    };
  const missing = missingExtendsTarget(files);
  if (missing)
    return {
      ok: false,
      source,
      onError,
      issues: [
        {
          path: "_extends",
          message: `${nameOf(missing)} does not exist or this app cannot read it (install the app on that repository)`,
        },
      ],
    };
  let validated: ReturnType<typeof validateConfig>;
  try {
    validated = validateConfig(merged, knownRules);
  } catch (e) {
    return {
      ok: false,
      source,
      onError,
      issues: [{ path: "", message: `could not be validated: ${reasonOf(e)}` }],
    };
  }
  if (validated.config) return { ok: true, config: validated.config, source };
  return { ok: false, issues: validated.issues, source, onError };
}

function nameOf(f: Pick<ConfigFile, "owner" | "repo" | "path">): string {
  return `${f.owner}/${f.repo}:${f.path}`;
}

/**
 * The plugin reads the repository's file, then the owner's `.github` one only
 * when the first is absent, then one file per `_extends`. A file absent after
 * one that was found is therefore an `_extends` target GitHub answered 404 for
 * (missing, or a private repository the app is not installed on), which the
 * plugin skips silently: the organisation's settings would vanish unnoticed.
 */
function missingExtendsTarget(files: readonly ConfigFile[]): ConfigFile | undefined {
  for (let i = 1; i < files.length; i++)
    if (files[i]!.config === null && files[i - 1]!.config !== null) return files[i];
  return undefined;
}

/** "reading o/r:path: " for a failed contents request, so the run names the file GitHub refused. */
function readTarget(error: unknown): string {
  const url = (error as { request?: { url?: unknown } })?.request?.url;
  if (typeof url !== "string") return "";
  const m = /\/repos\/([^/?#]+)\/([^/?#]+)\/contents\/([^?#]+)/.exec(url);
  if (!m) return "";
  let path = m[3]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep it as sent
  }
  return `reading ${oneLine(`${m[1]}/${m[2]}:${path}`)}: `;
}

/**
 * `on-error` of the nearest configuration file on its own, for when the chain
 * it starts could not be loaded: the repository's (or, without one, the
 * owner's `.github`) file. `failure` when that cannot be read either.
 */
export async function nearestOnError(github: GitHubPort): Promise<OnError> {
  const ref = github.repo;
  try {
    const repos = ref.repo === ".github" ? [ref.repo] : [ref.repo, ".github"];
    for (const repo of repos) {
      const bytes = await github.getDefaultBranchFile(repo, CONFIG_PATH, MAX_CONFIG_BYTES);
      if (bytes === null) continue;
      if (bytes.byteLength > MAX_CONFIG_BYTES) return "failure";
      const parsed: unknown = parseYaml(new TextDecoder().decode(bytes), { logLevel: "error" });
      return isPlainObject(parsed) && parsed["on-error"] === "neutral" ? "neutral" : "failure";
    }
  } catch {
    // Unreadable: the default applies.
  }
  return "failure";
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
