import type { Config } from "./config.js";

/**
 * The configuration in force when a repository has none, as a literal so the
 * CLI starts without loading the schema library (a test keeps it equal to
 * `configSchema.parse({})`).
 */
export const defaultConfig: Config = {
  "fail-on": "high",
  rules: {},
  paths: { ignore: [] },
  "max-comments": 25,
  "max-file-bytes": 1_000_000,
  "review-drafts": true,
  "on-error": "failure",
  "inline-suppressions": "allow",
  commands: { "ignore-permission": "write", "author-ignore-blocking": "admin" },
  secrets: { "test-paths": "lower" },
  actions: { "untrusted-inputs": false },
  docker: { "trusted-registries": [] },
  deps: {
    vulnerabilities: "on",
    "on-unavailable": "note",
    "allowed-hosts": [],
    "typosquat-allow": [],
    "license-deny": [],
    "max-file-bytes": 25_000_000,
  },
};

export interface ConfigIssue {
  /** Dotted key path, e.g. `rules.docker/unpinned-base-image`. */
  path: string;
  message: string;
  /** 1-based line in the YAML text, when known. */
  line?: number;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `${source}: ${issues.map((i) => `${i.path ? `${i.path}: ` : ""}${i.message}${i.line ? ` (line ${i.line})` : ""}`).join("; ")}`,
    );
  }
}
