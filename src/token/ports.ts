import { statusOf } from "../app/github/errors.js";
import type { CheckRunOutput, ExistingCheckRun, GitHubPort } from "../app/github/port.js";
import { SUPERSEDED_TITLE } from "../report/check-run.js";
import { type CommitStatuses, STATUS_CONTEXT, statusState } from "./statuses.js";

/**
 * The token front end runs the app's review flow unchanged (review-flow.ts:
 * plan, run, render, write) on the app's port adapter; what differs about a
 * token is said here, as decorators of that port:
 *
 * - `readOnly`: `tollgate pr` without `--post`. Reads go to GitHub, writes go
 *   nowhere, and no earlier run counts, so the flow always reviews.
 * - `withStatusFallback`: `--post` with a token that cannot create check runs
 *   posts a commit status instead; with one that can write nothing (a fork's
 *   workflow token), nothing, and the flow still finishes with its review.
 *
 * Both record what happened (`Posting`) for the command to say plainly.
 */

export interface Posting {
  /** `check-run`: GitHub took the run; `status`: a commit status instead; `none`: neither was allowed. */
  verdictVia?: "check-run" | "status" | "none";
  /** The conclusion and text the flow wrote as its verdict (the job summary repeats it). */
  verdict?: { conclusion: string; output: CheckRunOutput };
  /** The head moved during the review: its verdict was not posted anywhere. */
  superseded?: boolean;
  /** The review (inline comments) was refused: GitHub's status. */
  reviewRefused?: number;
  reviewsPosted: number;
  /** The last error a port operation threw (for the one line the command prints). */
  lastError?: unknown;
}

export function newPosting(): Posting {
  return { reviewsPosted: 0 };
}

/** Forwards every operation to `port` unless `overrides` has it, and records what throws. */
function decorate(port: GitHubPort, overrides: Partial<GitHubPort>, posting: Posting): GitHubPort {
  return new Proxy(port, {
    get(target, key) {
      if (key === "repo") return target.repo;
      const own = (overrides as Record<PropertyKey, unknown>)[key];
      const fn = (own ?? (target as unknown as Record<PropertyKey, unknown>)[key]) as unknown;
      if (typeof fn !== "function") return fn;
      const self = own ? overrides : target;
      return async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(self, args);
        } catch (e) {
          posting.lastError = e;
          throw e;
        }
      };
    },
  });
}

export function readOnly(port: GitHubPort, posting: Posting): GitHubPort {
  return decorate(
    port,
    {
      listCheckRunsForRef: async () => [],
      createCheckRun: async () => ({ id: 0 }),
      completeCheckRun: async (_id, conclusion, output) => {
        posting.verdict = { conclusion, output };
        if (output.title?.startsWith(SUPERSEDED_TITLE)) posting.superseded = true;
      },
      appendAnnotations: async () => {},
      createReview: async () => {},
      replyToReviewComment: async () => {},
      createIssueComment: async () => {},
      addEyes: async () => {},
    },
    posting,
  );
}

export interface FallbackOptions {
  statuses: CommitStatuses;
  /** Where the status links to (the workflow run), when known. */
  targetUrl?: string;
}

/** A synthetic run id for a verdict that goes to a commit status: negative, never GitHub's. */
const STATUS_RUN = -1;

export function withStatusFallback(port: GitHubPort, posting: Posting, options: FallbackOptions): GitHubPort {
  const shaOf = new Map<number, string>();
  let nextId = STATUS_RUN;
  return decorate(
    port,
    {
      async listCheckRunsForRef(sha, appId) {
        let runs: ExistingCheckRun[] = [];
        try {
          runs = await port.listCheckRunsForRef(sha, appId);
        } catch (e) {
          // A token without `checks: read` still has statuses to go by.
          if (statusOf(e) !== 403) throw e;
        }
        if (runs.length > 0) return runs;
        return statusAsRun(await options.statuses.latest(sha).catch(() => undefined), sha);
      },
      async createCheckRun(headSha, externalId, startedAt) {
        try {
          const run = await port.createCheckRun(headSha, externalId, startedAt);
          posting.verdictVia = "check-run";
          return run;
        } catch (e) {
          if (statusOf(e) !== 403) throw e;
          const id = nextId--;
          shaOf.set(id, headSha);
          posting.verdictVia = "status";
          return { id };
        }
      },
      async completeCheckRun(id, conclusion, output, at) {
        posting.verdict = { conclusion, output };
        const superseded = output.title?.startsWith(SUPERSEDED_TITLE) ?? false;
        if (superseded) posting.superseded = true;
        const sha = shaOf.get(id);
        if (sha === undefined) return port.completeCheckRun(id, conclusion, output, at);
        // A verdict about a commit that is no longer the head is not posted: nothing stale.
        if (superseded || posting.verdictVia === "none") return;
        try {
          await options.statuses.create(sha, statusState(conclusion), output.title, options.targetUrl);
        } catch (e) {
          if (statusOf(e) !== 403) throw e;
          posting.verdictVia = "none";
        }
      },
      async appendAnnotations(id, output, annotations) {
        if (!shaOf.has(id)) await port.appendAnnotations(id, output, annotations);
      },
      async createReview(pullNumber, commitId, body, comments) {
        try {
          await port.createReview(pullNumber, commitId, body, comments);
          posting.reviewsPosted++;
        } catch (e) {
          const status = statusOf(e);
          if (status === 403) posting.reviewRefused = status;
          throw e;
        }
      },
    },
    posting,
  );
}

/** A `tollgate` status already on the commit counts as its verdict: a second run posts nothing new. */
function statusAsRun(
  status: { id: number; state: string; description: string | null } | undefined,
  sha: string,
): ExistingCheckRun[] {
  if (!status || status.state === "pending") return [];
  return [
    {
      id: status.id,
      status: "completed",
      conclusion: status.state === "success" ? "success" : "failure",
      started_at: null,
      external_id: null,
      head_sha: sha,
      app: null,
      output: { title: `${STATUS_CONTEXT}: ${status.description ?? ""}` },
    },
  ];
}
