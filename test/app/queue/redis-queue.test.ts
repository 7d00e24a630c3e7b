import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Job, jobFromEvent } from "../../../src/app/queue/job.js";
import { RedisQueue } from "../../../src/app/queue/redis-queue.js";
import type { JobHandlers, QueueFullError, QueueSettings } from "../../../src/app/queue/types.js";
import { type RedisServer, startRedis } from "../../support/redis-server.js";

/**
 * The BullMQ queue against a real redis-server started for this file: the
 * same promises as the embedded queue, across instances and restarts.
 */

const SETTINGS: QueueSettings = { concurrency: 4, maxWaiting: 100, attempts: 3, lockMs: 5_000 };

let redis: RedisServer;
let admin: Redis;
const open: RedisQueue[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});

afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close(1_000)));
  await admin.flushall();
});

function queue(settings: Partial<QueueSettings> = {}): RedisQueue {
  const q = new RedisQueue(redis.url, { ...SETTINGS, ...settings });
  open.push(q);
  return q;
}

function event(id: string, inst: number, pr: number, at: number, name = "pull_request"): Job {
  const payload =
    name === "pull_request"
      ? {
          action: "synchronize",
          installation: { id: inst },
          repository: { full_name: `org${inst}/repo` },
          pull_request: { number: pr, head: { sha: id }, updated_at: new Date(at).toISOString() },
        }
      : {
          action: "created",
          installation: { id: inst },
          repository: { full_name: `org${inst}/repo` },
          issue: { number: pr, pull_request: {} },
        };
  return jobFromEvent({ id, name, payload }, at);
}

interface Recorded {
  handlers: JobHandlers;
  ran: Array<{ id: string; attempt: number; last: boolean; resumed: boolean; start: number; end: number }>;
  concluded: string[];
}

function recorder(run: (job: Job) => Promise<void> = async () => undefined): Recorded {
  const rec: Recorded = {
    ran: [],
    concluded: [],
    handlers: {
      async run(job, attempt) {
        const entry = {
          id: job.id,
          attempt: attempt.number,
          last: attempt.last,
          resumed: attempt.resumed,
          start: Date.now(),
          end: 0,
        };
        rec.ran.push(entry);
        try {
          await run(job);
        } finally {
          entry.end = Date.now();
        }
      },
      async conclude(job) {
        rec.concluded.push(job.id);
      },
      retryDelayMs: () => 10,
      isPermanent: () => false,
    },
  };
  return rec;
}

async function settled(q: RedisQueue, done: () => boolean): Promise<void> {
  for (;;) {
    const s = await q.stats();
    if (s.waiting === 0 && s.running === 0 && done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the Redis queue (BullMQ on a real redis-server)", () => {
  it("queues a delivery once, lets a newer head replace a queued one, and keeps jobs across a restart", async () => {
    const first = queue();
    expect(await first.enqueue(event("d1", 1, 1, 1_000))).toBe("queued");
    expect(await first.enqueue(event("d1", 1, 1, 1_000))).toBe("duplicate");
    expect(await first.enqueue(event("d2", 1, 1, 2_000))).toBe("replaced");
    expect(await first.enqueue(event("d0", 1, 1, 500))).toBe("coalesced");
    expect(await first.enqueue(event("c1", 1, 1, 3_000, "issue_comment"))).toBe("queued");
    expect(await first.stats()).toEqual({ waiting: 3, running: 0 });
    await first.close(1_000);

    // Another instance, after the first one is gone: the jobs are still there.
    const second = queue();
    const rec = recorder();
    second.start(rec.handlers);
    await settled(second, () => rec.ran.length === 2);
    expect(rec.ran.map((r) => r.id).sort()).toEqual(["c1", "d2"]);
    expect(await second.enqueue(event("d2", 1, 1, 2_000))).toBe("duplicate");
  });

  it("runs one job per pull request at a time across two instances", async () => {
    const a = queue();
    const b = queue();
    const rec = recorder(() => new Promise((resolve) => setTimeout(resolve, 150)));
    a.start(rec.handlers);
    b.start(rec.handlers);
    for (const id of ["c1", "c2", "c3"]) await a.enqueue(event(id, 1, 7, 0, "issue_comment"));
    await b.enqueue(event("other", 1, 8, 0, "issue_comment"));
    await settled(a, () => rec.ran.length === 4 && rec.ran.every((r) => r.end > 0));
    const samePr = rec.ran.filter((r) => r.id !== "other").sort((x, y) => x.start - y.start);
    expect(samePr).toHaveLength(3);
    for (let i = 1; i < samePr.length; i++)
      expect(samePr[i]!.start).toBeGreaterThanOrEqual(samePr[i - 1]!.end);
  });

  it("serves installations fairly: a busy one's fifth job waits behind another's first", async () => {
    const q = queue({ concurrency: 1 });
    for (let i = 1; i <= 4; i++) await q.enqueue(event(`busy-${i}`, 1, i, i));
    await q.enqueue(event("quiet-1", 2, 1, 10));
    const rec = recorder();
    q.start(rec.handlers);
    await settled(q, () => rec.ran.length === 5);
    expect(rec.ran.map((r) => r.id)).toEqual(["busy-1", "quiet-1", "busy-2", "busy-3", "busy-4"]);
  });

  it("retries with backoff, then concludes once on the last attempt", async () => {
    const q = queue();
    const rec = recorder(async () => {
      throw Object.assign(new Error("Bad Gateway"), { status: 502 });
    });
    q.start(rec.handlers);
    await q.enqueue(event("flaky", 1, 1, 0));
    await settled(q, () => rec.concluded.length === 1);
    expect(rec.ran.map((r) => [r.attempt, r.last, r.resumed])).toEqual([
      [1, false, false],
      [2, false, true],
      [3, true, true],
    ]);
    expect(rec.concluded).toEqual(["flaky"]);
  });

  it("is bounded: once the count read in the background reaches maxWaiting, deliveries are refused with 503", async () => {
    const q = queue({ maxWaiting: 3 });
    for (const id of ["w1", "w2", "w3"])
      expect(await q.enqueue(event(id, 1, Number(id[1]), 0))).toBe("queued");
    // The count is refreshed at most every half second, off the delivery's path: a burst may pass it by one.
    const late: Array<string | number> = [];
    for (let i = 4; i <= 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      late.push(await q.enqueue(event(`w${i}`, 1, i, 0)).catch((e: unknown) => (e as QueueFullError).status));
    }
    expect(late.at(-1)).toBe(503);
    expect(late.filter((o) => o === "queued").length).toBeLessThanOrEqual(1);
    expect((await q.stats()).waiting).toBeLessThanOrEqual(4);
  });

  it("Redis going away mid-run: not ready, deliveries refused, no half-done job; all resumes when it returns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-redis-"));
    let own = await startRedis({ dir });
    const q = new RedisQueue(own.url, { ...SETTINGS, lockMs: 1_000 });
    let redisGone!: () => void;
    const gone = new Promise<void>((resolve) => {
      redisGone = resolve;
    });
    // The first run of "mid" finishes its work while Redis is away: BullMQ cannot record it.
    let midRuns = 0;
    const rec = recorder(async (job) => {
      if (job.id === "mid" && ++midRuns === 1) await gone;
    });
    try {
      q.start(rec.handlers);
      expect(await q.enqueue(event("mid", 1, 1, 0))).toBe("queued");
      while (!rec.ran.some((r) => r.id === "mid")) await new Promise((resolve) => setTimeout(resolve, 20));

      await own.stop();
      expect(await q.ready()).toBe(false);
      await expect(q.enqueue(event("while-away", 2, 1, 0))).rejects.toThrow();
      redisGone();

      own = await startRedis({ dir, port: own.port });
      while (!(await q.ready())) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await q.enqueue(event("after", 3, 1, 0))).toBe("queued");
      // The delivery refused while Redis was away is GitHub's to redeliver; it is not held here.
      expect(await q.enqueue(event("while-away", 2, 1, 0))).toBe("queued");
      // Settled: nothing waiting, nothing active in Redis (a job whose completion was lost stays active until
      // its lock lapses, then runs again).
      await settled(q, () => rec.ran.filter((r) => r.end > 0).length >= 3);

      expect(
        rec.ran
          .filter((r) => r.id !== "mid")
          .map((r) => [r.id, r.resumed])
          .sort(),
      ).toEqual([
        ["after", false],
        ["while-away", false],
      ]);
      // "mid" finished its work while Redis was away. Either its completion reached Redis once it returned
      // (the worker's connection holds commands while reconnecting), or it did not, and the job ran again
      // from the start as a resumed attempt (which takes its check run over): never left half-done.
      const mid = rec.ran.filter((r) => r.id === "mid").map((r) => r.resumed);
      expect([[false], [false, true]]).toContainEqual(mid);
      expect(rec.concluded).toEqual([]);
    } finally {
      await q.close(100);
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("is ready while Redis answers; without Redis it is not, and refuses deliveries at once", async () => {
    const own = await startRedis();
    const q = new RedisQueue(own.url, SETTINGS);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await q.ready()).toBe(true);
      await own.stop();
      expect(await q.ready()).toBe(false);
      await expect(q.enqueue(event("lost", 1, 1, 0))).rejects.toThrow();
    } finally {
      await q.close(100);
    }
  });
});
