import type { RuleId } from "./rule-ids.generated.js";

/**
 * The engine's vocabulary. Everything here is plain data: the engine receives a
 * ChangeSet (what changed, with lazily loaded text) and returns a Review.
 */

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `family/kebab-case-name`, e.g. `docker/runs-as-root`: generated from `rules/` (npm run generate). */
export type { RuleFamily, RuleId, RuleIdsByFamily } from "./rule-ids.generated.js";

export const FAMILIES = [
  "docker",
  "k8s",
  "compose",
  "tf",
  "cfn",
  "actions",
  "ci",
  "ansible",
  "config-mgmt",
  "deps",
  "secrets",
  "meta",
] as const;
export type Family = (typeof FAMILIES)[number];

export type FileStatus = "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";

/** Raw bytes or text of one version of a file; `null` when that version does not exist. */
export type LoadedContent = Uint8Array | string | null;
export type ContentLoader = () => Promise<LoadedContent>;

/** One file of a change, as a git host or `git diff` describes it. Text loads lazily. */
export interface ChangedFile {
  /** Path at head, relative to the repository root, forward slashes. */
  path: string;
  /** Path at base when the file was renamed or copied. */
  previousPath?: string;
  status: FileStatus;
  /** Unified diff hunks (starting at the first `@@`); absent for binary files or diffs the host omitted. */
  patch?: string;
  /** True when the host or git says the file is binary. */
  binary?: boolean;
  /** Size of the head version in bytes, when known without loading it. */
  size?: number;
  loadHead: ContentLoader;
  loadBase: ContentLoader;
}

export interface ChangeSet {
  files: ChangedFile[];
  /** The change was cut short by the host (e.g. GitHub lists at most 3,000 files). */
  truncated?: { listed: number; reason: string };
  /** Free-form label for messages: `base...head` SHAs or refs. */
  label?: string;
}

/** What a check reports; the engine adds path, severity and fingerprint. */
export interface RawFinding {
  ruleId: RuleId;
  line: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  message: string;
  /**
   * Stable identity of the problem inside the file, independent of its line number:
   * the instruction, resource, key path or step it belongs to plus its normalised content.
   */
  anchor: string;
  /** Already-redacted evidence (never a raw secret). */
  evidence?: string;
  /** Overrides the rule's default severity (e.g. an advisory's own severity). */
  severity?: Severity;
  /** One-line fix, when it differs from the rule's remediation summary. */
  fix?: string;
  /** For findings on a file other than the one being checked (review-level checks). */
  path?: string;
  /**
   * The unit whose base the finding was compared with, when it is wider than its file: a Terraform
   * module (directory), where a resource may move between files. It replaces the path in the
   * fingerprint, so the finding keeps its identity when it moves to another file of that unit.
   */
  scope?: string;
  /** The finding sits on a removed line (LEFT side), e.g. a deleted integrity hash. */
  side?: "LEFT" | "RIGHT";
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  path: string;
  line: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  side?: "LEFT" | "RIGHT";
  message: string;
  fix?: string;
  evidence?: string;
  anchor: string;
  /** 16 hex chars of sha256(ruleId, path, anchor[, occurrence]). */
  fingerprint: string;
  /** In a test-fixture path (`paths.fixtures`) of a review: reported, but it does not fail the check. */
  fixture?: boolean;
}

export type SuppressionSource =
  | { kind: "inline"; scope: "line" | "file"; line: number; reason: string }
  | {
      kind: "command";
      reason: string;
      by: string;
      at: string;
      url?: string;
      commentId?: number;
    }
  | { kind: "config"; reason: string };

export interface SuppressedFinding extends Finding {
  suppression: SuppressionSource;
}

/** A suppression that lives outside the files, e.g. a `/tollgate ignore` command on a pull request. */
export interface ExternalSuppression {
  /** As a person wrote it (an id or an alias), resolved against the catalogue when matched; `*` for every rule. */
  ruleId: string;
  path?: string;
  line?: number;
  /** When set, only the finding with this fingerprint is suppressed. */
  fingerprint?: string;
  reason: string;
  by: string;
  at: string;
  url?: string;
  commentId?: number;
  /**
   * Applies only to findings strictly below this severity: the pull request's
   * author may not wave through their own blocking findings ("four eyes").
   */
  onlyBelow?: Severity;
}

export interface ReviewNote {
  level: "error" | "warning" | "info";
  path?: string;
  line?: number;
  message: string;
  /** This note alone fails the check (e.g. vulnerability data unavailable when configured to block). */
  blocking?: boolean;
}

export interface Verdict {
  conclusion: "success" | "failure";
  failOn: Severity;
  /** New, unsuppressed findings at or above `failOn`. */
  blocking: number;
  counts: Record<Severity, number>;
}

export interface ReviewStats {
  filesInChange: number;
  filesAnalysed: number;
  filesSkipped: number;
  bytesRead: number;
}

export interface Review {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: ReviewNote[];
  verdict: Verdict;
  stats: ReviewStats;
  /** Filled by the dependency checks: what the change adds to, updates in or removes from the supply chain. */
  dependencyChanges: DependencyChange[];
}

export type DependencyChangeKind = "added" | "removed" | "upgraded" | "downgraded" | "changed";

export interface DependencyChange {
  ecosystem: string;
  name: string;
  kind: DependencyChangeKind;
  from?: string;
  to?: string;
  path: string;
  line?: number;
  direct: boolean;
  dev?: boolean;
  /** Rule ids of new findings about this dependency (vulnerability, malware, typosquat…). */
  flags: RuleId[];
}
