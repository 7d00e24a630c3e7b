import type { RepoRef } from "../app/github/port.js";
import type { CheckConclusion } from "../report/check-run.js";
import type { TokenOctokit } from "./octokit.js";

/**
 * Commit statuses: what the token front end posts when its token cannot
 * create check runs (a personal access token; a workflow token without
 * `checks: write`). Two documented REST operations beside the app's port,
 * which stays what the app needs.
 */

export type StatusState = "success" | "failure";

export interface CommitStatuses {
  /** `tollgate` on `sha`: GitHub keeps the newest of a context. */
  create(sha: string, state: StatusState, description: string, targetUrl?: string): Promise<void>;
  /** The newest `tollgate` status on `sha`, if any. */
  latest(sha: string): Promise<{ id: number; state: string; description: string | null } | undefined>;
}

export const STATUS_CONTEXT = "tollgate";
/** GitHub cuts a status description at 140 characters. */
export const STATUS_DESCRIPTION_LIMIT = 140;

/**
 * A status has no `neutral` or `skipped`; GitHub's required checks pass both,
 * so they are `success` here too. Only a failing verdict is `failure`.
 */
export function statusState(conclusion: CheckConclusion): StatusState {
  return conclusion === "failure" ? "failure" : "success";
}

export function octokitStatuses(octokit: TokenOctokit, repo: RepoRef): CommitStatuses {
  return {
    async create(sha, state, description, targetUrl) {
      await octokit.rest.repos.createCommitStatus({
        ...repo,
        sha,
        state,
        context: STATUS_CONTEXT,
        description:
          description.length > STATUS_DESCRIPTION_LIMIT
            ? `${description.slice(0, STATUS_DESCRIPTION_LIMIT - 1)}…`
            : description,
        ...(targetUrl ? { target_url: targetUrl } : {}),
      });
    },
    async latest(sha) {
      const { data } = await octokit.rest.repos.listCommitStatusesForRef({
        ...repo,
        ref: sha,
        per_page: 100,
      });
      const found = data.find((s) => s.context === STATUS_CONTEXT);
      return found ? { id: found.id, state: found.state, description: found.description } : undefined;
    },
  };
}
