import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultEngineThreads, EnginePool } from "./engine-pool.js";
import type { JobThread } from "./job-thread.js";
import { LoopGate } from "./loop-gate.js";
import { Metrics } from "./metrics.js";
import { MemoryQueue } from "./queue/memory-queue.js";
import type { QueueSettings, WorkQueue } from "./queue/types.js";

/**
 * What one running instance holds besides the handlers: its work queue, its
 * metrics and whether it is shutting down. `npm start` builds it from the
 * environment; tests hand one in.
 *
 * Environment: REDIS_URL (the shared queue; without it, the embedded one),
 * TOLLGATE_CONCURRENCY (jobs at once per instance, default 4),
 * TOLLGATE_QUEUE_MAX (jobs waiting at most, default 10,000),
 * TOLLGATE_JOB_ATTEMPTS (default 3), TOLLGATE_RETRY_BASE_MS (default 2,000),
 * TOLLGATE_JOB_LOCK_MS (Redis: how long a dead instance's job stays claimed,
 * default 30,000), TOLLGATE_SHUTDOWN_MS (default 25,000), METRICS_TOKEN,
 * TOLLGATE_ENGINE_THREADS (reviews run on this many worker threads, off the
 * event loop that answers webhooks; 0 runs them in the event loop; default
 * one per core beyond the first, 1 to 4), TOLLGATE_MAX_LOOP_DELAY_MS (a
 * further job starts only while the event loop's recent delay is below it,
 * so webhooks are answered at once under load; the first 4 jobs always
 * start; 0 turns it off; default 20), TOLLGATE_JOB_THREAD (`off` runs jobs —
 * their GitHub traffic and the handlers — in the event loop that answers
 * webhooks; by default they run on a thread of their own, job-thread.ts),
 * TOLLGATE_THREAD_NICENESS (thread-priority.ts).
 */

export interface TollgateRuntime {
  queue: WorkQueue;
  metrics: Metrics;
  retryBaseMs?: number;
  shutdownMs: number;
  state: { shuttingDown: boolean };
  /** The engine threads reviews run on; none: the engine runs in the event loop (tests, `TOLLGATE_ENGINE_THREADS=0`). */
  engine?: EnginePool;
  /** Holds job starts while the event loop lags; none: jobs start as the queue hands them out. */
  gate?: LoopGate;
  /** Jobs run on a thread of their own (`npm start`; the app spawns it once it has read the environment). */
  useJobThread?: boolean;
  jobThread?: JobThread;
}

function int(value: string | undefined, fallback: number, min = 1): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : fallback;
}

export function queueSettings(env: NodeJS.ProcessEnv): QueueSettings {
  return {
    concurrency: int(env.TOLLGATE_CONCURRENCY, 4),
    maxWaiting: int(env.TOLLGATE_QUEUE_MAX, 10_000),
    attempts: int(env.TOLLGATE_JOB_ATTEMPTS, 3),
    lockMs: int(env.TOLLGATE_JOB_LOCK_MS, 30_000, 1_000),
  };
}

/** `TOLLGATE_RETRY_BASE_MS`: the first retry's delay (default 2 s). */
export function retryBaseMsOf(env: NodeJS.ProcessEnv): number {
  return int(env.TOLLGATE_RETRY_BASE_MS, 2_000, 0);
}

export function runtimeWith(queue: WorkQueue, env: NodeJS.ProcessEnv = {}): TollgateRuntime {
  return {
    queue,
    metrics: new Metrics({ queueStats: () => queue.stats() }),
    retryBaseMs: retryBaseMsOf(env),
    shutdownMs: int(env.TOLLGATE_SHUTDOWN_MS, 25_000, 0),
    state: { shuttingDown: false },
  };
}

/** The embedded queue, or BullMQ on Redis when REDIS_URL is set (loaded only then). */
export async function createRuntime(env: NodeJS.ProcessEnv): Promise<TollgateRuntime> {
  const settings = queueSettings(env);
  const queue: WorkQueue = env.REDIS_URL
    ? new (await import("./queue/redis-queue.js")).RedisQueue(env.REDIS_URL, settings)
    : new MemoryQueue(settings);
  const runtime = runtimeWith(queue, env);
  // With a job thread, the engine threads are that thread's (job-worker.ts).
  if (env.TOLLGATE_JOB_THREAD === "off") runtime.engine = engineFromEnv(env);
  else runtime.useJobThread = true;
  const maxDelayMs = int(env.TOLLGATE_MAX_LOOP_DELAY_MS, 20, 0);
  // The old default concurrency always runs, so a host busy with other work is paced, never serialised.
  if (maxDelayMs > 0)
    runtime.gate = new LoopGate({ maxDelayMs, minRunning: Math.min(4, settings.concurrency) });
  return runtime;
}

/** The engine threads `TOLLGATE_ENGINE_THREADS` asks for; none when it is 0. */
export function engineFromEnv(env: NodeJS.ProcessEnv): EnginePool | undefined {
  const threads = int(env.TOLLGATE_ENGINE_THREADS, defaultEngineThreads(), 0);
  return threads > 0 ? new EnginePool({ size: threads }) : undefined;
}

/** `GET /readyz`: 503 while shutting down, while the engine threads warm up, or while the queue (Redis) is unreachable. */
export function readyHandler(runtime: TollgateRuntime) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== "/readyz") return false;
    const ready =
      !runtime.state.shuttingDown &&
      (runtime.engine?.warm ?? true) &&
      (runtime.jobThread?.warm ?? true) &&
      (await runtime.queue.ready());
    res.writeHead(ready ? 200 : 503, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(ready ? "ready\n" : `${notReadyReason(runtime)}\n`);
    return true;
  };
}

function notReadyReason(runtime: TollgateRuntime): string {
  if (runtime.state.shuttingDown) return "shutting down";
  if (runtime.engine && !runtime.engine.warm) return "engine threads starting";
  if (runtime.jobThread && !runtime.jobThread.warm) return "job thread starting";
  return "queue unreachable";
}
