import type { AdvisorySource } from "../checks/types.js";
import type { checkRunOutput } from "../report/check-run.js";
import type { Config } from "../review/config.js";
import type { runReview } from "../review/engine.js";
import type { ruleCatalog } from "../review/rules.js";
import { BlobCache } from "./blob-cache.js";
import type { GitHubPort, RepoRef } from "./github/port.js";
import type { PullRequestContext } from "./pull-request-context.js";
import type { CommandSuppressions } from "./suppressions-source.js";
import type { Log, Octokit } from "./types.js";

/**
 * What the app's handlers are built with, once per process (src/app/app.ts).
 * Every field but `log` and `blobCache` is optional; tests override some.
 */
/** The pure steps a review runs between its reads and writes; replaced only to make one of them fail in a test. */
export interface ReviewSteps {
  ruleCatalog: typeof ruleCatalog;
  runReview: typeof runReview;
  checkRunOutput: typeof checkRunOutput;
}

export interface ReviewDeps {
  log: Log;
  /** Tollgate's GitHub App id: only its own check runs count as "already reviewed". */
  appId?: number;
  /** Where rule pages live (`TOLLGATE_DOCS_URL`). */
  docsBaseUrl?: string;
  blobCache: BlobCache;
  /** The vulnerability source for this configuration, or undefined to skip lookups. */
  advisories?: (config: Config) => AdvisorySource | undefined;
  /**
   * The `/tollgate ignore` suppressions a review applies when no slash command
   * of the same event loaded them already. Default: the pull request's
   * comments (`ctx.ledger()`).
   */
  loadSuppressions?: (ctx: PullRequestContext) => Promise<CommandSuppressions>;
  now?: () => Date;
  /** Total bytes one review may read (the engine stops analysing further files past it). */
  maxTotalBytes?: number;
  /** An `in_progress` run older than this was abandoned (a crashed instance): it is taken over. */
  staleAfterMs?: number;
  /** Most annotations sent per run (50 per request). */
  maxAnnotations?: number;
  /** Tollgate's bot account (`<slug>[bot]`): only its comments' markers count. */
  botLogin?: () => Promise<string | undefined>;
  /** Default: the rule catalogue, the engine and the check-run renderer themselves. */
  steps?: Partial<ReviewSteps>;
  /** Told each review's outcome (the app's metrics). */
  onReviewed?: (outcome: ReviewedOutcome) => void;
  /** Builds the GitHub port of one event. Default: the Octokit adapter. */
  github?: (octokit: Octokit, repo: RepoRef) => GitHubPort;
}

/** What `onReviewed` is told: the shape of review-flow.ts's `ReviewOutcome` it reads. */
export interface ReviewedOutcome {
  kind: string;
  conclusion?: string;
  review?: { findings: ReadonlyArray<{ severity: string }> };
}

export function createReviewDeps(partial: Partial<ReviewDeps> & { log: Log }): ReviewDeps {
  return { blobCache: new BlobCache(), ...partial };
}
