import type { Context } from "probot";
import type { ReviewDeps } from "./deps.js";
import { octokitGitHub } from "./github/octokit-adapter.js";
import type { GitHubPort, PullSummary, RepoRef } from "./github/port.js";
import { PullRequestContext } from "./pull-request-context.js";

/**
 * Where a webhook event becomes the port and the context the app logic runs
 * on: the port is built once per event from the installation's Octokit, and
 * each pull request the event is about gets one context.
 */

type RepoPayload = { repository: { name: string; owner: { login: string } } };

export function githubFor(deps: ReviewDeps, context: Context): GitHubPort {
  const { repository } = context.payload as unknown as RepoPayload;
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  return (deps.github ?? octokitGitHub)(context.octokit, repo);
}

/**
 * Contexts of jobs an earlier attempt started and did not finish. The queue
 * runs one job per pull request at a time, so a run that attempt left in
 * progress is abandoned: it is taken over at once instead of after
 * `staleAfterMs`.
 */
const resumed = new WeakSet<Context>();

export function markResumed(context: Context): void {
  resumed.add(context);
}

export function withLog(deps: ReviewDeps, context: Context): ReviewDeps {
  return {
    ...deps,
    log: context.log.child({ delivery: context.id }),
    ...(resumed.has(context) ? { staleAfterMs: Number.NEGATIVE_INFINITY } : {}),
  };
}

export function pullRequestContext(
  deps: ReviewDeps,
  context: Context,
  pullNumber: number,
  seed: { pull?: PullSummary; prAuthor?: string } = {},
  github: GitHubPort = githubFor(deps, context),
): PullRequestContext {
  return new PullRequestContext(github, pullNumber, withLog(deps, context), seed);
}
