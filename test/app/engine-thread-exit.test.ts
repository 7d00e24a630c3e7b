import { afterEach, describe, expect, it } from "vitest";
import { EngineThreadExit } from "../../src/app/engine-pool.js";
import { runReview } from "../../src/review/engine.js";
import { FakeGitHub } from "./support/fake-github.js";
import { pullRequestEvent, testProbot, useMemoryGitHub } from "./support/probot.js";

/**
 * An engine thread that dies (engine-pool.ts) says nothing about the change:
 * unlike an exception of the engine, it is not concluded fail-closed on the
 * spot. The job fails, its retry takes the run over, and the review
 * concludes as it would have; a thread that keeps dying ends, after the
 * last attempt, in the `on-error` conclusion.
 */

const BAD_DOCKERFILE =
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';

let fake: FakeGitHub;

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

describe("an engine thread that dies during a review", () => {
  it("fails the job; the retry takes the run over and concludes it with the review's verdict", async () => {
    fake = useMemoryGitHub(new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]));
    let calls = 0;
    const steps = {
      runReview: (async (...args: Parameters<typeof runReview>) => {
        calls++;
        if (calls === 1)
          throw new EngineThreadExit("an engine thread stopped (exit code 1) during the review");
        return runReview(...args);
      }) as typeof runReview,
    };
    await testProbot({ steps }).receive(pullRequestEvent("opened", fake, "d-exit"));
    expect(calls).toBe(2);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.checkRuns[0]!.output.title).not.toMatch(/Review failed/);
    expect(fake.reviews).toHaveLength(1);
  });

  it("concludes the run fail-closed after the last attempt", async () => {
    fake = useMemoryGitHub(new FakeGitHub().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]));
    const steps = {
      runReview: (async () => {
        throw new EngineThreadExit("an engine thread stopped (exit code 1) during the review");
      }) as typeof runReview,
    };
    await testProbot({ steps }).receive(pullRequestEvent("opened", fake, "d-exit-3"));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.checkRuns[0]!.output.summary).toContain("an engine thread stopped");
    expect(fake.reviews).toHaveLength(0);
  });
});
