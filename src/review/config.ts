import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from "yaml";
import { z } from "zod";
import { duplicateKeyErrors } from "../formats/yaml.js";
import {
  ConfigError,
  type ConfigIssue,
  DEFAULT_FIXTURE_GLOBS,
  defaultConfig,
  FAMILY_MAX_FILE_BYTES,
} from "./defaults.js";
import { SEVERITIES } from "./types.js";

export { ConfigError, type ConfigIssue, defaultConfig };

/**
 * `.github/tollgate.yml`. One zod schema gives the TypeScript type, the
 * validation (unknown keys are errors, named by their key path) and the JSON
 * Schema exported for editors (`npm run schema`).
 */

const severity = z.enum(SEVERITIES);
const ruleSetting = z.enum(["off", ...SEVERITIES]);
// A glob compiles to a regular expression: an unbounded one is a configuration that breaks the engine.
const glob = z.string().min(1).max(1024);
const fileBytes = z.number().int().min(1024).max(100_000_000);

export const configSchema = z
  .object({
    "fail-on": severity.default("high").describe("Lowest severity of a new finding that fails the check."),
    rules: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, "not a rule id"), ruleSetting)
      .default({})
      .describe("Per rule id: `off`, or the severity to report it with."),
    paths: z
      .object({
        ignore: z.array(glob).max(1000).default([]).describe("Globs (minimatch) of paths never reviewed."),
        fixtures: z
          .array(glob)
          .max(1000)
          .default([...DEFAULT_FIXTURE_GLOBS])
          .describe(
            "Globs (minimatch) of test-fixture paths: their findings are reported but do not fail the check in a review (secrets and invisible characters still do). `[]` turns this off.",
          ),
      })
      .strict()
      .default({ ignore: [], fixtures: [...DEFAULT_FIXTURE_GLOBS] }),
    "max-comments": z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(25)
      .describe("Most inline review comments per review; the rest stay in the check run."),
    "max-file-bytes": z
      .number()
      .int()
      .min(1024)
      .max(50_000_000)
      .default(1_000_000)
      .describe(
        "Largest file Tollgate reads whole when no family below claims it (secrets are searched in added lines of any size). Dependency files use `deps.max-file-bytes`, other families `max-file-bytes-by-family`.",
      ),
    "max-file-bytes-by-family": z
      .object(
        Object.fromEntries(
          Object.entries(FAMILY_MAX_FILE_BYTES).map(([family, bytes]) => [family, fileBytes.default(bytes)]),
        ) as { [F in keyof typeof FAMILY_MAX_FILE_BYTES]: z.ZodDefault<typeof fileBytes> },
      )
      .strict()
      .default(FAMILY_MAX_FILE_BYTES)
      .describe(
        "Largest file of each family that is reviewed; a larger one is reported as meta/unreviewable-file, which fails the check.",
      ),
    "max-file-ms": z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(2000)
      .describe(
        "Time the checks of one file may take, in milliseconds for each MB of its text (at least once); past it the file is reported as meta/unreviewable-file.",
      ),
    "review-drafts": z.boolean().default(true).describe("Review draft pull requests too."),
    "on-error": z
      .enum(["failure", "neutral"])
      .default("failure")
      .describe("Conclusion of the check when the review itself fails (a gate fails closed by default)."),
    "inline-suppressions": z
      .enum(["allow", "deny"])
      .default("allow")
      .describe("Whether `tollgate:ignore` comments in files suppress findings."),
    commands: z
      .object({
        "ignore-permission": z
          .enum(["write", "maintain", "admin"])
          .default("write")
          .describe("Repository role needed for `/tollgate ignore` and `unignore`."),
        "author-ignore-blocking": z
          .enum(["admin", "never", "allowed"])
          .default("admin")
          .describe(
            "Whether a pull request's author may ignore findings at or above fail-on on their own pull request: only when admin (default), never, or whenever they have the ignore permission.",
          ),
      })
      .strict()
      .default({ "ignore-permission": "write", "author-ignore-blocking": "admin" }),
    secrets: z
      .object({
        "test-paths": z
          .enum(["lower", "keep", "ignore"])
          .default("lower")
          .describe("Secrets in test paths: lower the severity one step (default), keep it, or ignore them."),
      })
      .strict()
      .default({ "test-paths": "lower" }),
    actions: z
      .object({
        "untrusted-inputs": z
          .boolean()
          .default(false)
          .describe("Treat `inputs.*` of workflow_dispatch / workflow_call as attacker-controlled."),
      })
      .strict()
      .default({ "untrusted-inputs": false }),
    docker: z
      .object({
        "trusted-registries": z
          .array(z.string().min(1))
          .default([])
          .describe("Registries `FROM` may use; empty means any (docker/untrusted-registry is then silent)."),
      })
      .strict()
      .default({ "trusted-registries": [] }),
    deps: z
      .object({
        vulnerabilities: z
          .enum(["on", "off"])
          .default("on")
          .describe("Look up added and changed versions in OSV; `off` works fully offline."),
        "osv-url": z.url().optional().describe("OSV API base URL (a mirror); TOLLGATE_OSV_URL overrides it."),
        "on-unavailable": z
          .enum(["note", "fail"])
          .default("note")
          .describe("When vulnerability data is unavailable: add a note (default) or fail the check."),
        "allowed-hosts": z
          .array(z.string().min(1))
          .default([])
          .describe("Registry hosts lockfile `resolved` URLs may use, besides the public registries."),
        "typosquat-allow": z
          .array(z.string().min(1))
          .default([])
          .describe("Package names never reported as typosquats."),
        "license-deny": z
          .array(z.string().min(1))
          .default([])
          .describe("SPDX license ids that deps/license-policy reports on new dependencies."),
        "max-file-bytes": z
          .number()
          .int()
          .min(1024)
          .max(100_000_000)
          .default(25_000_000)
          .describe(
            "Largest dependency manifest or lockfile that is reviewed (lockfiles are often several MB); a larger one is reported as meta/unreviewable-file.",
          ),
      })
      .strict()
      .default({
        vulnerabilities: "on",
        "on-unavailable": "note",
        "allowed-hosts": [],
        "typosquat-allow": [],
        "license-deny": [],
        "max-file-bytes": 25_000_000,
      }),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

function issuePath(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * A configuration can hold any number of mistakes, and a pull request can add
 * one with 60,000 of them; every issue becomes a line of output (a finding, an
 * error message). The first ones are listed and one more line counts the rest.
 */
export const MAX_LISTED_CONFIG_ISSUES = 20;

function capIssues(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_LISTED_CONFIG_ISSUES) return issues;
  const rest = issues.length - MAX_LISTED_CONFIG_ISSUES;
  return [
    ...issues.slice(0, MAX_LISTED_CONFIG_ISSUES),
    { path: "", message: `… and ${rest.toLocaleString("en-US")} more problem${rest === 1 ? "" : "s"}` },
  ];
}

/** Validates an already-parsed value. */
export function validateConfig(
  value: unknown,
  knownRules?: ReadonlySet<string>,
): { config?: Config; issues: ConfigIssue[] } {
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) {
    // Unknown keys are reported on the key itself, so editors and people find them.
    const issues = parsed.error.issues.flatMap((i): ConfigIssue[] => {
      const path = issuePath(i.path);
      if (i.code === "unrecognized_keys") {
        return i.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: "unknown key" }));
      }
      return [{ path, message: i.message }];
    });
    return { issues: capIssues(issues) };
  }
  const issues: ConfigIssue[] = [];
  if (knownRules) {
    for (const id of Object.keys(parsed.data.rules)) {
      if (!knownRules.has(id)) issues.push({ path: `rules.${id}`, message: "unknown rule id" });
    }
  }
  return issues.length ? { issues: capIssues(issues) } : { config: parsed.data, issues };
}

/** Parses and validates YAML text; every issue carries the line of its key when it can be found. */
export function parseConfigText(
  text: string,
  knownRules?: ReadonlySet<string>,
): { config?: Config; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check is quadratic in the keys of a mapping; duplicateKeyErrors is not.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const errors = doc.errors.length > 0 ? doc.errors : duplicateKeyErrors(doc);
  if (errors.length > 0) {
    return {
      issues: capIssues(
        errors.map((e) => ({
          path: "",
          message: `not valid YAML: ${e.message.split("\n")[0]}`,
          line: lineCounter.linePos(e.pos[0]).line,
        })),
      ),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    // Aliases expanding past the library's alias budget (a "billion laughs" file).
    return {
      issues: [{ path: "", message: `not valid YAML: ${(e as Error).message.split("\n")[0]}`, line: 1 }],
    };
  }
  const result = validateConfig(value ?? {}, knownRules);
  const index = new KeyIndex();
  // The summary line of a capped list has no line of its own.
  for (const issue of result.issues.slice(0, MAX_LISTED_CONFIG_ISSUES)) {
    const node = index.find(doc.contents, splitKeyPath(issue.path));
    if (node?.range) issue.line = lineCounter.linePos(node.range[0]).line;
  }
  return result;
}

function splitKeyPath(path: string): string[] {
  // Rule ids contain "/" but never ".", so a dotted split is unambiguous.
  return path.split(".");
}

/** Finds the node of a key path; each mapping is indexed once, so many lookups stay linear. */
class KeyIndex {
  private readonly maps = new WeakMap<YAMLMap, Map<string, Pair>>();

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.maps.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        // The first of equal keys, as a linear search would find.
        if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
      }
      this.maps.set(map, index);
    }
    return index.get(key);
  }

  find(node: unknown, keys: string[]): Node | undefined {
    let current = node as Node | null | undefined;
    let keyNode: Node | undefined;
    for (const key of keys) {
      if (isMap(current)) {
        const pair = this.pairOf(current, key);
        if (!pair) return keyNode ?? (current as Node);
        keyNode = pair.key as Node;
        current = pair.value as Node;
      } else if (isSeq(current)) {
        const item = current.items[Number(key)] as Node | undefined;
        if (!item) return keyNode;
        keyNode = item;
        current = item;
      } else {
        return keyNode;
      }
    }
    return keyNode ?? current ?? undefined;
  }
}

/** Loads config text or throws a ConfigError that names every bad key. */
export function loadConfig(
  text: string | null | undefined,
  source: string,
  knownRules?: ReadonlySet<string>,
): Config {
  if (text == null || text.trim() === "") return defaultConfig;
  const { config, issues } = parseConfigText(text, knownRules);
  if (!config) throw new ConfigError(source, issues);
  return config;
}

/** JSON Schema for editors (`schema/tollgate.schema.json`). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input", target: "draft-7" });
}
