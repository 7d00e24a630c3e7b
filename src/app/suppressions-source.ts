import type { Role } from "../slash-commands/authorize.js";
import { type RebuildResult, rebuildSuppressions, UNANSWERED } from "../slash-commands/history.js";
import { buildLedger, type OwnCommentTest } from "../slash-commands/ledger.js";
import type { Config } from "../review/config.js";
import { ruleCatalog } from "../review/rules.js";
import type { ExternalSuppression, ReviewNote } from "../review/types.js";
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
  /** Recognises Tollgate's own comments (their markers and threads are the only ones trusted). */
  isOwn: OwnCommentTest;
  /** The command comment being answered now, whose ignores apply as typed. */
  answering?: number;
}

/** What the pull request's commands add up to, and what the check run must say about them. */
export interface CommandSuppressions {
  suppressions: ExternalSuppression[];
  /** Commands that could not be applied for a reason the reviewer should see in the check run. */
  notes: ReviewNote[];
}

export async function loadCommandSuppressions(req: SuppressionsRequest): Promise<CommandSuppressions> {
  const { suppressions, notes } = await loadSuppressionLedger(req);
  return { suppressions, notes };
}

export interface SuppressionLedger extends RebuildResult, CommandSuppressions {}

/** The suppressions and the commands that were refused on replay (for replies and logs). */
export async function loadSuppressionLedger(
  req: SuppressionsRequest,
  /** Roles already looked up while handling the same event, so they are not asked twice. */
  knownRoles: ReadonlyMap<string, Role> = new Map(),
): Promise<SuppressionLedger> {
  const ref = { owner: req.owner, repo: req.repo };
  const catalog = ruleCatalog();
  const resolveRuleId = (id: string) => catalog.get(id)?.id;
  const [issue, review] = await Promise.all([
    listIssueComments(req.octokit, ref, req.pullNumber),
    listPullReviewComments(req.octokit, ref, req.pullNumber),
  ]);
  const unverified = new Set<string>();
  const result = await rebuildSuppressions({
    comments: buildLedger(issue.comments, review.comments, resolveRuleId, req.isOwn),
    prAuthor: req.prAuthor,
    config: req.config,
    resolveRuleId,
    ...(req.answering !== undefined ? { answering: new Set([req.answering]) } : {}),
    roleOf: async (login): Promise<Role> => {
      const known = knownRoles.get(login);
      if (known) return known;
      try {
        return await getRole(req.octokit, ref, login);
      } catch (e) {
        // Fail closed: a suppression whose author cannot be checked does not apply.
        req.log.warn({ login, err: (e as Error).message }, "permission lookup failed; treating as no access");
        unverified.add(login.toLowerCase());
        return "none";
      }
    },
  });
  const notes: ReviewNote[] = [];
  if (issue.capped || review.capped) {
    // Fail closed: an unignore (or a refused command) past the cap would go unread, so no command counts.
    req.log.warn(
      { pullNumber: req.pullNumber },
      "comment list capped; slash-command suppressions not applied",
    );
    notes.push({
      level: "warning",
      message:
        "This pull request has more comments than Tollgate reads, so `/tollgate ignore` commands were not applied: a later `unignore` could go unread. Findings count as if no command had been posted.",
    });
    return { ...result, suppressions: [], notes };
  }
  for (const r of result.rejected) {
    const by = r.by.toLowerCase();
    if (unverified.has(by)) {
      notes.push({
        level: "warning",
        message: `\`${r.command.slice(0, 200)}\` by @${r.by} was not applied: GitHub did not answer the permission check. \`/tollgate recheck\` tries again. ${r.url}`,
      });
    } else if (r.why === UNANSWERED) {
      notes.push({
        level: "warning",
        message: `\`${r.command.slice(0, 200)}\` by @${r.by} was not applied: ${UNANSWERED}. ${r.url}`,
      });
    }
  }
  if (result.rejected.length > 0) {
    req.log.info(
      { pullNumber: req.pullNumber, rejected: result.rejected.length },
      "slash commands not applied",
    );
  }
  return { ...result, notes };
}
