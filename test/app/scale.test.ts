import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { jobHandlers } from "../../src/app/jobs.js";
import { Metrics, metricsHandler } from "../../src/app/metrics.js";
import { runReview } from "../../src/review/engine.js";
import { APP_ID, FakeGitHub } from "./support/fake-github.js";
import { MemoryGitHub } from "./support/memory-github.js";
import { example, pullRequestEvent, runtimeOf, testProbot, useMemoryGitHub } from "./support/probot.js";

/**
 * Acknowledge first, queue the work: the webhook half returns before the
 * review, a newer head replaces a queued older one, a redelivery is dropped,
 * a merge group concludes from its pull requests' verdicts, a job that keeps
 * failing concludes fail-closed, and /metrics counts what happened.
 */

const BAD_DOCKERFILE =
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';
const GOOD_DOCKERFILE = `FROM node:20@sha256:${"a".repeat(64)}\nUSER node\nCMD ["node", "server.js"]\n`;
const RUNS = "/repos/{owner}/{repo}/check-runs";

let fake: FakeGitHub;

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

/** A review engine that waits for `release()` before running: the review is provably still going on. */
function heldEngine() {
  const gates: Array<() => void> = [];
  return {
    steps: {
      runReview: (async (...args: Parameters<typeof runReview>) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return runReview(...args);
      }) as typeof runReview,
    },
    release: () => {
      for (const g of gates.splice(0)) g();
    },
    waiting: () => gates.length,
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

async function scrape(
  metrics: Metrics,
  token?: string,
  auth?: string,
): Promise<{ status: number; body: string }> {
  let status = 0;
  let body = "";
  const res = {
    writeHead(s: number) {
      status = s;
      return this;
    },
    end(b?: string) {
      body = b ?? "";
    },
  } as unknown as ServerResponse;
  const req = {
    url: "/metrics",
    method: "GET",
    headers: auth ? { authorization: auth } : {},
  } as IncomingMessage;
  await metricsHandler(metrics, token)(req, res);
  return { status, body };
}

describe("acknowledge first", () => {
  it("the webhook returns while the review is still running; the review then concludes as before", async () => {
    fake = useMemoryGitHub(new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]));
    const engine = heldEngine();
    const probot = testProbot({ steps: engine.steps });
    await probot.receiveOnly(pullRequestEvent("opened", fake, "d-1"));
    await until(() => engine.waiting() === 1);
    expect(fake.checkRuns.map((r) => r.status)).toEqual(["in_progress"]);
    engine.release();
    await probot.receive(pullRequestEvent("opened", fake, "d-1")); // a redelivery: drains the queue
    expect(fake.checkRuns.map((r) => `${r.status}/${r.conclusion}`)).toEqual(["completed/failure"]);
    expect(fake.reviews).toHaveLength(1);
    const { body } = await scrape(runtimeOf(probot).metrics);
    expect(body).toContain('tollgate_webhook_deliveries_total{event="pull_request",outcome="queued"} 1\n');
    expect(body).toContain('tollgate_webhook_deliveries_total{event="pull_request",outcome="duplicate"} 1\n');
    expect(body).toContain('tollgate_reviews_total{outcome="completed",conclusion="failure"} 1\n');
    expect(body).toContain('tollgate_findings_total{severity="high"} 1\n');
    expect(body).toContain('tollgate_findings_total{severity="medium"} 2\n');
    expect(body).toContain('tollgate_queue_jobs{state="waiting"} 0\n');
    expect(body).toContain("tollgate_queue_wait_seconds_count 1\n");
    expect(body).toContain('tollgate_job_duration_seconds_count{event="pull_request",result="ok"} 1\n');
  });

  it("a newer head replaces a queued older one: three pushes during a review give two runs, not three", async () => {
    fake = useMemoryGitHub(
      new FakeGitHub({ headSha: "a".repeat(40) }).setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]),
    );
    const engine = heldEngine();
    const probot = testProbot({ steps: engine.steps });
    await probot.receiveOnly(pullRequestEvent("opened", fake, "d-a"));
    await until(() => engine.waiting() === 1);
    fake.push("b".repeat(40), [{ path: "Dockerfile", head: `${BAD_DOCKERFILE}# b\n` }]);
    await probot.receiveOnly(pullRequestEvent("synchronize", fake, "d-b"));
    fake.push("c".repeat(40), [{ path: "Dockerfile", head: GOOD_DOCKERFILE }]);
    await probot.receiveOnly(pullRequestEvent("synchronize", fake, "d-c"));
    engine.release();
    await until(() => engine.waiting() === 1);
    engine.release();
    await probot.receive(pullRequestEvent("synchronize", fake, "d-c"));
    expect(fake.checkRuns.map((r) => [r.head_sha[0], r.conclusion, r.output.title?.slice(0, 14)])).toEqual([
      ["a", "neutral", "Superseded by "],
      ["c", "success", "No new finding"],
    ]);
    expect(fake.reviews.map((r) => r.commit_id[0])).toEqual([]);
    const { body } = await scrape(runtimeOf(probot).metrics);
    expect(body).toContain('tollgate_webhook_deliveries_total{event="pull_request",outcome="replaced"} 1\n');
  });
});

describe("merge_group.checks_requested", () => {
  const GROUP = "9".repeat(40);

  function mergeGroupEvent(
    id: string,
    headRef = `refs/heads/gh-readonly-queue/master/pr-3-${"1".repeat(40)}`,
  ) {
    const payload = example("pull_request", "opened");
    return {
      id,
      name: "merge_group" as const,
      payload: {
        action: "checks_requested",
        merge_group: {
          head_sha: GROUP,
          head_ref: headRef,
          base_sha: "1".repeat(40),
          base_ref: "refs/heads/master",
          head_commit: { id: GROUP, message: "Merge", timestamp: "2026-11-28T12:00:00Z" },
        },
        repository: payload.repository,
        installation: payload.installation,
        sender: payload.sender,
      } as never,
    };
  }

  async function concluded(github: MemoryGitHub, sha: string, conclusion: "success" | "failure" | "neutral") {
    const { id } = await github.createCheckRun(sha, "9", new Date());
    await github.completeCheckRun(id, conclusion, { title: conclusion, summary: "." }, new Date());
  }

  it("concludes on the group's head with the union of the queued pull requests' verdicts", async () => {
    fake = useMemoryGitHub(new FakeGitHub());
    const github = new MemoryGitHub(fake);
    await concluded(github, "2".repeat(40), "success");
    await concluded(github, "3".repeat(40), "neutral");
    fake.mergeQueue = [
      { position: 1, headSha: "8".repeat(40), pullNumber: 2, pullHeadSha: "2".repeat(40) },
      { position: 2, headSha: GROUP, pullNumber: 3, pullHeadSha: "3".repeat(40) },
      { position: 3, headSha: "7".repeat(40), pullNumber: 4, pullHeadSha: "4".repeat(40) },
    ];
    const before = fake.writes().length;
    await testProbot().receive(mergeGroupEvent("mg-1"));
    // GraphQL's merge queue query is a POST, then one run created and concluded.
    expect(
      fake
        .writes()
        .slice(before)
        .map((w) => `${w.method} ${w.template}`),
    ).toEqual(["POST /graphql", `POST ${RUNS}`, `PATCH ${RUNS}/{check_run_id}`]);
    const run = fake.checkRuns.at(-1)!;
    expect(run).toMatchObject({ head_sha: GROUP, external_id: "merge-group", conclusion: "neutral" });
    expect(run.output.title).toBe("Merge group: 2 pull requests, all reviewed");
    expect(run.output.summary).toContain(
      `| #2 | \`222222222222\` | success |\n| #3 | \`333333333333\` | neutral |`,
    );
    expect(run.output.summary).not.toContain("#4");
  });

  it("fails closed when a pull request in the group has no concluded review, or the group is not in the queue", async () => {
    fake = useMemoryGitHub(new FakeGitHub());
    await concluded(new MemoryGitHub(fake), "2".repeat(40), "success");
    fake.mergeQueue = [
      { position: 1, headSha: "8".repeat(40), pullNumber: 2, pullHeadSha: "2".repeat(40) },
      { position: 2, headSha: "6".repeat(40), pullNumber: 3, pullHeadSha: "3".repeat(40) },
    ];
    const probot = testProbot();
    // The group's commit is not listed yet: its branch names PR 3.
    await probot.receive(mergeGroupEvent("mg-2"));
    const run = fake.checkRuns.at(-1)!;
    expect(run).toMatchObject({ head_sha: GROUP, conclusion: "failure" });
    expect(run.output.title).toBe("Merge group: 1 of 2 pull requests not passing");
    expect(run.output.summary).toContain("| #3 | `333333333333` | not reviewed |");

    fake.mergeQueue = [];
    await probot.receive(mergeGroupEvent("mg-3"));
    expect(fake.checkRuns.at(-1)).toMatchObject({ head_sha: GROUP, conclusion: "failure" });
    expect(fake.checkRuns.at(-1)!.output.title).toBe("Merge group: its pull requests could not be told");
  });
  it("Re-run on the group's run answers the group again, from the verdicts as they are now", async () => {
    fake = useMemoryGitHub(new FakeGitHub());
    const github = new MemoryGitHub(fake);
    fake.mergeQueue = [{ position: 1, headSha: GROUP, pullNumber: 3, pullHeadSha: "3".repeat(40) }];
    const probot = testProbot();
    await probot.receive(mergeGroupEvent("mg-4"));
    const first = fake.checkRuns.at(-1)!;
    expect(first).toMatchObject({ head_sha: GROUP, external_id: "merge-group", conclusion: "failure" });

    // Pull request 3 is reviewed meanwhile; the maintainer clicks "Re-run" on the group's run.
    await concluded(github, "3".repeat(40), "success");
    const rerun = (headBranch: string, id: string) => {
      const payload = example("check_run", "rerequested");
      payload.repository = example("pull_request", "opened").repository;
      payload.check_run = {
        ...payload.check_run,
        id: first.id,
        name: "tollgate",
        head_sha: GROUP,
        external_id: "merge-group",
        pull_requests: [],
        app: { ...payload.check_run.app, id: APP_ID },
        check_suite: { ...payload.check_run.check_suite, head_branch: headBranch },
      };
      return { id, name: "check_run" as const, payload: payload as never };
    };
    const before = fake.writes().length;
    await probot.receive(rerun(`gh-readonly-queue/master/pr-3-${"1".repeat(40)}`, "rr-1"));
    expect(
      fake
        .writes()
        .slice(before)
        .map((w) => `${w.method} ${w.template}`),
    ).toEqual(["POST /graphql", `POST ${RUNS}`, `PATCH ${RUNS}/{check_run_id}`]);
    expect(fake.checkRuns.at(-1)).toMatchObject({
      head_sha: GROUP,
      external_id: "merge-group",
      conclusion: "success",
    });
    expect(fake.checkRuns.at(-1)!.output.title).toBe("Merge group: 1 pull request, all reviewed");

    // A run whose suite is not on a merge queue branch names no group: it fails closed.
    await probot.receive(rerun("feature", "rr-2"));
    expect(fake.checkRuns.at(-1)).toMatchObject({ head_sha: GROUP, conclusion: "failure" });
    expect(fake.checkRuns.at(-1)!.output.summary).toContain("its branch is not a merge queue branch");
  });
});

describe("a job that keeps failing", () => {
  it("is retried, then concludes its head fail-closed with the on-error conclusion, in one run", async () => {
    fake = useMemoryGitHub(new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]));
    const original = fake.handle.bind(fake);
    let failures = 3;
    fake.handle = (method, path, body, base) => {
      if (method === "POST" && path.endsWith("/check-runs") && failures > 0) {
        failures--;
        return {
          status: 502,
          body: { message: "Bad Gateway" },
          headers: { "x-github-request-id": "RUN:502" },
        };
      }
      return original(method, path, body, base);
    };
    await testProbot().receive(pullRequestEvent("opened", fake, "d-fail"));
    expect(fake.checkRuns).toHaveLength(1);
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({
      head_sha: fake.headSha,
      external_id: "2",
      status: "completed",
      conclusion: "failure",
    });
    expect(run.output.title).toBe("Review failed: could not start the review");
    expect(run.output.summary).toContain("GitHub answered 502: Bad Gateway");
    expect(run.output.summary).toContain("RUN:502");
    expect(fake.reviews).toHaveLength(0);
  });

  it("is not retried when the installation's token is refused, and waits out a secondary rate limit", () => {
    const handlers = jobHandlers({} as never, {} as never, new Metrics({ defaultMetrics: false }), {
      retryBaseMs: 1000,
    });
    const noToken = Object.assign(new Error("Not Found"), {
      status: 404,
      request: { url: "https://api.github.com/app/installations/9/access_tokens" },
    });
    expect(handlers.isPermanent(noToken)).toBe(true);
    expect(handlers.isPermanent(Object.assign(new Error("x"), { status: 404 }))).toBe(false);
    const limited = Object.assign(new Error("secondary rate limit"), {
      status: 403,
      response: { headers: { "retry-after": "37" } },
    });
    expect(handlers.retryDelayMs(limited, 1)).toBe(37_000);
    expect(handlers.retryDelayMs(new Error("x"), 1)).toBe(1_000);
    expect(handlers.retryDelayMs(new Error("x"), 3)).toBe(4_000);
  });
});

describe("GET /metrics", () => {
  it("asks for METRICS_TOKEN as a bearer token when it is set", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeGitHub("POST", 201, { "x-ratelimit-remaining": "4990", "x-ratelimit-resource": "core" });
    expect((await scrape(metrics, "s3cret")).status).toBe(401);
    expect((await scrape(metrics, "s3cret", "Bearer wrong!")).status).toBe(401);
    const ok = await scrape(metrics, "s3cret", "Bearer s3cret");
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('tollgate_github_requests_total{method="POST",status="201"} 1\n');
    expect(ok.body).toContain('tollgate_github_rate_limit_remaining{resource="core"} 4990\n');
    expect(APP_ID).toBeGreaterThan(0);
  });
});
