import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../../report/check-run.js";
import type { ReviewComment } from "../../report/review-comments.js";
import type { Role } from "../../slash-commands/authorize.js";
import type { GitHubComment } from "../../slash-commands/own-comments.js";

/**
 * The GitHub operations Tollgate needs, and nothing else: the only way the
 * app logic reaches GitHub. One port is built per webhook event, for the
 * event's repository, from the installation's Octokit (`octokitGitHub` in
 * ./octokit-adapter.ts); tests build an in-memory one. Each method is one
 * documented REST operation (or a bounded pagination of one), so the request
 * budget of a review can be read off the callers.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

/** GitHub lists at most 3,000 files of a pull request, 100 per page. */
export const MAX_LISTED_FILES = 3000;
/** Comment lists (conversation and review comments) are read up to this many, then reported as capped. */
export const MAX_LISTED_COMMENTS = 3000;

export interface PullFile {
  filename: string;
  previous_filename?: string;
  status: string;
  sha: string | null;
  patch?: string;
  additions: number;
  deletions: number;
  changes: number;
}

export interface PullSummary {
  number: number;
  state: string;
  draft?: boolean;
  user: { login: string } | null;
  head: { sha: string };
  base: { sha: string; ref: string };
  changed_files?: number;
}

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  external_id: string | null;
  head_sha: string;
  app: { id: number } | null;
  output?: { title: string | null };
}

/** A conversation or review comment as GitHub lists it (the fields Tollgate reads). */
export interface PullComment extends GitHubComment {
  /** Review comments only: the file the thread is on. */
  path?: string;
}

export interface ExistingReview {
  id: number;
  body: string | null;
  commit_id: string | null;
  user: { login: string; type: string } | null;
}

/** A bounded list: `capped` when there were more than the cap and the rest was not read. */
export interface Listed<T> {
  items: T[];
  capped: boolean;
}

/** One file of a configuration's `_extends` chain, nearest first; `config` null when GitHub has no such file. */
export interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  config: unknown;
}

/** One pull request in a branch's merge queue, and the commit of the merge group it is tested in. */
export interface MergeQueueEntry {
  position: number;
  /** The merge group commit built for this entry (with every entry ahead of it). */
  headSha: string | null;
  pullNumber: number;
  /** The pull request's own head. */
  pullHeadSha: string;
}

export const MAX_MERGE_QUEUE_ENTRIES = 100;

export type CheckRunOutput = CheckOutput & { annotations?: CheckAnnotation[] };
export type CommentKind = "issue" | "review";

export interface GitHubPort {
  /** The repository of the event: every operation is about it (config reads may follow `_extends` elsewhere). */
  readonly repo: RepoRef;

  // Pull request and files
  getPull(pullNumber: number): Promise<PullSummary>;
  /** Every listed file (⌈N/100⌉ requests), up to MAX_LISTED_FILES. */
  listPullFiles(pullNumber: number): Promise<Listed<PullFile>>;
  /** A blob's raw bytes, read no further than `maxBytes + 1`. */
  getBlob(sha: string, maxBytes: number): Promise<Uint8Array>;
  /** A file's raw bytes at a commit (bounded as getBlob); null when it does not exist there. */
  getFileAt(path: string, commitSha: string, maxBytes: number): Promise<Uint8Array | null>;

  // Configuration (default branch only)
  /** The configuration file and its `_extends` chain, as Probot's config plugin reads it. */
  getConfigChain(path: string): Promise<ConfigFile[]>;
  /** A file on the default branch of a repository of the same owner; null when absent. */
  getDefaultBranchFile(repo: string, path: string, maxBytes: number): Promise<Uint8Array | null>;

  // Check runs
  /** Tollgate's runs on a commit (one request; only `appId`'s when given). */
  listCheckRunsForRef(sha: string, appId: number | undefined): Promise<ExistingCheckRun[]>;
  listCheckRunsForSuite(suiteId: number): Promise<ExistingCheckRun[]>;
  createCheckRun(headSha: string, externalId: string, startedAt: Date): Promise<{ id: number }>;
  completeCheckRun(
    checkRunId: number,
    conclusion: CheckConclusion,
    output: CheckRunOutput,
    completedAt: Date,
  ): Promise<void>;
  /** Annotations beyond the first 50 go in further updates; GitHub appends them. */
  appendAnnotations(checkRunId: number, output: CheckOutput, annotations: CheckAnnotation[]): Promise<void>;

  // Reviews and comments
  listReviewComments(pullNumber: number): Promise<Listed<PullComment>>;
  listIssueComments(pullNumber: number): Promise<Listed<PullComment>>;
  listReviews(pullNumber: number): Promise<ExistingReview[]>;
  createReview(pullNumber: number, commitId: string, body: string, comments: ReviewComment[]): Promise<void>;
  /** A reply in a review thread; `rootId` must be the thread's top-level comment. */
  replyToReviewComment(pullNumber: number, rootId: number, body: string): Promise<void>;
  createIssueComment(pullNumber: number, body: string): Promise<void>;

  // Merge queue (GraphQL: REST does not list a merge queue), at most MAX_MERGE_QUEUE_ENTRIES
  listMergeQueue(branch: string): Promise<MergeQueueEntry[]>;

  // Reactions and permissions
  /** 👀 on a comment: "seen, working on it". */
  addEyes(where: CommentKind, commentId: number): Promise<void>;
  /** The user's role on the repository now; `none` when not a collaborator. */
  getRole(login: string): Promise<Role>;
}
