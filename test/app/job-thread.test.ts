import { afterEach, describe, expect, it } from "vitest";
import { reasonOf } from "../../src/app/fail-closed.js";
import { requestIdOf, statusOf } from "../../src/app/github/errors.js";
import { jobErrorData, jobErrorFrom } from "../../src/app/job-protocol.js";
import { JobThread, JobThreadExit } from "../../src/app/job-thread.js";
import { jobHandlers } from "../../src/app/jobs.js";
import { Metrics } from "../../src/app/metrics.js";
import type { Job } from "../../src/app/queue/job.js";

/**
 * The queue's side of the job thread, on a real worker thread running a
 * scripted stand-in (support/scripted-job-worker.mjs): a job's outcome
 * crosses as the queue reads it (GitHub's status, retry-after, request id),
 * and a thread that dies fails its jobs so the queue retries them, and is
 * replaced. The real job thread is run end to end in server.e2e.test.ts.
 */

const workerUrl = new URL("./support/scripted-job-worker.mjs", import.meta.url);
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as never;

function job(id: string): Job {
  return {
    id,
    event: { id, name: "pull_request", payload: { action: "opened" } },
    installationId: 1,
    repository: "o/r",
    pullNumber: 2,
    key: "o/r#2",
    coalesce: true,
    order: 1,
    receivedAt: Date.now(),
  };
}

const first = { number: 1, last: false, resumed: false };
let thread: JobThread;

afterEach(async () => {
  await thread.close();
});

describe("JobThread", () => {
  it("runs a job on the thread and is ready once the thread says so", async () => {
    thread = new JobThread({ env: {}, workerUrl, log: silent });
    await thread.ready();
    expect(thread.warm).toBe(true);
    await expect(thread.execute(job("ok"), first)).resolves.toBeUndefined();
    await expect(thread.metricsJson()).resolves.toEqual([]);
  });

  it("hands the queue a GitHub failure it can retry as GitHub asks", async () => {
    thread = new JobThread({ env: {}, workerUrl, log: silent });
    const metrics = new Metrics({ defaultMetrics: false });
    const handlers = jobHandlers(thread, silent, metrics, { retryBaseMs: 1000 });
    const error = await handlers.run(job("rate-limited"), first).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(403);
    expect(requestIdOf(error)).toBe("ABCD:1234");
    expect(reasonOf(error)).toBe("GitHub answered 403: You have exceeded a secondary rate limit");
    expect(handlers.retryDelayMs(error, 1)).toBe(37_000);
    expect(await metrics.registry.getSingleMetricAsString("tollgate_errors_total")).toContain(
      'tollgate_errors_total{kind="job_retry"} 1',
    );
  });

  it("fails the jobs of a thread that dies, and starts another", async () => {
    thread = new JobThread({ env: {}, workerUrl, log: silent });
    await thread.ready();
    const crashed = thread.execute(job("crash"), first);
    await expect(crashed).rejects.toBeInstanceOf(JobThreadExit);
    await expect(crashed).rejects.toThrow("the job thread stopped (exit code 7) while the job ran");
    await thread.ready();
    await expect(thread.execute(job("ok"), first)).resolves.toBeUndefined();
  });

  it("waits longer and longer before starting again a thread that cannot start, and refuses jobs meanwhile", async () => {
    thread = new JobThread({ env: { FAIL_AT_START: "1" }, workerUrl, log: silent });
    // Started, stopped, started again after 0.5 s, stopped: the next start waits 1 s, not a tight loop.
    while (thread.starts < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(thread.starts).toBe(2);
    expect(thread.warm).toBe(false);
    await expect(thread.execute(job("ok"), first)).rejects.toThrow("the job thread could not start");
  });

  it("refuses jobs once closed", async () => {
    thread = new JobThread({ env: {}, workerUrl, log: silent });
    await thread.close();
    await expect(thread.execute(job("ok"), first)).rejects.toBeInstanceOf(JobThreadExit);
  });
});

describe("a job's error across the thread", () => {
  it("keeps what the retry policy and the logs read, and nothing else of the response", () => {
    const noToken = Object.assign(new Error("Not Found"), {
      name: "HttpError",
      status: 404,
      request: {
        url: "https://api.github.com/app/installations/9/access_tokens",
        headers: { authorization: "x" },
      },
      response: {
        headers: { "x-github-request-id": "R:1", "set-cookie": "s" },
        data: { message: "Not Found" },
      },
    });
    const data = jobErrorData(noToken);
    expect(data).toEqual({
      name: "HttpError",
      message: "Not Found",
      status: 404,
      url: "https://api.github.com/app/installations/9/access_tokens",
      headers: { "x-github-request-id": "R:1" },
    });
    const back = jobErrorFrom(structuredClone(data));
    const handlers = jobHandlers({} as never, silent, new Metrics({ defaultMetrics: false }));
    expect(handlers.isPermanent(back)).toBe(true);
    expect(requestIdOf(back)).toBe("R:1");
    expect(jobErrorData("plain")).toEqual({ name: "Error", message: "plain" });
  });
});
