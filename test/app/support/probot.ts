import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { Probot, ProbotOctokit } from "probot";
import { createTollgateApp, once } from "../../../src/app/app.js";
import type { ReviewDeps } from "../../../src/app/review-flow.js";
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

/** Probot as the app runs it, minus retry and throttling (they would wait real seconds in tests). */
export function testProbot(deps: Partial<ReviewDeps> = {}, env: NodeJS.ProcessEnv = {}): Probot {
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
  probot.load(
    createTollgateApp({
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
  return probot;
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
