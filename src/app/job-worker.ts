import { parentPort, workerData } from "node:worker_threads";
import { createProbot } from "probot";
import { loadAllChecks } from "../checks/index.js";
import { loadRuleCatalog } from "../review/rules.js";
import { jobSide } from "./app.js";
import {
  type FromJobThread,
  type JobThreadData,
  jobErrorData,
  jobErrorFrom,
  type ToJobThread,
} from "./job-protocol.js";
import { jobHandlers } from "./jobs.js";
import { githubMetricsPlugin, Metrics } from "./metrics.js";
import { TollgateOctokit } from "./octokit.js";
import type { WorkQueue } from "./queue/types.js";
import { engineFromEnv, queueSettings, retryBaseMsOf } from "./runtime.js";
import { threadNiceness, yieldCpuToMainThread } from "./thread-priority.js";
import { warmHttpClient } from "./warm-up.js";

/**
 * The job thread (job-thread.ts starts it): a Probot of its own built from
 * the same environment (app id, private key, GitHub Enterprise host, Redis
 * for the shared rate limiter), the same handlers, and the engine threads
 * (`TOLLGATE_ENGINE_THREADS`; with none, the engine runs here). It runs the
 * jobs the embedded queue hands the main thread, several at once, or, with
 * REDIS_URL, takes them from the shared queue itself; and keeps its own
 * metrics, which `/metrics` adds to the main thread's.
 */

const port = parentPort;
if (!port) throw new Error("job-worker.ts runs as a worker thread (job-thread.ts)");

const env = process.env;
// Before the engine threads start: they inherit it.
yieldCpuToMainThread(threadNiceness(env));
// The process's own figures (memory, event loop, GC) are the main thread's to report.
const metrics = new Metrics({ defaultMetrics: false });
const app = createProbot({
  // Probot's run() logs at info by default, createProbot at warn: the thread logs as the main thread does.
  env: { LOG_LEVEL: "info", ...env },
  overrides: { Octokit: TollgateOctokit.plugin(githubMetricsPlugin(metrics) as never) },
});
const engine = engineFromEnv(env);
if (engine) engine.log = app.log;
const { runner } = jobSide(app, env, metrics, engine);

// With the shared queue, this thread is the instance's consumer: BullMQ's worker runs here (started once warm).
let sharedQueue: WorkQueue | undefined;
let closing = false;

const send = (message: FromJobThread) => port.postMessage(message);

function answer(id: number, work: () => Promise<unknown>): void {
  work().then(
    (value) =>
      send(value === undefined ? { kind: "done", id } : ({ kind: "done", id, value } as FromJobThread)),
    (e: unknown) => send({ kind: "failed", id, error: jobErrorData(e) }),
  );
}

port.on("message", (message: ToJobThread) => {
  switch (message.kind) {
    case "run":
      answer(message.id, () => runner.execute(message.job, message.attempt));
      return;
    case "conclude":
      answer(message.id, () => runner.conclude(message.job, jobErrorFrom(message.error)));
      return;
    case "metrics":
      answer(message.id, () => metrics.registry.getMetricsAsJSON());
      return;
    case "close":
      closing = true;
      answer(message.id, async () => {
        await sharedQueue?.close(message.graceMs);
        await engine?.close();
      });
  }
});

// Before the first job: Node's fetch compiled, and the engine (its threads, or this one) loaded.
await Promise.all([
  warmHttpClient(),
  engine ? engine.ready() : Promise.all([loadRuleCatalog(), loadAllChecks()]),
]);
if ((workerData as JobThreadData).consumeSharedQueue && env.REDIS_URL && !closing) {
  const { RedisQueue } = await import("./queue/redis-queue.js");
  sharedQueue = new RedisQueue(env.REDIS_URL, queueSettings(env));
  sharedQueue.start(jobHandlers(runner, app.log, metrics, { retryBaseMs: retryBaseMsOf(env) }));
}
send({ kind: "ready" });
