import type { FileVersion } from "../formats/file.js";
import type { Hunk } from "../formats/patch.js";
import type { Config } from "../review/config.js";
import type { RuleCatalog } from "../review/rules.js";
import type { DependencyChange, Family, RawFinding, ReviewNote, RuleId } from "../review/types.js";
import type { AdvisorySource } from "../services/advisories.js";

/**
 * Checks are small modules, one per concern, in the spirit of ESLint rules.
 * A check never formats Markdown and never talks to GitHub: it reads text and
 * returns RawFindings that name a rule id.
 */

export { ParseError } from "../formats/errors.js";
// Defined in `formats/` (the bottom layer, which parsers share); re-exported here because they are
// part of what a check is written against, and so that checks keep importing them from one place.
export type { FileVersion } from "../formats/file.js";
// The advisory port is defined by the service layer (so the OSV client imports nothing from checks/).
export {
  type Advisory,
  type AdvisoryQuery,
  type AdvisorySource,
  AdvisoryUnavailable,
} from "../services/advisories.js";

/** Everything a check may need to know about one changed file. */
export interface FileChange {
  path: string;
  previousPath?: string;
  status: string;
  families: readonly Family[];
  head?: FileVersion;
  base?: FileVersion;
  hunks: readonly Hunk[];
  /** Head line number → text, for every added line (every line in `scan` mode). */
  added: ReadonlyMap<number, string>;
  /** Base line number → text, for every removed line. */
  removed: ReadonlyMap<number, string>;
}

/** Services the engine does not own; injected so the engine stays free of I/O. */
export interface ReviewServices {
  advisories?: AdvisorySource;
}

export interface CheckContext {
  config: Config;
  catalog: RuleCatalog;
  /** `diff` reviews a change; `scan` treats every line of every file as new. */
  mode: "diff" | "scan";
  services: ReviewServices;
  /** Adds a note to the review (shown in the summary and the JSON `errors`). */
  note(note: ReviewNote): void;
  /** Records what a change does to the supply chain (for the summary's dependency table). */
  dependencyChange(change: DependencyChange): void;
}

interface CheckBase {
  /** Module name for logs and errors, e.g. `docker/instructions`. */
  name: string;
  /** The families of files it looks at; `all` for every text file (secrets, inline suppressions). */
  families: readonly Family[] | "all";
  /** Rule ids this check may report (validated against the catalogue at start-up). */
  rules: readonly RuleId[];
  /**
   * `parse`: the check parses the file and reports what does not parse
   * (`meta/parse-error`). It is listed before the family's other checks,
   * which then share its memoised parse and stay silent on a broken file.
   */
  stage?: "parse";
}

/**
 * Runs on one version of a file at a time. The engine runs it on head and
 * base and keeps what is new at head (by fingerprint).
 */
export interface SnapshotCheck extends CheckBase {
  kind: "snapshot";
  run(file: FileVersion, ctx: CheckContext): RawFinding[];
  /**
   * Combines the findings of one run when there are several (docker: at most
   * one finding per instruction and rule). `defineCheck` applies it inside `run`.
   */
  merge?: (findings: RawFinding[], file: FileVersion) => RawFinding[];
}

/**
 * Runs once per changed file with both versions and reports only what the
 * change introduces (added lines, dependency diffs).
 */
export interface ChangeCheck extends CheckBase {
  kind: "change";
  /**
   * Needs only the added and removed lines, not the file text: the engine then
   * reads nothing when the patch is available (the secrets scan of a big change).
   */
  linesOnly?: boolean;
  run(change: FileChange, ctx: CheckContext): RawFinding[] | Promise<RawFinding[]>;
}

/**
 * Runs once per review over every changed file of its families, for work that
 * must be batched across files (one OSV query per review). Findings must set `path`.
 */
export interface ReviewCheck extends CheckBase {
  kind: "review";
  run(changes: readonly FileChange[], ctx: CheckContext): Promise<RawFinding[]>;
}

export type Check = SnapshotCheck | ChangeCheck | ReviewCheck;
