import { describe, expect, it } from "vitest";
import { type Job, jobFromEvent } from "../../../src/app/queue/job.js";
import { MemoryQueue } from "../../../src/app/queue/memory-queue.js";
import { type JobHandlers, QueueClosedError, QueueFullError } from "../../../src/app/queue/types.js";

/** A pull_request delivery for installation `inst`, repository `repo`, PR `pr`, at head `sha`. */
function prJob(id: string, inst: number, pr: number, sha: string, action = "synchronize", at = 0): Job {
  return jobFromEvent(
    {
      id,
      name: "pull_request",
      payload: {
        action,
        installation: { id: inst },
        repository: { full_name: `org${inst}/repo` },
        pull_request: { number: pr, head: { sha }, updated_at: new Date(at).toISOString() },
      },
    },
    at,
  );
}

function commentJob(id: string, inst: number, pr: number): Job {
  return jobFromEvent(
    {
      id,
      name: "issue_comment",
      payload: {
        action: "created",
        installation: { id: inst },
        repository: { full_name: `org${inst}/repo` },
        issue: { number: pr, pull_request: {} },
      },
    },
    0,
  );
}

/** Handlers that record what ran and hold each job until released. */
function recorder(options: { fail?: (job: Job, attempt: number) => boolean; hold?: boolean } = {}) {
  const ran: string[] = [];
  const attempts: Array<[string, number, boolean, boolean]> = [];
  const concluded: string[] = [];
  const held: Array<() => void> = [];
  const handlers: JobHandlers = {
    async run(job, attempt) {
      ran.push(job.id);
      attempts.push([job.id, attempt.number, attempt.last, attempt.resumed]);
      if (options.hold) await new Promise<void>((resolve) => held.push(resolve));
      if (options.fail?.(job, attempt.number)) throw Object.assign(new Error("boom"), { status: 502 });
    },
    async conclude(job) {
      concluded.push(job.id);
    },
    retryDelayMs: () => 0,
    isPermanent: (e) => (e as { permanent?: boolean }).permanent === true,
  };
  const release = () => {
    for (const r of held.splice(0)) r();
  };
  return { handlers, ran, attempts, concluded, held, release };
}

describe("jobFromEvent", () => {
  it("keys a job by installation, repository and pull request; only review actions coalesce", () => {
    const job = prJob("d1", 7, 12, "a");
    expect(job).toMatchObject({
      id: "d1",
      installationId: 7,
      repository: "org7/repo",
      pullNumber: 12,
      key: "7/org7/repo#12",
      coalesce: true,
    });
    expect(commentJob("c1", 7, 12)).toMatchObject({ key: "7/org7/repo#12", coalesce: false, pullNumber: 12 });
    expect(prJob("d2", 7, 12, "a", "edited").coalesce).toBe(false);
    const mergeGroup = jobFromEvent(
      {
        id: "m1",
        name: "merge_group",
        payload: {
          installation: { id: 7 },
          repository: { full_name: "Org7/Repo" },
          merge_group: { head_sha: "f00" },
        },
      },
      5,
    );
    expect(mergeGroup).toMatchObject({ key: "7/org7/repo@f00", coalesce: false, order: 5 });
  });
});

describe("the embedded queue", () => {
  it("queues a delivery id once: a redelivery is a duplicate", async () => {
    const q = new MemoryQueue();
    const r = recorder();
    expect(await q.enqueue(prJob("d1", 1, 1, "a"))).toBe("queued");
    expect(await q.enqueue(prJob("d1", 1, 1, "a"))).toBe("duplicate");
    q.start(r.handlers);
    await q.idle();
    expect(r.ran).toEqual(["d1"]);
  });

  it("a newer head replaces a queued older one in place; an older one arriving late is dropped", async () => {
    const q = new MemoryQueue({ concurrency: 1 });
    expect(await q.enqueue(prJob("old", 1, 1, "a", "synchronize", 1_000))).toBe("queued");
    expect(await q.enqueue(prJob("other", 1, 2, "x", "opened", 1_000))).toBe("queued");
    expect(await q.enqueue(prJob("new", 1, 1, "b", "synchronize", 2_000))).toBe("replaced");
    expect(await q.enqueue(prJob("late", 1, 1, "z", "synchronize", 1_500))).toBe("coalesced");
    // Commands are never coalesced away.
    expect(await q.enqueue(commentJob("cmd", 1, 1))).toBe("queued");
    const r = recorder();
    q.start(r.handlers);
    await q.idle();
    expect(r.ran).toEqual(["new", "other", "cmd"]);
  });

  it("runs one job per pull request at a time; a head arriving meanwhile waits, then runs", async () => {
    const q = new MemoryQueue({ concurrency: 4 });
    const r = recorder({ hold: true });
    q.start(r.handlers);
    await q.enqueue(prJob("first", 1, 1, "a", "opened", 1));
    await q.enqueue(prJob("second", 1, 1, "b", "synchronize", 2));
    await q.enqueue(prJob("elsewhere", 1, 2, "c", "opened", 3));
    expect(r.ran).toEqual(["first", "elsewhere"]);
    expect(await q.stats()).toEqual({ waiting: 1, running: 2 });
    r.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.ran).toEqual(["first", "elsewhere", "second"]);
    r.release();
    await q.idle();
  });

  it("serves installations in turn: one organisation's burst does not starve another", async () => {
    const q = new MemoryQueue({ concurrency: 1 });
    for (let i = 1; i <= 5; i++) await q.enqueue(prJob(`busy-${i}`, 1, i, "a"));
    await q.enqueue(prJob("quiet-1", 2, 1, "a"));
    await q.enqueue(prJob("quiet-2", 2, 2, "a"));
    const r = recorder();
    q.start(r.handlers);
    await q.idle();
    expect(r.ran).toEqual(["busy-1", "quiet-1", "busy-2", "quiet-2", "busy-3", "busy-4", "busy-5"]);
  });

  it("is bounded: past maxWaiting a delivery is refused with 503, and a refused id may come again", async () => {
    const q = new MemoryQueue({ maxWaiting: 2 });
    await q.enqueue(prJob("a", 1, 1, "a"));
    await q.enqueue(prJob("b", 1, 2, "a"));
    const refused = q.enqueue(prJob("c", 1, 3, "a"));
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ status: 503 });
    // Replacing a queued head needs no room.
    expect(await q.enqueue(prJob("b2", 1, 2, "b", "synchronize", 9))).toBe("replaced");
    const r = recorder();
    q.start(r.handlers);
    await q.idle();
    expect(await q.enqueue(prJob("c", 1, 3, "a"))).toBe("queued");
    await q.idle();
    expect(r.ran).toEqual(["a", "b2", "c"]);
  });

  it("retries a failed job, then hands the last failure to conclude; a permanent failure is not retried", async () => {
    const q = new MemoryQueue({ attempts: 3 });
    const r = recorder({ fail: (job) => job.id !== "permanent" });
    const permanentHandlers: JobHandlers = {
      ...r.handlers,
      run: async (job, attempt) => {
        await r.handlers.run(job, attempt).catch(() => undefined);
        if (job.id === "permanent") throw Object.assign(new Error("no token"), { permanent: true });
        throw new Error("boom");
      },
    };
    q.start(permanentHandlers);
    await q.enqueue(prJob("flaky", 1, 1, "a"));
    await q.enqueue(prJob("permanent", 1, 2, "a"));
    await q.idle();
    expect(r.attempts).toEqual([
      ["flaky", 1, false, false],
      ["permanent", 1, false, false],
      ["flaky", 2, false, true],
      ["flaky", 3, true, true],
    ]);
    expect(r.concluded).toEqual(["permanent", "flaky"]);
  });

  it("refuses deliveries once closing, and lets running jobs finish within the bound", async () => {
    const q = new MemoryQueue();
    const r = recorder({ hold: true });
    q.start(r.handlers);
    await q.enqueue(prJob("running", 1, 1, "a"));
    const closing = q.close(60_000);
    await expect(q.enqueue(prJob("late", 1, 2, "a"))).rejects.toBeInstanceOf(QueueClosedError);
    expect(await q.ready()).toBe(false);
    r.release();
    await closing;
    expect(r.ran).toEqual(["running"]);
  });
});
