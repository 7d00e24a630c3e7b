import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import nock from "nock";
import type { Server } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MemoryQueue } from "../../src/app/queue/memory-queue.js";
import { commentableLines, parsePatch } from "../../src/formats/patch.js";
import { runtimeOfServer, StartupError, startServer } from "../../src/server.js";
import { ensureBuilt } from "../support/built.js";
import { startRedis } from "../support/redis-server.js";
import { APP_ID, FakeGitHub } from "./support/fake-github.js";
import { privateKey, pullRequestEvent } from "./support/probot.js";

/**
 * The real server (what `npm start` runs) over real HTTP on loopback, against
 * the GitHub stand-in served as a GitHub Enterprise Server (GHE_HOST +
 * GHE_PROTOCOL=http). Webhooks are signed with WEBHOOK_SECRET like GitHub's.
 */

const SECRET = "e2e-webhook-secret";
const BAD_DOCKERFILE =
  // Plain HTTP: a blocking (high) finding; root alone is medium (docs/severity.md).
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Stack {
  fake: FakeGitHub;
  server: Server;
  base: string;
  deliver: (event: { id: string; name: string; payload: unknown }, secret?: string) => Promise<Response>;
  /** The webhook answers once the work is queued: this waits for the queue to run it. */
  idle: () => Promise<void>;
  stop: () => Promise<void>;
}

async function startStack(fake: FakeGitHub, extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const github = await fake.listen();
  const port = await freePort();
  const server: Server = await startServer({
    env: {
      NODE_ENV: "test",
      APP_ID: String(APP_ID),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
      TOLLGATE_OSV_URL: `http://${github.host}/osv`,
      ...extraEnv,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    fake,
    server,
    base,
    deliver: (event, secret = SECRET) => {
      const body = JSON.stringify(event.payload);
      const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      return fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event.name,
          "x-github-delivery": event.id,
          "x-hub-signature-256": signature,
        },
        body,
      });
    },
    idle: () => (runtimeOfServer(server)!.queue as MemoryQueue).idle(),
    stop: async () => {
      await server.stop();
      await github.close();
    },
  };
}

beforeAll(() => {
  // The job thread and the engine threads run the build (test/support/built.ts).
  ensureBuilt();
  // Only loopback: the server and the GitHub stand-in.
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
  nock.enableNetConnect();
});

describe("npm start against a GitHub stand-in on loopback", () => {
  let stack: Stack;

  afterEach(async () => {
    if (!stack) return;
    expect(stack.fake.contractViolations).toEqual([]);
    await stack.stop();
  });

  it("reviews a PR adding a bad Dockerfile; a redelivery creates nothing; a bad signature is refused", async () => {
    const fake = new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "deps:\n  vulnerabilities: off\n";
    stack = await startStack(fake);

    const health = await fetch(`${stack.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok\n");

    const event = pullRequestEvent("opened", fake, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    const response = await stack.deliver(event);
    expect(response.status).toBe(200);
    await stack.idle();

    expect(fake.checkRuns).toHaveLength(1);
    const run = fake.checkRuns[0]!;
    expect(run.name).toBe("tollgate");
    expect(run.head_sha).toBe(fake.headSha);
    expect(run.history.map((h) => `${h.status}/${h.conclusion}`)).toEqual([
      "in_progress/null",
      "completed/failure",
    ]);
    expect(
      run.output.annotations.map((a: { title: string; start_line: number }) => [a.title, a.start_line]),
    ).toEqual([
      ["[medium] docker/runs-as-root", 1],
      ["[medium] docker/unpinned-base-image", 1],
      ["[high] docker/remote-script-pipe-to-shell", 2],
    ]);

    expect(fake.reviews).toHaveLength(1);
    const diffLines = commentableLines(parsePatch(fake.files[0].patch));
    const comments = fake.reviews[0]!.comments as Array<{ path: string; line: number; side: string }>;
    expect(comments.length).toBe(3);
    for (const c of comments) {
      expect(c.path).toBe("Dockerfile");
      expect(c.side).toBe("RIGHT");
      expect(diffLines.right.has(c.line)).toBe(true);
    }

    const requestsAfterFirst = fake.requests.length;
    const writes = fake.writes().length;
    const again = await stack.deliver(event);
    expect(again.status).toBe(200);
    await stack.idle();
    expect(fake.writes()).toHaveLength(writes);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.reviews).toHaveLength(1);

    // The redelivery (same X-GitHub-Delivery) is recognised at the webhook and never queued: not one request.
    const before = fake.requests.length;
    expect(before).toBe(requestsAfterFirst);
    const forged = await stack.deliver({ ...event, id: "forged-1" }, "not-the-secret");
    expect(forged.status).toBe(400);
    expect(fake.requests.length).toBe(before);
  });

  it("a PR with no relevant change completes success with no review", async () => {
    const fake = new FakeGitHub().setFiles([{ path: "README.md", base: "# Hi\n", head: "# Hi there\n" }]);
    stack = await startStack(fake);
    const response = await stack.deliver(pullRequestEvent("opened", fake, "d-readme"));
    expect(response.status).toBe(200);
    await stack.idle();
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.reviews).toHaveLength(0);
  });

  it("runs jobs on the job thread, and /metrics adds its figures to the webhook side's", async () => {
    const fake = new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "deps:\n  vulnerabilities: off\n";
    stack = await startStack(fake);
    const runtime = runtimeOfServer(stack.server)!;
    // The engine threads are the job thread's; the webhook side holds none.
    expect(runtime.jobThread).toBeDefined();
    expect(runtime.engine).toBeUndefined();
    await runtime.jobThread!.ready();
    expect((await fetch(`${stack.base}/readyz`)).status).toBe(200);
    expect((await stack.deliver(pullRequestEvent("opened", fake, "d-timed-1"))).status).toBe(200);
    expect((await stack.deliver(pullRequestEvent("opened", fake, "d-timed-2"))).status).toBe(200);
    await stack.idle();
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    // This side: the answers, the deliveries, the jobs' times and the process.
    expect(metrics).toMatch(/^tollgate_webhook_response_seconds_count\{status="200"\} 2$/m);
    expect(metrics).toMatch(
      /^tollgate_webhook_deliveries_total\{event="pull_request",outcome="queued"\} 2$/m,
    );
    expect(metrics).toMatch(/^tollgate_job_duration_seconds_count\{event="pull_request",result="ok"\} 2$/m);
    expect(metrics).toMatch(/^process_start_time_seconds \d+/m);
    // The job thread's: the review (the second delivery's job finds the head reviewed), its findings, its requests.
    expect(metrics).toMatch(/^tollgate_reviews_total\{outcome="completed",conclusion="failure"\} 1$/m);
    expect(metrics).toMatch(/^tollgate_reviews_total\{outcome="skipped",conclusion="none"\} 1$/m);
    expect(metrics).toMatch(/^tollgate_findings_total\{severity="high"\} 1$/m);
    expect(metrics).toMatch(/^tollgate_findings_total\{severity="medium"\} 2$/m);
    const counted = [...metrics.matchAll(/^tollgate_github_requests_total\{[^}]*\} (\d+)$/gm)];
    expect(counted.reduce((n, m) => n + Number(m[1]), 0)).toBe(fake.requests.length);
    expect(metrics.match(/^# TYPE tollgate_reviews_total /gm)).toHaveLength(1);
  });

  it("with REDIS_URL, the job thread takes the jobs from Redis itself; the main thread only queues", async () => {
    const redis = await startRedis();
    try {
      const fake = new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
      fake.config = "deps:\n  vulnerabilities: off\n";
      stack = await startStack(fake, { REDIS_URL: redis.url });
      const runtime = runtimeOfServer(stack.server)!;
      expect(runtime.queue.kind).toBe("redis");
      await runtime.jobThread!.ready();
      expect((await stack.deliver(pullRequestEvent("opened", fake, "d-redis-1"))).status).toBe(200);
      expect((await stack.deliver(pullRequestEvent("opened", fake, "d-redis-1"))).status).toBe(200);
      while (fake.checkRuns[0]?.status !== "completed" || fake.reviews.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(fake.checkRuns.map((r) => `${r.status}/${r.conclusion}`)).toEqual(["completed/failure"]);
      expect(fake.reviews).toHaveLength(1);
      let metrics = "";
      // The job's completion is recorded just after its last write.
      while (!/^tollgate_job_duration_seconds_count\{[^}]*\} 1$/m.test(metrics)) {
        metrics = await (await fetch(`${stack.base}/metrics`)).text();
      }
      // Queued here (the redelivery recognised), waited for and run on the thread.
      expect(metrics).toMatch(
        /^tollgate_webhook_deliveries_total\{event="pull_request",outcome="queued"\} 1$/m,
      );
      expect(metrics).toMatch(
        /^tollgate_webhook_deliveries_total\{event="pull_request",outcome="duplicate"\} 1$/m,
      );
      expect(metrics).toMatch(/^tollgate_queue_wait_seconds_count 1$/m);
      expect(metrics).toMatch(/^tollgate_job_duration_seconds_count\{event="pull_request",result="ok"\} 1$/m);
      expect(metrics).toMatch(/^tollgate_reviews_total\{outcome="completed",conclusion="failure"\} 1$/m);
      expect(metrics).toMatch(/^tollgate_queue_jobs\{state="running"\} 0$/m);
      expect(fake.contractViolations).toEqual([]);
    } finally {
      await stack.stop();
      stack = undefined as never;
      await redis.stop();
    }
  });

  it("runs jobs in the event loop with TOLLGATE_JOB_THREAD=off", async () => {
    const fake = new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "deps:\n  vulnerabilities: off\n";
    stack = await startStack(fake, { TOLLGATE_JOB_THREAD: "off" });
    const runtime = runtimeOfServer(stack.server)!;
    expect(runtime.jobThread).toBeUndefined();
    expect(runtime.engine?.size).toBeGreaterThan(0);
    expect((await stack.deliver(pullRequestEvent("opened", fake, "d-loop-1"))).status).toBe(200);
    await stack.idle();
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    expect(metrics).toMatch(/^tollgate_reviews_total\{outcome="completed",conclusion="failure"\} 1$/m);
  });
});

describe("start-up", () => {
  it("without APP_ID, serves Probot's setup flow registering the app from app.yml", async () => {
    const previous = process.env.NO_SMEE_SETUP;
    process.env.NO_SMEE_SETUP = "true"; // no smee.io channel: the test stays on loopback
    const port = await freePort();
    const server = await startServer({ env: { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "fatal" } });
    try {
      const page = await fetch(`http://127.0.0.1:${port}/probot`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(
        '"default_permissions":{"checks":"write","pull_requests":"write","contents":"read","issues":"write","metadata":"read","merge_queues":"read"}',
      );
      expect(html).toContain(
        '"default_events":["pull_request","check_run","check_suite","issue_comment","pull_request_review_comment","merge_group"]',
      );
    } finally {
      await server.stop();
      if (previous === undefined) delete process.env.NO_SMEE_SETUP;
      else process.env.NO_SMEE_SETUP = previous;
    }
  });

  it("refuses to start without WEBHOOK_SECRET outside development and tests", async () => {
    await expect(
      startServer({ env: { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey } }),
    ).rejects.toBeInstanceOf(StartupError);
    await expect(startServer({ env: { APP_ID: "1", PRIVATE_KEY: privateKey } })).rejects.toThrow(
      /WEBHOOK_SECRET is not set/,
    );
  });
});

describe("the built server, as `npm start` runs it (node dist/src/server.js)", () => {
  const entry = new URL("../../dist/src/server.js", import.meta.url);

  it("is built by npm ci", () => {
    expect(existsSync(entry), "npm run build compiles the server").toBe(true);
  });

  it("refuses to start without WEBHOOK_SECRET, with one line that says why", () => {
    const run = spawnSync(process.execPath, [entry.pathname], {
      env: { PATH: process.env.PATH, APP_ID: "1", PRIVATE_KEY: privateKey, NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^tollgate: WEBHOOK_SECRET is not set\./);
  });

  it("reviews a signed pull_request.opened end to end as a separate process", async () => {
    const fake = new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "deps:\n  vulnerabilities: off\n";
    const github = await fake.listen();
    const port = await freePort();
    const child = spawn(process.execPath, [entry.pathname], {
      env: {
        PATH: process.env.PATH,
        APP_ID: String(APP_ID),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: github.host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes("Listening on")) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const event = pullRequestEvent("opened", fake, "built-1");
      const body = JSON.stringify(event.payload);
      const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event.name,
          "x-github-delivery": event.id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      // Another process: its queue cannot be awaited, so wait for the run to conclude (or the test's timeout).
      while (fake.checkRuns[0]?.status !== "completed" || fake.reviews.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(fake.checkRuns.map((r) => `${r.name}:${r.status}/${r.conclusion}`)).toEqual([
        "tollgate:completed/failure",
      ]);
      expect(fake.reviews).toHaveLength(1);
      expect(fake.contractViolations).toEqual([]);
    } finally {
      child.kill();
      await github.close();
    }
  });
});
