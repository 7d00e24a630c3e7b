import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApplicationFunction, type Logger, run, type Server } from "probot";
import { createTollgateApp } from "./app/app.js";
import { githubMetricsPlugin } from "./app/metrics.js";
import { TollgateOctokit } from "./app/octokit.js";
import { timeWebhookResponses } from "./app/response-time.js";
import { createRuntime, type TollgateRuntime } from "./app/runtime.js";
import { warmHttpClient } from "./app/warm-up.js";

/**
 * What `npm start` runs: the Probot server with Tollgate loaded.
 *
 * Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT,
 * HOST, LOG_LEVEL, GHE_HOST / GHE_PROTOCOL (GitHub Enterprise Server),
 * TOLLGATE_DOCS_URL, TOLLGATE_OSV_URL; REDIS_URL, METRICS_TOKEN and the
 * queue's settings (src/app/runtime.ts). Without APP_ID (outside
 * production), Probot's setup flow registers the app from app.yml.
 */

export class StartupError extends Error {}

/**
 * Probot silently uses the secret "development" when WEBHOOK_SECRET is unset,
 * so anyone could sign webhooks. Refuse to start instead, except in
 * development and tests, and during the first-run setup flow (no APP_ID yet),
 * which writes the secret it registers.
 */
export function assertStartable(env: NodeJS.ProcessEnv): void {
  const relaxed = env.NODE_ENV === "development" || env.NODE_ENV === "test";
  const settingUp = !env.APP_ID && env.NODE_ENV !== "production";
  if (!env.WEBHOOK_SECRET?.trim() && !relaxed && !settingUp) {
    throw new StartupError(
      "WEBHOOK_SECRET is not set. Set it to the webhook secret of the GitHub App (Tollgate refuses to accept unsigned webhooks); NODE_ENV=development allows running without it.",
    );
  }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  app?: ApplicationFunction;
  /** Stop gracefully on SIGTERM (what `npm start` does; tests stop servers themselves). */
  handleSignals?: boolean;
}

const runtimes = new WeakMap<Server, TollgateRuntime>();

/** The queue and metrics of a server `startServer` started. */
export function runtimeOfServer(server: Server): TollgateRuntime | undefined {
  return runtimes.get(server);
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  assertStartable(env);
  const runtime = await createRuntime(env);
  await warmHttpClient();
  const server = await run(options.app ?? createTollgateApp({ env, runtime }), {
    env,
    Octokit: TollgateOctokit.plugin(githubMetricsPlugin(runtime.metrics) as never),
    ...(options.log ? { log: options.log } : {}),
  });
  runtimes.set(server, runtime);
  const untime = timeWebhookResponses(
    runtime.metrics,
    server.port,
    env.WEBHOOK_PATH || "/api/github/webhooks",
  );
  const stopHttp = server.stop.bind(server);
  // Probot's SIGINT handler and every caller of stop() get the graceful shutdown too.
  server.stop = () => shutdown(runtime, () => stopHttp().finally(untime));
  if (options.handleSignals) {
    process.once("SIGTERM", () => {
      console.info(
        `tollgate: SIGTERM: finishing running jobs (at most ${runtime.shutdownMs} ms), then exiting`,
      );
      server.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error("tollgate: error while shutting down", e);
          process.exit(1);
        },
      );
    });
  }
  return server;
}

/**
 * Stop taking deliveries (/readyz turns 503 and the listener closes), let
 * running jobs finish within `shutdownMs`, then let go of the rest: the
 * Redis queue hands them to another instance, the embedded one loses them
 * (their runs are taken over by the next event).
 */
async function shutdown(runtime: TollgateRuntime, stopHttp: () => Promise<void>): Promise<void> {
  if (runtime.state.shuttingDown) return;
  runtime.state.shuttingDown = true;
  await stopHttp();
  await runtime.queue.close(runtime.shutdownMs);
  // With Redis the job thread is the consumer: its running jobs get the bound here.
  await runtime.jobThread?.close(runtime.shutdownMs);
  await runtime.engine?.close();
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  startServer({ handleSignals: true }).catch((e: unknown) => {
    console.error(e instanceof StartupError ? `tollgate: ${e.message}` : e);
    process.exit(1);
  });
}
