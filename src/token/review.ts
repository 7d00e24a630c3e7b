import { octokitGitHub } from "../app/github/octokit-adapter.js";
import type { GitHubPort, RepoRef } from "../app/github/port.js";
import { PullRequestContext } from "../app/pull-request-context.js";
import { createReviewDeps, type ReviewOutcome, reviewPullRequest } from "../app/review-flow.js";
import type { Octokit } from "../app/types.js";
import type { Review } from "../review/types.js";
import { createAdvisorySource, resolveOsvUrl } from "../services/osv.js";
import type { OwnCommentTest } from "../slash-commands/own-comments.js";
import { commandLog } from "./log.js";
import { type TokenClientOptions, type TokenOctokit, tokenOctokit } from "./octokit.js";
import { newPosting, type Posting, readOnly, withStatusFallback } from "./ports.js";
import { octokitStatuses } from "./statuses.js";

/**
 * One pull request reviewed with a token — `tollgate pr` and the GitHub
 * Action — through the app's own flow (`reviewPullRequest`: plan, run,
 * render, write) on the app's own port adapter. Only the port's decorators
 * (ports.ts) and the account the token writes as differ from the app.
 */

export interface TokenReviewOptions {
  repo: RepoRef;
  pullNumber: number;
  token: string;
  apiUrl: string;
  /** Post the verdict and the review; otherwise only read. */
  post: boolean;
  offline: boolean;
  env: NodeJS.ProcessEnv;
  /** Each warning, one line. */
  warn: (line: string) => void;
  /** Where a fallback commit status links to (the workflow run). */
  targetUrl?: string;
  docsBaseUrl?: string;
  /** Builds the client (tests: without throttling's pacing). */
  client?: (options: TokenClientOptions) => TokenOctokit;
}

export interface TokenReviewResult {
  outcome: ReviewOutcome;
  /** The review to print: the posted one, or (already reviewed) the one a read-only pass found. */
  review?: Review;
  posting: Posting;
  /** The account the token writes as, when GitHub or the environment said. */
  account?: string;
}

/**
 * The app recognises its comments by its app id and bot account. A token
 * writes as its own account (a person, or `github-actions[bot]` in a
 * workflow), so its comments are the ones whose markers count here; with no
 * account known, none do, and a re-run may comment again.
 */
class TokenPullRequestContext extends PullRequestContext {
  account: string | undefined;
  override isOwn(): Promise<OwnCommentTest> {
    const login = this.account?.toLowerCase();
    return Promise.resolve((c) => login !== undefined && c.user?.login.toLowerCase() === login);
  }
}

export async function reviewWithToken(o: TokenReviewOptions): Promise<TokenReviewResult> {
  const octokit = (o.client ?? tokenOctokit)({ token: o.token, baseUrl: o.apiUrl, warn: o.warn });
  // Same @octokit/core, paginate and endpoint methods as Probot's Octokit (octokit.ts): the adapter's calls are the same.
  const port = octokitGitHub(octokit as unknown as Octokit, o.repo);
  const deps = createReviewDeps({
    log: commandLog(o.warn, o.token),
    ...(o.docsBaseUrl ? { docsBaseUrl: o.docsBaseUrl } : {}),
    advisories: (config) =>
      o.offline || config.deps.vulnerabilities === "off"
        ? undefined
        : createAdvisorySource({ baseUrl: resolveOsvUrl(o.env, config.deps["osv-url"]) }),
  });
  const account = o.post ? await accountOf(octokit, o.env) : undefined;
  const run = async (github: GitHubPort) => {
    const ctx = new TokenPullRequestContext(github, o.pullNumber, deps);
    ctx.account = account;
    // An unforced reason: a head that already has Tollgate's verdict is not reviewed twice.
    return reviewPullRequest(ctx, { reason: "synchronize" });
  };
  const posting = newPosting();
  if (!o.post) {
    const outcome = await run(readOnly(port, posting));
    return { outcome, ...reviewOf(outcome), posting };
  }
  const statuses = octokitStatuses(octokit, o.repo);
  const outcome = await run(
    withStatusFallback(port, posting, { statuses, ...(o.targetUrl ? { targetUrl: o.targetUrl } : {}) }),
  );
  if (outcome.kind !== "skipped")
    return { outcome, ...reviewOf(outcome), posting, ...(account ? { account } : {}) };
  // Already reviewed: nothing is posted again, but the command still prints what the review finds.
  const again = await run(readOnly(port, newPosting()));
  return { outcome, ...reviewOf(again), posting, ...(account ? { account } : {}) };
}

function reviewOf(outcome: ReviewOutcome): { review?: Review } {
  return outcome.kind === "completed" && outcome.review ? { review: outcome.review } : {};
}

/**
 * Who the token writes as: `GET /user` for a person's token; a workflow's
 * token (an installation token) may not ask, and writes as `github-actions[bot]`.
 */
async function accountOf(octokit: TokenOctokit, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated({ request: { retries: 0 } });
    if (data?.login) return data.login;
  } catch {
    // An installation token answers 403 here.
  }
  return env.GITHUB_ACTIONS === "true" ? "github-actions[bot]" : undefined;
}
