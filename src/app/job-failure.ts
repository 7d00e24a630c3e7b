import { CHECK_NAME } from "../report/check-run.js";
import { nearestOnError } from "./config-loader.js";
import { failureConclusion, failureOf, failureOutput, type ReviewStage } from "./fail-closed.js";
import type { ExistingCheckRun, GitHubPort } from "./github/port.js";
import { isSupersededRun } from "./review-plan.js";
import type { Log } from "./types.js";

/**
 * A job that failed every attempt (GitHub unreachable, a 5xx on every try)
 * before its review could conclude: the head it was for gets a concluded
 * `tollgate` run saying so, with the fail-closed `on-error` conclusion, so a
 * required check never waits on work that was given up. A run an attempt
 * left in progress is concluded rather than a second one created; a head
 * already concluded is left alone.
 */

export async function concludeGivenUp(
  github: GitHubPort,
  options: {
    headSha: string;
    externalId: string;
    appId: number | undefined;
    error: unknown;
    now: Date;
    log: Log;
    stage?: ReviewStage;
  },
): Promise<"concluded" | "already-concluded"> {
  const { headSha, error, log } = options;
  const newest = newestRun(await github.listCheckRunsForRef(headSha, options.appId));
  if (newest?.status === "completed" && !isSupersededRun(newest)) return "already-concluded";
  const onError = await nearestOnError(github);
  const { conclusion, basis } = failureConclusion(undefined, onError);
  const failure = failureOf(options.stage ?? "start", error);
  const id =
    newest && newest.status !== "completed"
      ? newest.id
      : (await github.createCheckRun(headSha, options.externalId, options.now)).id;
  await github.completeCheckRun(id, conclusion, failureOutput(failure, conclusion, basis), options.now);
  log.error(
    { headSha, checkRunId: id, conclusion, reason: failure.reason, requestId: failure.requestId },
    `gave up on the job: ${CHECK_NAME} concluded ${conclusion}`,
  );
  return "concluded";
}

function newestRun(runs: readonly ExistingCheckRun[]): ExistingCheckRun | undefined {
  return [...runs].sort((a, b) => b.id - a.id)[0];
}
