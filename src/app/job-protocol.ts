import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { Attempt, Job } from "./queue/job.js";

/**
 * The messages between the event loop that answers webhooks and the job
 * thread (job-thread.ts ⇄ job-worker.ts). A job and its attempt cross as
 * data; its outcome comes back as `done` or as the error it failed with,
 * reduced to what the queue and the logs read of a GitHub error (status,
 * the request's URL, `retry-after` and GitHub's request id). Everything here
 * is structured-cloneable.
 */

export interface JobErrorData {
  name: string;
  message: string;
  status?: number;
  url?: string;
  /** Only the headers a retry or a log line reads (`retry-after`, `x-github-request-id`). */
  headers?: Record<string, string>;
}

/** What the job thread is started with (its `workerData`). */
export interface JobThreadData {
  /**
   * Take jobs from the shared queue (REDIS_URL) itself: BullMQ's worker, its
   * locks and its replies then stay off the main thread, which only queues.
   * Otherwise the main thread's queue hands each job over (`run`).
   */
  consumeSharedQueue: boolean;
}

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export type ToJobThread =
  | { kind: "run"; id: number; job: Job; attempt: Attempt }
  | { kind: "conclude"; id: number; job: Job; error: JobErrorData }
  | { kind: "metrics"; id: number }
  /** Stop: with the shared queue, let running jobs finish within `graceMs` (then BullMQ hands them on). */
  | { kind: "close"; id: number; graceMs: number };

export type FromJobThread =
  | { kind: "ready" }
  | { kind: "done"; id: number; value?: MetricsJson }
  | { kind: "failed"; id: number; error: JobErrorData };

const KEPT_HEADERS = ["retry-after", "x-github-request-id"] as const;

export function jobErrorData(e: unknown): JobErrorData {
  const data: JobErrorData =
    e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
  const err = e as {
    status?: unknown;
    request?: { url?: unknown };
    response?: { headers?: Record<string, unknown> };
  } | null;
  if (typeof err?.status === "number") data.status = err.status;
  if (typeof err?.request?.url === "string") data.url = err.request.url;
  const headers = err?.response?.headers;
  if (headers) {
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) if (headers[name] !== undefined) kept[name] = String(headers[name]);
    if (Object.keys(kept).length > 0) data.headers = kept;
  }
  return data;
}

/** An error with the same name, message, status, URL and headers on this side, in Octokit's shape. */
export function jobErrorFrom(data: JobErrorData): Error {
  const e = new Error(data.message) as Error & {
    status?: number;
    request?: { url: string };
    response?: { headers: Record<string, string> };
  };
  e.name = data.name;
  if (data.status !== undefined) e.status = data.status;
  if (data.url !== undefined) e.request = { url: data.url };
  if (data.headers) e.response = { headers: data.headers };
  return e;
}
