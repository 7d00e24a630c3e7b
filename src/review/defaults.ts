import type { Config } from "./config.js";

/**
 * Bounds on one file of each family (`max-file-bytes-by-family`). Every parser
 * is linear, so these are sized for the largest real files — generated CRD
 * bundles and CloudFormation templates of several MB, GitHub's 3 MB cap on
 * CODEOWNERS — and a file above them is one no real project has.
 */
export const FAMILY_MAX_FILE_BYTES = {
  docker: 2_000_000,
  actions: 5_000_000,
  compose: 5_000_000,
  ci: 5_000_000,
  ansible: 5_000_000,
  "config-mgmt": 5_000_000,
  k8s: 10_000_000,
  cfn: 10_000_000,
  tf: 10_000_000,
  meta: 3_000_000,
} as const;

/**
 * Test data is full of deliberately bad files (a scanner's own `positive.dockerfile`).
 * Not `examples/` or `samples/`: people copy those into production.
 */
export const DEFAULT_FIXTURE_GLOBS = [
  "**/test/**",
  "**/tests/**",
  "**/testdata/**",
  "**/fixtures/**",
  "**/__fixtures__/**",
] as const;

/**
 * The configuration in force when a repository has none, as a literal so the
 * CLI starts without loading the schema library (a test keeps it equal to
 * `configSchema.parse({})`).
 */
export const defaultConfig: Config = {
  "fail-on": "high",
  rules: {},
  paths: { ignore: [], fixtures: [...DEFAULT_FIXTURE_GLOBS] },
  "max-comments": 25,
  "max-file-bytes": 1_000_000,
  "max-file-bytes-by-family": { ...FAMILY_MAX_FILE_BYTES },
  "max-file-ms": 2000,
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
