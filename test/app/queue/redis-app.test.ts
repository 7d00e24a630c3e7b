import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisQueue } from "../../../src/app/queue/redis-queue.js";
import type { QueueSettings } from "../../../src/app/queue/types.js";
import { type RedisServer, startRedis } from "../../support/redis-server.js";
import { FakeGitHub } from "../support/fake-github.js";
import { drained, pullRequestEvent, testProbot, useMemoryGitHub } from "../support/probot.js";

/**
 * Two app instances sharing one real redis-server: deliveries and
 * redeliveries spread over both give one concluded run and one review per
 * head, as GitHub would see them.
 */

const SETTINGS: QueueSettings = { concurrency: 4, maxWaiting: 100, attempts: 3, lockMs: 5_000 };
const BAD_DOCKERFILE = "FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\n";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe("two instances on one Redis", () => {
  it("one concluded run and one review per head, whichever instance gets which delivery", async () => {
    const fake = useMemoryGitHub(
      new FakeGitHub({ headSha: "a".repeat(40) }).setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]),
    );
    const queues = [new RedisQueue(redis.url, SETTINGS), new RedisQueue(redis.url, SETTINGS)];
    const [a, b] = queues.map((q) => testProbot({}, {}, q)) as [
      ReturnType<typeof testProbot>,
      ReturnType<typeof testProbot>,
    ];
    try {
      const opened = pullRequestEvent("opened", fake, "d-open");
      await Promise.all([
        a.receiveOnly(opened),
        b.receiveOnly(opened),
        b.receiveOnly(pullRequestEvent("synchronize", fake, "d-sync-same-head")),
        a.receiveOnly(opened),
      ]);
      await drained(queues[0]!);
      expect(fake.checkRuns.map((r) => `${r.head_sha[0]}:${r.status}/${r.conclusion}`)).toEqual([
        "a:completed/failure",
      ]);
      expect(fake.reviews).toHaveLength(1);

      fake.push("b".repeat(40), [{ path: "Dockerfile", head: `${BAD_DOCKERFILE}USER root\n` }]);
      const pushed = pullRequestEvent("synchronize", fake, "d-push");
      await Promise.all([a.receiveOnly(pushed), b.receiveOnly(pushed)]);
      await drained(queues[1]!);
      expect(fake.checkRuns.map((r) => `${r.head_sha[0]}:${r.status}/${r.conclusion}`)).toEqual([
        "a:completed/failure",
        "b:completed/failure",
      ]);
      expect(fake.reviews.map((r) => r.commit_id[0])).toEqual(["a", "b"]);
      expect(fake.contractViolations).toEqual([]);
    } finally {
      await Promise.all(queues.map((q) => q.close(1_000)));
    }
  });
});
