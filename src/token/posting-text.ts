import type { TokenReviewResult } from "./review.js";

/**
 * What a token run posted, in plain lines: where the verdict went (check run,
 * commit status, nowhere) and why, and whether the review was posted. Shared
 * by `tollgate pr` (stderr) and the GitHub Action (log and job summary).
 */
export function describePosting(result: TokenReviewResult, post: boolean): string[] {
  const { outcome, posting } = result;
  if (outcome.kind === "superseded")
    return [
      `the pull request's head moved to ${outcome.by.slice(0, 12)} during the review: nothing was posted for the old head; run again to review the new one`,
    ];
  if (!post) return [];
  if (outcome.kind === "skipped")
    return [`${outcome.reason}: nothing new was posted (the findings above are what it reported)`];
  if (outcome.kind !== "completed") return [];
  const lines: string[] = [];
  const conclusion = posting.verdict?.conclusion ?? outcome.conclusion;
  if (posting.verdictVia === "check-run")
    lines.push(`posted the tollgate check run ${outcome.checkRunId} (${conclusion})`);
  else if (posting.verdictVia === "status")
    lines.push(
      `this token cannot create check runs (GitHub answered 403), so the verdict was posted as the commit status "tollgate" (${conclusion === "failure" ? "failure" : "success"}) instead, and the check run's text is in the job summary or printed here`,
    );
  else if (posting.verdictVia === "none")
    lines.push(
      "this token can write neither check runs nor commit statuses (a read-only token, as a fork's pull request gets): no verdict was posted; the report is printed here and in the job summary",
    );
  if (posting.reviewRefused)
    lines.push(
      `this token cannot post reviews (GitHub answered ${posting.reviewRefused}): no inline comments were posted`,
    );
  else if (outcome.commented > 0 || posting.reviewsPosted > 0)
    lines.push(
      `posted a review with ${outcome.commented} inline comment${outcome.commented === 1 ? "" : "s"}`,
    );
  else lines.push("no new finding to comment on: no review posted");
  if (outcome.fixedReplies > 0) lines.push(`announced ${outcome.fixedReplies} fixed finding(s)`);
  return lines;
}
