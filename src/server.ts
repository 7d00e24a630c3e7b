import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApplicationFunction, type Logger, run, type Server } from "probot";
import { createTollgateApp } from "./app/app.js";
import { TollgateOctokit } from "./app/octokit.js";

/**
 * What `npm start` runs: the Probot server with Tollgate loaded.
 *
 * Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT,
 * HOST, LOG_LEVEL, GHE_HOST / GHE_PROTOCOL (GitHub Enterprise Server),
 * TOLLGATE_DOCS_URL, TOLLGATE_OSV_URL. Without APP_ID (outside production),
 * Probot's setup flow registers the app from app.yml.
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
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  assertStartable(env);
  return run(options.app ?? createTollgateApp({ env }), {
    env,
    Octokit: TollgateOctokit,
    ...(options.log ? { log: options.log } : {}),
  });
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
  startServer().catch((e: unknown) => {
    console.error(e instanceof StartupError ? `tollgate: ${e.message}` : e);
    process.exit(1);
  });
}
