import { CHECK_NAME, RERUN_ACTION } from "../report/check-run.js";
import type { ReviewDeps } from "./deps.js";
import { githubFor, pullRequestContext } from "./event-context.js";
import type { EventSource } from "./event-router.js";
import type { PullSummary } from "./github/port.js";
import { MERGE_GROUP_EXTERNAL_ID, rerunMergeGroup } from "./merge-group.js";
import { type ReviewReason, reviewPullRequest } from "./review-flow.js";

/**
 * Webhook events → reviews. Pull request events carry everything a review
 * needs, forks included; check events come back only to the app that owns
 * the run, and carry no pull request for forks, so the run's `external_id`
 * (the PR number Tollgate wrote there) maps them back.
 */

export const PULL_REQUEST_ACTIONS = ["opened", "reopened", "synchronize", "ready_for_review"] as const;

export function registerReviewHandlers(app: EventSource, deps: ReviewDeps): void {
  app.on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const pull = context.payload.pull_request as PullSummary;
      const ctx = pullRequestContext(deps, context, pull.number, { pull });
      await reviewPullRequest(ctx, { reason: context.payload.action as ReviewReason });
    },
  );

  // Retargeting a pull request to another base branch changes its diff without a new head commit.
  app.on("pull_request.edited", async (context) => {
    if (!context.payload.changes?.base) return;
    const pull = context.payload.pull_request as PullSummary;
    await reviewPullRequest(pullRequestContext(deps, context, pull.number, { pull }), {
      reason: "base_changed",
    });
  });

  app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => {
    const { check_run: run } = context.payload;
    if (!isOurs(run.name, run.app?.id, deps.appId)) return;
    if (context.payload.action === "requested_action") {
      const identifier = (context.payload as { requested_action?: { identifier?: string } }).requested_action
        ?.identifier;
      if (identifier !== RERUN_ACTION.identifier) return;
    }
    if (run.external_id === MERGE_GROUP_EXTERNAL_ID) {
      await rerunMergeGroup(deps, context as never);
      return;
    }
    const pullNumber = pullNumberOf(run.external_id, run.pull_requests);
    if (pullNumber === undefined) {
      context.log.warn({ checkRunId: run.id }, "re-run of a check run with no pull request to map it to");
      return;
    }
    await reviewPullRequest(pullRequestContext(deps, context, pullNumber), {
      headSha: run.head_sha,
      reason: context.payload.action === "requested_action" ? "requested_action" : "rerequested",
    });
  });

  app.on("check_suite.rerequested", async (context) => {
    const { check_suite: suite } = context.payload;
    if (deps.appId !== undefined && suite.app?.id !== deps.appId) return;
    const github = githubFor(deps, context);
    const numbers = new Set<number>(suite.pull_requests.map((p) => p.number));
    if (numbers.size === 0) {
      // Fork pull requests are not linked to suites: read the PR number from Tollgate's own runs.
      for (const run of await github.listCheckRunsForSuite(suite.id)) {
        const n = pullNumberOf(run.external_id, []);
        if (n !== undefined) numbers.add(n);
      }
    }
    for (const pullNumber of numbers) {
      const ctx = pullRequestContext(deps, context, pullNumber, {}, github);
      await reviewPullRequest(ctx, { headSha: suite.head_sha, reason: "rerequested" });
    }
  });
}

function isOurs(name: string, appId: number | undefined, ourAppId: number | undefined): boolean {
  return name === CHECK_NAME && (ourAppId === undefined || appId === ourAppId);
}

/** Tollgate writes the PR number as the run's external id; only the app that created a run can set it. */
export function pullNumberOf(
  externalId: string | null | undefined,
  pullRequests: ReadonlyArray<{ number: number }>,
): number | undefined {
  if (externalId && /^[1-9]\d{0,9}$/.test(externalId)) return Number(externalId);
  return pullRequests[0]?.number;
}
