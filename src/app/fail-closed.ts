import { scanLine } from "../checks/secrets/scanner.js";
import {
  type CheckConclusion,
  type CheckOutput,
  failureOutput as renderFailure,
  TITLE_LIMIT,
  truncate,
} from "../report/check-run.js";
import type { Config } from "../review/config.js";
import { scrubText } from "../review/scrub.js";
import { requestIdOf, statusOf } from "./github/errors.js";

/**
 * What a review that could not finish tells the pull request: which step
 * broke and why, in one line, and a conclusion the author cannot turn into a
 * pass. Error messages can quote what they choked on (a glob from the
 * configuration, a line of a file), so they are scrubbed of secrets, cut to
 * one bounded line and escaped before they reach GitHub or the logs.
 */

export type OnError = Config["on-error"];

/** The step a review was at when it broke; it names the cause in the run's title. */
export type ReviewStage =
  | "start"
  | "rules"
  | "config"
  | "files"
  | "commands"
  | "engine"
  | "head"
  | "report"
  | "post"
  | "merge-group";

const STAGE_TEXT: Record<ReviewStage, string> = {
  start: "could not start the review",
  rules: "could not load the rule catalogue",
  config: "could not load the configuration",
  files: "could not list the changed files",
  commands: "could not read the /tollgate commands",
  engine: "the review engine failed",
  head: "could not re-read the pull request",
  report: "could not build the report",
  post: "could not post the result",
  "merge-group": "could not read the merge queue",
};

const REASON_LIMIT = 300;
// C0/C1 controls and the bidirectional overrides and isolates: they would reorder or hide what the line says.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** One line, no secret, no control character, at most REASON_LIMIT characters. */
export function oneLine(text: string): string {
  const scrubbed = scrubText(text, (line) => scanLine(line));
  const flat = scrubbed.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  return truncate(flat, REASON_LIMIT, "…") || "no message";
}

/** Why an error happened, in one line: GitHub's status first when GitHub answered. */
export function reasonOf(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  // A GitHub error's message can end with its documentation URL: noise in one line.
  const text = status
    ? `GitHub answered ${status}: ${message.replace(/ - https:\/\/docs\.github\.com\S*$/, "")}`
    : message;
  return oneLine(text);
}

export interface ReviewFailure {
  stage: ReviewStage;
  reason: string;
  requestId?: string;
}

export function failureOf(stage: ReviewStage, error: unknown): ReviewFailure {
  const requestId = requestIdOf(error);
  return { stage, reason: reasonOf(error), ...(requestId ? { requestId: oneLine(requestId) } : {}) };
}

/** Why the run concludes as it does: the verdict already found, or `on-error`. */
export type ConclusionBasis = "verdict" | "on-error";

/**
 * A failure never weakens a verdict already reached: new findings at or above
 * `fail-on` fail the check even when posting them broke and `on-error` is `neutral`.
 */
export function failureConclusion(
  verdict: CheckConclusion | undefined,
  onError: OnError,
): { conclusion: CheckConclusion; basis: ConclusionBasis } {
  if (verdict === "failure") return { conclusion: "failure", basis: "verdict" };
  return { conclusion: onError, basis: "on-error" };
}

export function failureTitle(stage: ReviewStage): string {
  return truncate(`Review failed: ${STAGE_TEXT[stage]}`, TITLE_LIMIT);
}

export function failureOutput(
  failure: ReviewFailure,
  conclusion: CheckConclusion,
  basis: ConclusionBasis,
): CheckOutput {
  const why =
    basis === "verdict"
      ? "the review had already found new findings at or above `fail-on`, and a failure does not change that"
      : conclusion === "neutral"
        ? "the configuration sets `on-error: neutral`"
        : "a review that cannot finish fails closed (`on-error` is `failure` unless the configuration on the default branch sets `neutral`)";
  return renderFailure({
    title: failureTitle(failure.stage),
    step: STAGE_TEXT[failure.stage],
    cause: failure.reason,
    conclusion,
    why,
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
  });
}
