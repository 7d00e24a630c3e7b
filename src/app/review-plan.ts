import { SUPERSEDED_TITLE } from "../report/check-run.js";
import type { ExistingCheckRun } from "./github/port.js";

/**
 * The pure decision at the start of a review: which check run it writes to.
 * `opened`, `reopened`, `synchronize` and `ready_for_review` are idempotent —
 * when Tollgate already has a run on the head SHA nothing new is created —
 * unless that run was abandoned in progress by a crashed instance, which is
 * taken over. Every other reason reviews again with a fresh run.
 */

export type ReviewReason =
  | "opened"
  | "reopened"
  | "synchronize"
  | "ready_for_review"
  | "base_changed"
  | "rerequested"
  | "requested_action"
  | "recheck"
  | "ignore";

/** Reasons that review again even when the head commit already has a verdict. */
export const FORCED: ReadonlySet<ReviewReason> = new Set([
  "base_changed",
  "rerequested",
  "requested_action",
  "recheck",
  "ignore",
]);

export type RunPlan =
  | { kind: "create" }
  | { kind: "take-over"; checkRunId: number }
  | { kind: "skip"; checkRunId: number };

/** What to do given Tollgate's runs on the head commit (`existing`, listed only for unforced reasons). */
export function planCheckRun(
  existing: readonly ExistingCheckRun[],
  now: Date,
  staleAfterMs: number,
): RunPlan {
  // GitHub's required check reads the newest run of a name on a commit, so only the newest counts.
  const newest = [...existing].sort((a, b) => b.id - a.id)[0];
  if (!newest || newest.conclusion === "skipped" || isSupersededRun(newest)) return { kind: "create" };
  const abandoned =
    newest.status !== "completed" &&
    newest.started_at !== null &&
    Date.parse(newest.started_at) < now.getTime() - staleAfterMs;
  return abandoned ? { kind: "take-over", checkRunId: newest.id } : { kind: "skip", checkRunId: newest.id };
}

/**
 * A run that said "superseded" when its commit stopped being the head. If the
 * head comes back to that commit (a force-push back), its verdict must be given again.
 */
export function isSupersededRun(run: ExistingCheckRun): boolean {
  return run.conclusion === "neutral" && (run.output?.title ?? "").startsWith(SUPERSEDED_TITLE);
}
