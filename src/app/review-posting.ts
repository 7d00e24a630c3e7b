import { truncate } from "../report/check-run.js";
import { escapeInline } from "../report/escape.js";
import { GITHUB_TEXT_LIMIT } from "../report/markdown.js";
import {
  fixedFingerprints,
  fixedReplyBody,
  fixedThread,
  markedFingerprints,
  reviewBody,
  selectInlineComments,
} from "../report/review-comments.js";
import type { Config } from "../review/config.js";
import type { Review } from "../review/types.js";
import { requestIdOf, statusOf } from "./github/errors.js";
import type { ExistingReview, PullComment, PullFile } from "./github/port.js";
import type { PullRequestContext } from "./pull-request-context.js";
import type { Log } from "./types.js";

/**
 * After the check run is complete: one `COMMENT` review with inline comments
 * for findings not yet commented on, and a "fixed" reply on threads whose
 * finding is gone. What was said before is read back from GitHub (fingerprint
 * markers in Tollgate's own comments), so any instance can do this.
 */

/** Writes one review may make on a push with ≤50 findings: create run, complete run, review, two replies. */
export const WRITE_BUDGET = 5;

export interface PostContext {
  config: Config;
  report: { docsBaseUrl?: string };
  log: Log;
  writes: { count: number };
}

export async function postReview(
  pr: PullRequestContext,
  headSha: string,
  files: readonly PullFile[],
  review: Review,
  ctx: PostContext,
): Promise<{ commented: number; fixedReplies: number }> {
  const [{ items: comments }, reviews, isOurs] = await Promise.all([
    pr.reviewComments(),
    pr.reviews(),
    pr.isOwn(),
  ]);
  // Markers count only in Tollgate's own comments (one fail-closed policy, slash-commands/own-comments.ts):
  // anyone, or any other bot such as a workflow's github-actions[bot], can paste one into theirs.
  const ours = comments.filter(isOurs);
  const posted = new Set<string>();
  for (const c of ours)
    if (c.in_reply_to_id === undefined) for (const fp of markedFingerprints(c.body)) posted.add(fp);
  for (const r of reviews) if (isOurs(r)) for (const fp of markedFingerprints(r.body)) posted.add(fp);

  let commented = 0;
  const fresh = review.findings.filter((f) => !posted.has(f.fingerprint));
  if (fresh.length > 0) {
    const patches = new Map(files.map((f) => [f.filename, f.patch] as const));
    const selection = selectInlineComments(fresh, patches, {
      ...ctx.report,
      max: ctx.config["max-comments"],
    });
    const body = reviewBody(selection, { ...ctx.report, headSha });
    try {
      await pr.github.createReview(pr.pullNumber, headSha, body, selection.comments);
      commented = selection.comments.length;
    } catch (e) {
      if (statusOf(e) !== 422 || selection.comments.length === 0) throw e;
      // One comment GitHub will not anchor fails the whole review: keep the findings, drop the anchors.
      ctx.log.warn(
        { err: e, requestId: requestIdOf(e) },
        "review rejected (422); posting it without inline comments",
      );
      ctx.writes.count++;
      const plain = reviewBody(selection, { ...ctx.report, headSha, inlineRejected: true });
      await pr.github.createReview(pr.pullNumber, headSha, plain, []);
    }
    ctx.writes.count++;
  }

  const ourReviews = reviews.filter(isOurs);
  const fixedReplies = await replyToFixedThreads(pr, headSha, review, ours, ourReviews, ctx);
  return { commented, fixedReplies };
}

/**
 * A thread whose finding is gone gets one short "fixed in <sha>" reply. When
 * more threads were fixed than the writes left in the budget, one review
 * lists them all instead (one write), so every fix is announced against the
 * commit that made it and none waits for a later push.
 */
async function replyToFixedThreads(
  pr: PullRequestContext,
  headSha: string,
  review: Review,
  ours: readonly PullComment[],
  ourReviews: readonly ExistingReview[],
  ctx: PostContext,
): Promise<number> {
  const present = new Set([...review.findings, ...review.suppressed].map((f) => f.fingerprint));
  const announced = new Set([
    ...ours.flatMap((c) => fixedFingerprints(c.body)),
    ...ourReviews.flatMap((r) => fixedFingerprints(r.body)),
  ]);
  // A file Tollgate could not read or parse this time proves nothing about its findings.
  const unsure = new Set<string>();
  for (const n of review.errors) if (n.path) unsure.add(n.path);
  for (const f of review.findings) if (f.ruleId === "meta/parse-error") unsure.add(f.path);
  const fixed: Array<{ comment: PullComment; fingerprint: string; all: string[] }> = [];
  for (const c of ours) {
    if (c.in_reply_to_id !== undefined || unsure.has(c.path ?? "")) continue;
    // A grouped comment stands for every place it lists: it is fixed only when all of them are.
    const fps = fixedThread(c.body, present, announced);
    if (!fps) continue;
    for (const fp of fps) announced.add(fp);
    fixed.push({ comment: c, fingerprint: fps[0]!, all: fps });
  }
  if (fixed.length === 0) return 0;
  const left = WRITE_BUDGET - ctx.writes.count;
  if (left <= 0) {
    ctx.log.info({ fixed: fixed.length }, "write budget spent; fixed findings are announced at the next run");
    return 0;
  }
  if (fixed.length > left) {
    await pr.github.createReview(pr.pullNumber, headSha, fixedSummaryBody(headSha, fixed), []);
    ctx.writes.count++;
    return fixed.length;
  }
  for (const { comment, all } of fixed) {
    await pr.github.replyToReviewComment(pr.pullNumber, comment.id, fixedReplyBody(headSha, all));
    ctx.writes.count++;
  }
  return fixed.length;
}

/** One review announcing several fixes, each with its thread's rule and file, and the markers later runs read. */
function fixedSummaryBody(
  sha: string,
  fixed: ReadonlyArray<{ comment: PullComment; fingerprint: string }>,
): string {
  const lines = [
    `✅ Fixed in ${sha.slice(0, 12)}: ${fixed.length} findings commented on earlier are no longer reported.`,
    "",
  ];
  const markers: string[] = [];
  for (const { comment, fingerprint } of fixed) {
    const rule = /`([a-z0-9-]+\/[a-z0-9-]+)`/.exec(comment.body ?? "")?.[1];
    lines.push(`- ${rule ? `\`${rule}\` in ` : ""}\`${escapeInline(comment.path ?? "")}\``);
    markers.push(`<!-- tollgate:fixed=${fingerprint} -->`);
  }
  const text = truncate(lines.join("\n"), GITHUB_TEXT_LIMIT - markers.join("\n").length - 2);
  return `${text}\n${markers.join("\n")}`;
}
