import type { Config } from "../review/config.js";
import type { ExternalSuppression, ReviewNote } from "../review/types.js";
import type { Role } from "../slash-commands/authorize.js";
import { type RebuildResult, rebuildSuppressions, UNANSWERED } from "../slash-commands/history.js";
import { buildLedger } from "../slash-commands/ledger.js";
import type { PullRequestContext } from "./pull-request-context.js";

/**
 * Where a review gets the suppressions people asked for in the pull request
 * thread (`/tollgate ignore …`). Nothing is stored on the server: every event
 * lists the PR's comments again and re-checks each commenter's permission, so
 * a restart or another instance sees the same suppressions, a deleted comment
 * stops counting and an edited one counts as edited.
 */

/** What the pull request's commands add up to, and what the check run must say about them. */
export interface CommandSuppressions {
  suppressions: ExternalSuppression[];
  /** Commands that could not be applied for a reason the reviewer should see in the check run. */
  notes: ReviewNote[];
}

/** The default suppressions source of a review: the ledger of the event's context. */
export async function loadCommandSuppressions(ctx: PullRequestContext): Promise<CommandSuppressions> {
  const { suppressions, notes } = await ctx.ledger((await ctx.commandConfig()).config);
  return { suppressions, notes };
}

export interface SuppressionLedger extends RebuildResult, CommandSuppressions {}

/** The suppressions and the commands that were refused on replay (for replies and logs). */
export async function loadSuppressionLedger(
  ctx: PullRequestContext,
  config: Config,
): Promise<SuppressionLedger> {
  const catalog = ctx.catalog();
  const resolveRuleId = (id: string) => catalog.get(id)?.id;
  const [issue, review, isOwn, prAuthor] = await Promise.all([
    ctx.issueComments(),
    ctx.reviewComments(),
    ctx.isOwn(),
    ctx.prAuthor(),
  ]);
  const unverified = new Set<string>();
  const result = await rebuildSuppressions({
    comments: buildLedger(issue.items, review.items, resolveRuleId, isOwn),
    prAuthor,
    config,
    resolveRuleId,
    ...(ctx.answering !== undefined ? { answering: new Set([ctx.answering]) } : {}),
    roleOf: async (login): Promise<Role> => {
      try {
        return await ctx.role(login);
      } catch (e) {
        // Fail closed: a suppression whose author cannot be checked does not apply.
        ctx.log.warn({ login, err: (e as Error).message }, "permission lookup failed; treating as no access");
        unverified.add(login.toLowerCase());
        return "none";
      }
    },
  });
  if (issue.capped || review.capped) return cappedLedger(ctx, result);
  const notes = rejectionNotes(result, unverified);
  if (result.rejected.length > 0) {
    ctx.log.info({ rejected: result.rejected.length }, "slash commands not applied");
  }
  return { ...result, notes };
}

/** Fail closed: an unignore (or a refused command) past the cap would go unread, so no command counts. */
function cappedLedger(ctx: PullRequestContext, result: RebuildResult): SuppressionLedger {
  ctx.log.warn("comment list capped; slash-command suppressions not applied");
  const notes: ReviewNote[] = [
    {
      level: "warning",
      message:
        "This pull request has more comments than Tollgate reads, so `/tollgate ignore` commands were not applied: a later `unignore` could go unread. Findings count as if no command had been posted.",
    },
  ];
  return { ...result, suppressions: [], notes };
}

function rejectionNotes(result: RebuildResult, unverified: ReadonlySet<string>): ReviewNote[] {
  const notes: ReviewNote[] = [];
  for (const r of result.rejected) {
    if (unverified.has(r.by.toLowerCase())) {
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
  return notes;
}
