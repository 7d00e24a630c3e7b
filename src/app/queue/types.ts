import type { Attempt, Job } from "./job.js";

/**
 * The work queue between the webhook and the review: the embedded one
 * (memory-queue.ts) by default, BullMQ on Redis (redis-queue.ts) with
 * `REDIS_URL`. Both promise the same things: a delivery id is queued once,
 * one key (one pull request) runs in one place at a time, a newer head
 * replaces a queued older one, the queue is bounded, and a job that keeps
 * failing ends in `conclude` (the fail-closed check run).
 */

export type EnqueueOutcome =
  /** Taken: a worker will run it. */
  | "queued"
  /** It replaced a queued older job for the same pull request. */
  | "replaced"
  /** A newer job for the same pull request is already queued: this one is moot. */
  | "coalesced"
  /** The same delivery id was queued before (a redelivery). */
  | "duplicate";

export class QueueFullError extends Error {
  readonly status = 503;
}

export class QueueClosedError extends Error {
  readonly status = 503;
}

export interface JobHandlers {
  run(job: Job, attempt: Attempt): Promise<void>;
  /** The last attempt failed (or the failure cannot be retried): conclude what can be concluded. */
  conclude(job: Job, error: unknown): Promise<void>;
  /** Delay before the next attempt: GitHub's `retry-after` when it sent one. */
  retryDelayMs(error: unknown, attempt: number): number;
  /** Failures no retry can fix (no token for the installation). */
  isPermanent(error: unknown): boolean;
}

export interface QueueStats {
  waiting: number;
  running: number;
}

export interface WorkQueue {
  readonly kind: "embedded" | "redis";
  /** Throws QueueFullError / QueueClosedError (answered 503, so GitHub records a failed delivery). */
  enqueue(job: Job): Promise<EnqueueOutcome>;
  start(handlers: JobHandlers): void;
  stats(): Promise<QueueStats>;
  /** Ready to take deliveries (Redis reachable when configured). */
  ready(): Promise<boolean>;
  /** Stop taking jobs; let running ones finish within `graceMs`, then hand back or drop the rest. */
  close(graceMs: number): Promise<void>;
}

/** How a queue is sized (runtime.ts reads them from the environment). */
export interface QueueSettings {
  /** Jobs one instance runs at once. */
  concurrency: number;
  maxWaiting: number;
  /** Runs of one job at most, the first included. */
  attempts: number;
  /** Redis: how long a job (and its pull request's lock) stays claimed by an instance that stopped renewing it. */
  lockMs: number;
}
