import { Context, type Probot } from "probot";
import type { ReviewDeps } from "./deps.js";
import { markResumed } from "./event-context.js";
import type { EventRouter } from "./event-router.js";
import { reasonOf } from "./fail-closed.js";
import { requestIdOf, statusOf } from "./github/errors.js";
import { octokitGitHub } from "./github/octokit-adapter.js";
import { concludeGivenUp } from "./job-failure.js";
import type { LoopGate } from "./loop-gate.js";
import { MERGE_GROUP_EXTERNAL_ID } from "./merge-group.js";
import type { Metrics } from "./metrics.js";
import { type Attempt, type Job, jobFromEvent } from "./queue/job.js";
import type { JobHandlers, WorkQueue } from "./queue/types.js";
import type { Log } from "./types.js";

/**
 * The two halves around the queue. The webhook half answers at once: a
 * verified delivery some handler takes becomes a job (or is recognised as a
 * redelivery or an older head) and nothing else happens in the request. The
 * worker half runs a job in whichever instance takes it: an installation
 * Octokit, a Probot context rebuilt from the stored event, and the same
 * handlers the webhook used to call directly.
 */

export function acceptDeliveries(app: Probot, router: EventRouter, queue: WorkQueue, metrics: Metrics): void {
  app.onAny(async (context) => {
    const action = (context.payload as { action?: string }).action;
    if (!router.handles(context.name, action)) {
      metrics.deliveries.inc({ event: context.name, outcome: "ignored" });
      return;
    }
    const job = jobFromEvent(
      { id: context.id, name: context.name, payload: context.payload as Record<string, unknown> },
      Date.now(),
    );
    try {
      const outcome = await queue.enqueue(job);
      metrics.deliveries.inc({ event: context.name, outcome });
      jobLog(app.log, job).debug({ outcome }, "delivery queued");
    } catch (e) {
      metrics.deliveries.inc({ event: context.name, outcome: "refused" });
      metrics.errors.inc({ kind: "queue_refused" });
      jobLog(app.log, job).error({ reason: reasonOf(e) }, "delivery refused: GitHub records it as failed");
      throw e;
    }
  });
}

/** Delivery id, installation, repository and pull request on every line a job logs. */
export function jobLog(log: Log, job: Job): Log {
  const action = (job.event.payload as { action?: string }).action;
  return log.child({
    delivery: job.id,
    event: action ? `${job.event.name}.${action}` : job.event.name,
    installation: job.installationId,
    repository: job.repository,
    // The same form the pull-request context logs, so a line carrying both agrees.
    ...(job.pullNumber !== undefined ? { pr: `${job.repository}#${job.pullNumber}` } : {}),
  });
}

export interface WorkerOptions {
  /** First retry delay; doubles each attempt (default 2 s). */
  retryBaseMs?: number;
  /** Holds a job's start while the event loop lags (runtime.ts); none: jobs start at once. */
  gate?: LoopGate;
}

const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * The part of a job that talks to GitHub: an installation Octokit, a Probot
 * context rebuilt from the stored event and the handlers; and, when the
 * queue gives up, the fail-closed conclusion. It runs in the event loop, or
 * on the job thread (job-thread.ts) so that its HTTP traffic and the
 * engine's replies never delay a webhook's answer.
 */
export interface JobRunner {
  execute(job: Job, attempt: Attempt): Promise<void>;
  conclude(job: Job, error: unknown): Promise<void>;
}

export function jobRunner(app: Probot, router: EventRouter, deps: ReviewDeps, metrics: Metrics): JobRunner {
  return {
    async execute(job, attempt) {
      const octokit = await app.auth(job.installationId);
      const context = new Context(job.event as never, octokit, jobLog(app.log, job));
      if (attempt.resumed) markResumed(context);
      await router.dispatch(context);
    },
    conclude: (job, error) => concludeJob(app, deps, metrics, job, error),
  };
}

/** The queue's side of a job: timing, start pacing, the failure log line and the retry policy. */
export function jobHandlers(
  runner: JobRunner,
  log: Log,
  metrics: Metrics,
  options: WorkerOptions = {},
): JobHandlers {
  const base = options.retryBaseMs ?? 2_000;
  return {
    async run(job: Job, attempt: Attempt) {
      if (attempt.number === 1) metrics.queueWait.observe((Date.now() - job.receivedAt) / 1000);
      const admitted = options.gate ? await options.gate.admit() : () => undefined;
      const started = performance.now();
      let result = "ok";
      try {
        await runner.execute(job, attempt);
      } catch (e) {
        result = "error";
        metrics.errors.inc({ kind: attempt.last ? "job_failed" : "job_retry" });
        jobLog(log, job).warn(
          { attempt: attempt.number, last: attempt.last, reason: reasonOf(e), requestId: requestIdOf(e) },
          attempt.last ? "job failed on its last attempt" : "job failed; it will be retried",
        );
        throw e;
      } finally {
        admitted();
        metrics.jobDuration.observe({ event: job.event.name, result }, (performance.now() - started) / 1000);
      }
    },
    conclude: (job, error) => runner.conclude(job, error),
    retryDelayMs(error, attempt) {
      const retryAfter = Number(
        (error as { response?: { headers?: Record<string, string> } })?.response?.headers?.["retry-after"],
      );
      const status = statusOf(error);
      if ((status === 403 || status === 429) && Number.isFinite(retryAfter) && retryAfter > 0) {
        // A secondary rate limit is waited out, never dropped.
        return Math.min(retryAfter * 1000, MAX_RETRY_DELAY_MS);
      }
      return Math.min(base * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
    },
    isPermanent: noToken,
  };
}

/** The installation's token was refused (uninstalled, suspended): no retry can fix that. */
function noToken(error: unknown): boolean {
  const url = (error as { request?: { url?: string } })?.request?.url ?? "";
  const status = statusOf(error);
  return /\/app\/installations\/\d+\/access_tokens$/.test(url) && status !== undefined && status < 500;
}

/** The head a job was about, and the external id its run carries. */
function headOf(job: Job): { headSha: string; externalId: string } | undefined {
  const p = job.event.payload as {
    pull_request?: { head?: { sha?: string } };
    check_run?: { head_sha?: string; external_id?: string | null };
    check_suite?: { head_sha?: string };
    merge_group?: { head_sha?: string };
  };
  if (p.merge_group?.head_sha)
    return { headSha: p.merge_group.head_sha, externalId: MERGE_GROUP_EXTERNAL_ID };
  if (p.check_run?.head_sha && p.check_run.external_id === MERGE_GROUP_EXTERNAL_ID)
    return { headSha: p.check_run.head_sha, externalId: MERGE_GROUP_EXTERNAL_ID };
  const headSha = p.pull_request?.head?.sha ?? p.check_run?.head_sha ?? p.check_suite?.head_sha;
  if (!headSha || job.pullNumber === undefined) return undefined;
  return { headSha, externalId: String(job.pullNumber) };
}

async function concludeJob(app: Probot, deps: ReviewDeps, metrics: Metrics, job: Job, error: unknown) {
  const log = jobLog(app.log, job);
  if (noToken(error)) {
    metrics.errors.inc({ kind: "no_token" });
    log.error(
      { reason: reasonOf(error) },
      "no token for the installation (uninstalled or suspended?): the delivery is dropped",
    );
    return;
  }
  const head = headOf(job);
  const [owner, repo] = job.repository.split("/");
  if (!head || !owner || !repo || job.installationId === undefined) {
    log.error({ reason: reasonOf(error) }, "job given up; it had no check run to conclude");
    return;
  }
  try {
    const octokit = await app.auth(job.installationId);
    const github = (deps.github ?? octokitGitHub)(octokit, { owner, repo });
    const now = (deps.now ?? (() => new Date()))();
    await concludeGivenUp(github, { ...head, appId: deps.appId, error, now, log });
  } catch (e) {
    metrics.errors.inc({ kind: "conclude_failed" });
    log.error(
      { reason: reasonOf(e), requestId: requestIdOf(e), cause: reasonOf(error) },
      "job given up, and its check run could not be concluded: a later event takes it over",
    );
  }
}
