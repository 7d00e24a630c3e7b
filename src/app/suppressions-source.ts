import type { Role } from "../commands/authorize.js";
import { type RebuildResult, rebuildSuppressions } from "../commands/history.js";
import { buildLedger } from "../commands/ledger.js";
import type { Config } from "../review/config.js";
import { ruleCatalog } from "../review/rules.js";
import type { ExternalSuppression } from "../review/types.js";
import { getRole, listIssueComments, listPullReviewComments } from "./command-gateway.js";
import type { Log, Octokit } from "./types.js";

/**
 * Where a review gets the suppressions people asked for in the pull request
 * thread (`/tollgate ignore …`). Nothing is stored on the server: every review
 * lists the PR's comments again and re-checks each commenter's permission, so
 * a restart or another instance sees the same suppressions, a deleted comment
 * stops counting and an edited one counts as edited.
 */
export interface SuppressionsRequest {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  prAuthor: string;
  config: Config;
  log: Log;
}

export async function loadCommandSuppressions(req: SuppressionsRequest): Promise<ExternalSuppression[]> {
  return (await loadSuppressionLedger(req)).suppressions;
}

/** The suppressions and the commands that were refused on replay (for replies and logs). */
export async function loadSuppressionLedger(
  req: SuppressionsRequest,
  /** Roles already looked up while handling the same event, so they are not asked twice. */
  knownRoles: ReadonlyMap<string, Role> = new Map(),
): Promise<RebuildResult> {
  const ref = { owner: req.owner, repo: req.repo };
  const catalog = ruleCatalog();
  const resolveRuleId = (id: string) => catalog.get(id)?.id;
  const [issue, review] = await Promise.all([
    listIssueComments(req.octokit, ref, req.pullNumber),
    listPullReviewComments(req.octokit, ref, req.pullNumber),
  ]);
  if (issue.capped || review.capped) {
    req.log.warn({ pullNumber: req.pullNumber }, "comment list capped; later commands are not read");
  }
  const result = await rebuildSuppressions({
    comments: buildLedger(issue.comments, review.comments, resolveRuleId),
    prAuthor: req.prAuthor,
    config: req.config,
    resolveRuleId,
    roleOf: async (login): Promise<Role> => {
      const known = knownRoles.get(login);
      if (known) return known;
      try {
        return await getRole(req.octokit, ref, login);
      } catch (e) {
        // Fail closed: a suppression whose author cannot be checked does not apply.
        req.log.warn({ login, err: (e as Error).message }, "permission lookup failed; treating as no access");
        return "none";
      }
    },
  });
  if (result.rejected.length > 0) {
    req.log.info(
      { pullNumber: req.pullNumber, rejected: result.rejected.length },
      "slash commands not applied",
    );
  }
  return result;
}
