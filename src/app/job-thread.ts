import { Worker } from "node:worker_threads";
import { AggregatorRegistry } from "prom-client";
import {
  type FromJobThread,
  type JobThreadData,
  jobErrorData,
  jobErrorFrom,
  type MetricsJson,
  type ToJobThread,
} from "./job-protocol.js";
import type { JobRunner } from "./jobs.js";
import type { Metrics } from "./metrics.js";
import type { Attempt, Job } from "./queue/job.js";
import type { Log } from "./types.js";

/**
 * Runs jobs on a thread of their own (job-worker.ts): the GitHub client, the
 * handlers and the engine's threads live there, and the event loop that
 * answers webhooks keeps only the HTTP server, the signature check and the
 * queue. Measured with `npm run bench:app`: with reviews in the same loop,
 * their GitHub traffic (fetch, Octokit, the rate limiter) held it 40–57 ms
 * at p99, and on Redis an acknowledgement waited behind it twice (the
 * enqueue's two round trips).
 *
 * It is the queue's `JobRunner`: the queue, its retries and its metrics stay
 * here; a job's failure comes back as an error with the status, URL and
 * headers the retry policy reads. A thread that dies (out of memory, a
 * crash) fails its running jobs with JobThreadExit, so the queue retries
 * them, and is replaced.
 */

export class JobThreadExit extends Error {
  override name = "JobThreadExit";
}

export interface JobThreadOptions {
  /** The thread's `process.env`: the app's configuration (APP_ID, PRIVATE_KEY, REDIS_URL, …). */
  env: NodeJS.ProcessEnv;
  log?: Log;
  /** The compiled job-worker.js (default: beside this module, or in dist/ when run from the sources). */
  workerUrl?: URL;
  /** The thread takes jobs from the shared queue (REDIS_URL) itself; default: the main thread hands them over. */
  consumeSharedQueue?: boolean;
}

type Call = DistributiveOmit<ToJobThread, "id">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const CLOSE_MS = 5_000;
const MAX_RESPAWN_MS = 30_000;

export function jobWorkerUrl(): URL {
  const here = import.meta.url;
  // Under the test runner this module is TypeScript: the thread runs the build of the same file.
  return here.endsWith(".ts")
    ? new URL("../../dist/src/app/job-worker.js", here)
    : new URL("./job-worker.js", here);
}

export class JobThread implements JobRunner {
  private worker!: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;
  private readonly url: URL;
  private readonly env: Record<string, string>;
  private readonly data: JobThreadData;
  /** The thread has its GitHub client, its handlers and a warm engine (`/readyz` waits for it). */
  warm = false;
  /** Threads started so far, the first included. */
  starts = 0;
  /** Threads in a row that stopped before they were warm: each waits longer before the next. */
  private failedStarts = 0;
  private respawn: NodeJS.Timeout | undefined;
  log: Log | undefined;

  constructor(options: JobThreadOptions) {
    this.url = options.workerUrl ?? jobWorkerUrl();
    this.log = options.log;
    this.data = { consumeSharedQueue: options.consumeSharedQueue ?? false };
    this.env = Object.fromEntries(
      Object.entries(options.env).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    this.spawn();
  }

  execute(job: Job, attempt: Attempt): Promise<void> {
    return this.call({ kind: "run", job, attempt }) as Promise<void>;
  }

  conclude(job: Job, error: unknown): Promise<void> {
    return this.call({ kind: "conclude", job, error: jobErrorData(error) }) as Promise<void>;
  }

  /** The thread's metrics (reviews, findings, GitHub requests…), for `/metrics` to add to this side's. */
  async metricsJson(): Promise<MetricsJson> {
    return ((await this.call({ kind: "metrics" })) as MetricsJson | undefined) ?? [];
  }

  async ready(): Promise<void> {
    while (!this.warm && !this.closed) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /**
   * Lets the thread stop: the jobs it took from the shared queue get `graceMs` to finish, its engine
   * threads stop; then (or 5 s past the bound) it is stopped, and calls still running reject.
   */
  async close(graceMs = 0): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.respawn);
    const closing = this.call({ kind: "close", graceMs });
    this.closed = true;
    await Promise.race([
      closing.catch(() => undefined),
      new Promise((r) => setTimeout(r, graceMs + CLOSE_MS).unref()),
    ]);
    await this.worker.terminate();
  }

  private call(message: Call): Promise<unknown> {
    if (this.closed) return Promise.reject(new JobThreadExit("the job thread is stopped"));
    if (this.respawn)
      return Promise.reject(new JobThreadExit("the job thread could not start; it is tried again"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as ToJobThread);
    });
  }

  private spawn(): void {
    this.respawn = undefined;
    this.warm = false;
    this.starts++;
    const worker = new Worker(this.url, { env: this.env, workerData: this.data });
    this.worker = worker;
    worker.on("message", (message: FromJobThread) => this.onMessage(message));
    worker.on("error", (e) => this.log?.error({ err: e }, "the job thread failed"));
    worker.on("exit", (code) => this.onExit(worker, code));
    // The thread must not keep a process alive that has nothing else to do (a test that stops its server).
    worker.unref();
  }

  private onMessage(message: FromJobThread): void {
    if (message.kind === "ready") {
      this.warm = true;
      this.failedStarts = 0;
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.kind === "done") call.resolve(message.value);
    else call.reject(jobErrorFrom(message.error));
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    const reason = new JobThreadExit(`the job thread stopped (exit code ${code}) while the job ran`);
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
    if (this.closed) return;
    if (this.warm) {
      this.log?.warn({ code }, "the job thread stopped; starting another");
      this.spawn();
      return;
    }
    // It could not start (a bad private key, a module that does not load): no tight loop of restarts.
    const delayMs = Math.min(MAX_RESPAWN_MS, 500 * 2 ** this.failedStarts++);
    this.log?.error({ code, delayMs }, "the job thread stopped while starting; trying again later");
    this.respawn = setTimeout(() => this.spawn(), delayMs);
    this.respawn.unref();
  }
}

/**
 * This side's metrics and the job thread's, as one Prometheus page: series
 * both have (errors by kind, say) are added up. Without an answer from the
 * thread (it is restarting), this side's alone.
 */
export async function metricsWithThread(metrics: Metrics, thread: JobThread): Promise<string> {
  const own = await metrics.registry.getMetricsAsJSON();
  const theirs = await thread.metricsJson().catch(() => [] as MetricsJson);
  // The process's start time is dropped by an `omit` aggregator; only this side reports it.
  const mine = own.map((m) => (m.aggregator === "omit" ? { ...m, aggregator: "first" as const } : m));
  return AggregatorRegistry.aggregate([mine, theirs] as never).metrics();
}
