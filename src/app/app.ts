import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunction, Probot } from "probot";
import type { Config } from "../review/config.js";
import { createAdvisorySource, resolveOsvUrl } from "../services/osv.js";
import { createReviewDeps, type ReviewDeps, type ReviewedOutcome } from "./deps.js";
import type { EnginePool } from "./engine-pool.js";
import { EventRouter } from "./event-router.js";
import { registerReviewHandlers } from "./handlers.js";
import { JobThread, metricsWithThread } from "./job-thread.js";
import { acceptDeliveries, type JobRunner, jobHandlers, jobRunner } from "./jobs.js";
import { registerMergeGroup } from "./merge-group.js";
import { type Metrics, metricsHandler } from "./metrics.js";
import { MemoryQueue } from "./queue/memory-queue.js";
import { readyHandler, runtimeWith, type TollgateRuntime } from "./runtime.js";
import { registerSlashCommands } from "./slash-command-handler.js";

/**
 * The Probot application. A verified webhook is only queued (jobs.ts); the
 * review handlers, the slash commands and the merge-group answer run from the
 * queue, in whichever instance takes the job, on its job thread unless
 * `TOLLGATE_JOB_THREAD=off` (job-thread.ts). Also serves `GET /healthz`,
 * `GET /readyz` and `GET /metrics`. Everything is read from the environment
 * once, at load time.
 */

export interface TollgateAppOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides for tests (a fixed clock, a stub suppressions source…). */
  deps?: Partial<ReviewDeps>;
  /** The queue and metrics; default: the embedded queue (`npm start` builds one from the environment). */
  runtime?: TollgateRuntime;
}

export function createTollgateApp(options: TollgateAppOptions = {}): ApplicationFunction {
  return (app, { addHandler }) => {
    const env = options.env ?? process.env;
    const runtime = options.runtime ?? runtimeWith(new MemoryQueue(), env);
    if (runtime.engine) runtime.engine.log = app.log;
    const { router, runner } = jobSide(app, env, runtime.metrics, runtime.engine, options.deps);
    acceptDeliveries(app, router, runtime.queue, runtime.metrics);
    // The job thread takes the shared queue's jobs itself; the embedded queue's are handed to it from here.
    const threadConsumes = runtime.queue.kind === "redis";
    // Spawned here, not with the runtime: Probot's run() has read the .env file into the environment by now.
    if (runtime.useJobThread)
      runtime.jobThread ??= new JobThread({ env, log: app.log, consumeSharedQueue: threadConsumes });
    if (!(runtime.jobThread && threadConsumes)) {
      runtime.queue.start(
        jobHandlers(runtime.jobThread ?? runner, app.log, runtime.metrics, {
          retryBaseMs: runtime.retryBaseMs,
          ...(runtime.gate ? { gate: runtime.gate } : {}),
        }),
      );
    }
    try {
      addHandler?.(healthHandler);
      addHandler?.(readyHandler(runtime));
      addHandler?.(
        metricsHandler(
          runtime.metrics,
          env.METRICS_TOKEN || undefined,
          runtime.jobThread
            ? metricsWithThread.bind(undefined, runtime.metrics, runtime.jobThread)
            : undefined,
        ),
      );
    } catch {
      // Loaded without an HTTP server (tests, serverless middleware): no route to add.
    }
  };
}

/**
 * The handlers a job runs and what they are built with: in the event loop,
 * or on the job thread (job-worker.ts), which builds the same from its
 * environment. The router also tells the webhook which deliveries to queue.
 */
export function jobSide(
  app: Probot,
  env: NodeJS.ProcessEnv,
  metrics: Metrics,
  engine: EnginePool | undefined,
  overrides: Partial<ReviewDeps> = {},
): { router: EventRouter; runner: JobRunner } {
  const deps = createReviewDeps({
    log: app.log,
    appId: parseAppId(env.APP_ID),
    docsBaseUrl: env.TOLLGATE_DOCS_URL || undefined,
    advisories: (config) => advisoriesFor(config, env),
    botLogin: once(async () => {
      const appOctokit = await app.auth();
      const { data } = await appOctokit.rest.apps.getAuthenticated();
      return data?.slug ? `${data.slug}[bot]` : undefined;
    }),
    onReviewed: (outcome) => recordReview(metrics, outcome),
    ...(engine ? { steps: { runReview: engine.runReview } } : {}),
    ...overrides,
  });
  const router = new EventRouter();
  registerReviewHandlers(router, deps);
  registerSlashCommands(router, deps);
  registerMergeGroup(router, deps);
  return { router, runner: jobRunner(app, router, deps, metrics) };
}

function recordReview(metrics: Metrics, outcome: ReviewedOutcome): void {
  metrics.reviews.inc({ outcome: outcome.kind, conclusion: outcome.conclusion ?? "none" });
  for (const f of outcome.review?.findings ?? []) metrics.findings.inc({ severity: f.severity });
}

/** Memoises a successful lookup; a failed one is retried next time. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fn().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

export function parseAppId(value: string | undefined): number | undefined {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** The OSV source for a repository's configuration; none when it turns lookups off. */
export function advisoriesFor(config: Config, env: NodeJS.ProcessEnv) {
  if (config.deps.vulnerabilities === "off") return undefined;
  return createAdvisorySource({ baseUrl: resolveOsvUrl(env, config.deps["osv-url"]) });
}

export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== "/healthz") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return true;
  }
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : "ok\n");
  return true;
}
