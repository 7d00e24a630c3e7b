import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { Probot, ProbotOctokit } from "probot";
import { createTollgateApp, once } from "../../../src/app/app.js";
import { MemoryQueue } from "../../../src/app/queue/memory-queue.js";
import type { WorkQueue } from "../../../src/app/queue/types.js";
import type { ReviewDeps } from "../../../src/app/review-flow.js";
import { runtimeWith, type TollgateRuntime } from "../../../src/app/runtime.js";
import { APP_ID, type FakeGitHub, INSTALLATION_ID } from "./fake-github.js";
import { MemoryGitHub } from "./memory-github.js";

/** A throwaway RSA key: Probot signs its app JWT with it. */
export const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export const FIXED_NOW = new Date("2026-11-28T12:00:00Z");

let memoryFake: FakeGitHub | undefined;

/**
 * Serves the app's GitHub port from this fake, in memory (see memory-github.ts),
 * for every Probot `testProbot` builds from now on in this test file.
 */
export function useMemoryGitHub<F extends FakeGitHub>(fake: F): F {
  memoryFake = fake;
  return fake;
}

/** The in-memory port and bot account, when a fake is in use. */
function memoryDeps(): Partial<ReviewDeps> {
  const fake = memoryFake;
  if (!fake) return {};
  return {
    github: (_octokit, repo) => new MemoryGitHub(fake, repo),
    botLogin: once(() => new MemoryGitHub(fake).botLogin()),
  };
}

const runtimes = new WeakMap<Probot, TollgateRuntime>();

/** The queue and metrics of a Probot `testProbot` built. */
export function runtimeOf(probot: Probot): TollgateRuntime {
  const runtime = runtimes.get(probot);
  if (!runtime) throw new Error("not a testProbot");
  return runtime;
}

/** Resolves once the queue has run every job it holds, retries included (for Redis: in every instance). */
export async function drained(queue: WorkQueue): Promise<void> {
  if (queue instanceof MemoryQueue) return queue.idle();
  for (;;) {
    const { waiting, running } = await queue.stats();
    if (waiting === 0 && running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Probot as the app runs it, minus retry and throttling (they would wait real
 * seconds in tests). The webhook only queues its work, so `receive` here
 * also waits for the queue to drain: a test reads the outcome right after,
 * as it did when reviews ran inside the delivery. `receiveOnly` is the bare
 * webhook half. Queue retries run without delay.
 */
export function testProbot(
  deps: Partial<ReviewDeps> = {},
  env: NodeJS.ProcessEnv = {},
  queue: WorkQueue = new MemoryQueue(),
): Probot & { receiveOnly: Probot["receive"] } {
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const runtime = runtimeWith(queue, { TOLLGATE_RETRY_BASE_MS: "0" });
  runtimes.set(probot, runtime);
  probot.load(
    createTollgateApp({
      runtime,
      env: { APP_ID: String(APP_ID), ...env },
      deps: {
        now: () => FIXED_NOW,
        advisories: () => undefined,
        loadSuppressions: async () => ({ suppressions: [], notes: [] }),
        ...memoryDeps(),
        ...deps,
      },
    }),
  );
  const receiveOnly = probot.receive.bind(probot);
  return Object.assign(probot, {
    receiveOnly,
    receive: async (event: Parameters<Probot["receive"]>[0]) => {
      await receiveOnly(event);
      await drained(queue);
    },
  });
}

type Definition = { name: string; examples: Array<Record<string, any>> };
const definitions = examples as unknown as Definition[];

/** A webhooks-examples payload of that event and action, with an installation. */
export function example(name: string, action: string): Record<string, any> {
  const found = definitions.find((d) => d.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  const payload = structuredClone(found);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  return payload;
}

/** A `pull_request.<action>` delivery for the fake's pull request (a fork PR when the fake says so). */
export function pullRequestEvent(action: string, fake: FakeGitHub, id = "delivery-1") {
  const payload = example("pull_request", action);
  const pr = payload.pull_request;
  pr.number = fake.pull.number;
  payload.number = fake.pull.number;
  pr.head.sha = fake.pull.head.sha;
  pr.base.sha = fake.pull.base.sha;
  pr.draft = fake.pull.draft;
  pr.state = "open";
  pr.changed_files = fake.files.length;
  if (fake.options.fork) {
    pr.head.repo = {
      ...pr.head.repo,
      id: 999,
      full_name: "forker/Hello-World",
      fork: true,
      owner: { ...pr.head.repo.owner, login: "forker" },
    };
    pr.head.label = "forker:changes";
    pr.user = { ...pr.user, login: "forker" };
  }
  return { id, name: "pull_request" as const, payload: payload as any };
}
