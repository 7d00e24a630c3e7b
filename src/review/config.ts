import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, type ConfigIssue, defaultConfig } from "./defaults.js";
import { SEVERITIES } from "./types.js";

export { ConfigError, type ConfigIssue, defaultConfig };

/**
 * `.github/tollgate.yml`. One zod schema gives the TypeScript type, the
 * validation (unknown keys are errors, named by their key path) and the JSON
 * Schema exported for editors (`npm run schema`).
 */

const severity = z.enum(SEVERITIES);
const ruleSetting = z.enum(["off", ...SEVERITIES]);
const glob = z.string().min(1);

export const configSchema = z
  .object({
    "fail-on": severity.default("high").describe("Lowest severity of a new finding that fails the check."),
    rules: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, "not a rule id"), ruleSetting)
      .default({})
      .describe("Per rule id: `off`, or the severity to report it with."),
    paths: z
      .object({
        ignore: z.array(glob).default([]).describe("Globs (minimatch) of paths never reviewed."),
      })
      .strict()
      .default({ ignore: [] }),
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
        "Files larger than this are not analysed (a note says so); dependency files use `deps.max-file-bytes`.",
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
            "Dependency manifests and lockfiles larger than this are not analysed (lockfiles are often several MB, so they have their own limit).",
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

/** Validates an already-parsed value. */
export function validateConfig(
  value: unknown,
  knownRules?: ReadonlySet<string>,
): { config?: Config; issues: ConfigIssue[] } {
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i): ConfigIssue => {
      if (i.code === "unrecognized_keys") {
        return {
          path: issuePath(i.path),
          message: `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`,
        };
      }
      return { path: issuePath(i.path), message: i.message };
    });
    // Unknown keys are reported on the key itself, so editors and people find them.
    return {
      issues: issues.flatMap((i) => {
        const m = /^unknown keys? (.*)$/.exec(i.message);
        if (!m) return [i];
        return m[1]!.split(", ").map((k) => {
          const key = k.slice(1, -1);
          return { path: i.path ? `${i.path}.${key}` : key, message: "unknown key" };
        });
      }),
    };
  }
  const issues: ConfigIssue[] = [];
  if (knownRules) {
    for (const id of Object.keys(parsed.data.rules)) {
      if (!knownRules.has(id)) issues.push({ path: `rules.${id}`, message: "unknown rule id" });
    }
  }
  return issues.length ? { issues } : { config: parsed.data, issues };
}

/** Parses and validates YAML text; every issue carries the line of its key when it can be found. */
export function parseConfigText(
  text: string,
  knownRules?: ReadonlySet<string>,
): { config?: Config; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        path: "",
        message: `not valid YAML: ${e.message.split("\n")[0]}`,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  const result = validateConfig(doc.toJS() ?? {}, knownRules);
  for (const issue of result.issues) {
    const node = findNode(doc.contents, issue.path ? splitKeyPath(issue.path) : []);
    if (node?.range) issue.line = lineCounter.linePos(node.range[0]).line;
  }
  return result;
}

function splitKeyPath(path: string): string[] {
  // Rule ids contain "/" but never ".", so a dotted split is unambiguous.
  return path.split(".");
}

function findNode(node: unknown, keys: string[]): Node | undefined {
  let current = node as Node | null | undefined;
  let keyNode: Node | undefined;
  for (const key of keys) {
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
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
