import { type Job as BullJob, DelayedError, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Attempt, Job } from "./job.js";
import {
  type EnqueueOutcome,
  type JobHandlers,
  QueueClosedError,
  QueueFullError,
  type QueueSettings,
  type QueueStats,
  type WorkQueue,
} from "./types.js";

/**
 * The shared queue: BullMQ on Redis, for any number of instances. Jobs live
 * in Redis, so a restart loses none, and a job whose instance died is taken
 * back by another one once its BullMQ lock lapses (stalled-job recovery).
 * What BullMQ does not give is kept in a few Redis keys of Tollgate's own:
 *
 * - a delivery id is queued once (`SET NX` on the id, kept a day);
 * - per pull request, the newest coalescing job (`latest:<key>`): an older
 *   one still queued finds it is not the newest when it starts, and stops;
 * - one job per key runs at a time across all instances (`lock:<key>`, a
 *   token lock renewed while the job runs); a job that finds the key held
 *   waits in BullMQ's delayed set and tries again;
 * - fairness: a job's priority is how many jobs its installation already has
 *   waiting, so a busy organisation's hundredth push waits behind another
 *   organisation's first.
 */

const NAME = "reviews";
const PREFIX = "tollgate";
const DELIVERY_TTL_S = 24 * 3600;
const LATEST_TTL_S = 7 * 24 * 3600;
const MAX_PRIORITY = 2_097_151;
const CONNECT_WAIT_MS = 2_000;
const WAITING_REFRESH_MS = 500;

/**
 * A delivery's admission in one round trip: refuse a seen delivery id; for a
 * coalescing job, refuse it when a newer head is recorded (by order, GitHub's
 * updated_at, then arrival) or record it as the newest; count it in its
 * installation's lane. Returns {0} (duplicate), {1} (older head), or
 * {2, priority, replaced job id or ""}.
 */
const ADMIT = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return {0} end
local replaced = ''
if ARGV[2] == '1' then
  local cur = redis.call('GET', KEYS[2])
  if cur then
    local o, r = string.match(cur, '^(%d+)|(%d+)|')
    if tonumber(o) > tonumber(ARGV[3]) or (tonumber(o) == tonumber(ARGV[3]) and tonumber(r) > tonumber(ARGV[4])) then
      return {1}
    end
    replaced = string.match(cur, '^%d+|%d+|(.*)$')
  end
  redis.call('SET', KEYS[2], ARGV[3] .. '|' .. ARGV[4] .. '|' .. ARGV[5], 'EX', ARGV[6])
end
local ahead = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[1])
return {2, ahead, replaced}`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisQueue implements WorkQueue {
  readonly kind = "redis";
  private readonly redis: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerRedis?: Redis;
  private closed = false;
  private waitingCount = { value: 0, at: 0 };
  private refreshing = false;

  constructor(
    private readonly url: string,
    private readonly settings: QueueSettings,
  ) {
    // Fail fast while Redis is away: the delivery is refused (503) rather than held past GitHub's 10 s.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on("error", () => undefined);
    this.queue = new Queue(NAME, { connection: this.redis, prefix: PREFIX });
    this.queue.on("error", () => undefined);
  }

  private k(...parts: Array<string | number>): string {
    return [PREFIX, "tollgate", ...parts].join(":");
  }

  async enqueue(job: Job): Promise<EnqueueOutcome> {
    if (this.closed) throw new QueueClosedError("shutting down: not taking deliveries");
    await this.connected();
    if (this.waiting() >= this.settings.maxWaiting) {
      throw new QueueFullError(`the queue is full (${this.settings.maxWaiting} jobs waiting)`);
    }
    const lane = this.k("installation", job.installationId ?? "-", "waiting");
    const keys = [this.k("delivery", job.id), this.k("latest", job.key), lane];
    const args = [DELIVERY_TTL_S, job.coalesce ? "1" : "0", job.order, job.receivedAt, job.id, LATEST_TTL_S];
    const [admitted, ahead = 1, replaced = ""] = (await this.redis.eval(
      ADMIT,
      keys.length,
      ...keys,
      ...args,
    )) as [number, number?, string?];
    if (admitted === 0) return "duplicate";
    if (admitted === 1) return "coalesced";
    try {
      await this.queue.add(job.event.name, job, {
        jobId: bullId(job.id),
        priority: Math.min(ahead, MAX_PRIORITY),
        attempts: this.settings.attempts,
        backoff: { type: "tollgate" },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      });
    } catch (e) {
      // Not queued: a redelivery of this id must be able to try again.
      await this.redis.del(keys[0]!).catch(() => undefined);
      await this.redis.decr(lane).catch(() => undefined);
      throw e;
    }
    this.waitingCount.value++;
    return replaced !== "" && (await this.isWaiting(replaced)) ? "replaced" : "queued";
  }

  /**
   * Jobs waiting, as last read from Redis: the count is refreshed at most
   * every WAITING_REFRESH_MS, in the background, so the bound is kept within
   * a burst's size without a count on every delivery, and no delivery's
   * answer waits for the count (a third round trip for one in ten of them
   * in a burst, measured with `npm run bench:app`).
   */
  private waiting(): number {
    const cached = this.waitingCount;
    if (!this.refreshing && Date.now() - cached.at > WAITING_REFRESH_MS) {
      this.refreshing = true;
      this.queue
        .getJobCounts("wait", "prioritized", "delayed")
        .then(
          (c) => {
            this.waitingCount = {
              value: (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0),
              at: Date.now(),
            };
          },
          () => undefined,
        )
        .finally(() => {
          this.refreshing = false;
        });
    }
    return cached.value;
  }

  /** Waits briefly for a connection that is (re)connecting; a Redis that stays away fails the delivery. */
  private async connected(): Promise<void> {
    if (this.redis.status === "ready") return;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      onReady = resolve;
      timer = setTimeout(resolve, CONNECT_WAIT_MS);
      this.redis.once("ready", onReady);
    });
    clearTimeout(timer);
    if (onReady) this.redis.off("ready", onReady);
  }

  private async isWaiting(deliveryId: string): Promise<boolean> {
    const state = await this.queue.getJobState(bullId(deliveryId));
    return state === "waiting" || state === "prioritized" || state === "delayed";
  }

  start(handlers: JobHandlers): void {
    // BullMQ's blocking reads need a connection of their own that retries for ever.
    this.workerRedis = new Redis(this.url, { maxRetriesPerRequest: null });
    this.workerRedis.on("error", () => undefined);
    const worker = new Worker(NAME, (bull, token) => this.process(bull as BullJob<Job>, token, handlers), {
      connection: this.workerRedis,
      prefix: PREFIX,
      concurrency: this.settings.concurrency,
      lockDuration: this.settings.lockMs,
      stalledInterval: this.settings.lockMs,
      maxStalledCount: 2,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          handlers.retryDelayMs(err, attemptsMade),
      },
    });
    worker.on("error", () => undefined);
    this.worker = worker;
  }

  private async process(
    bull: BullJob<Job>,
    token: string | undefined,
    handlers: JobHandlers,
  ): Promise<string> {
    const job = bull.data;
    if (job.coalesce && !(await this.isLatest(job))) {
      await this.settled(job);
      return "coalesced";
    }
    const lock = this.k("lock", job.key);
    const holder = bull.id ?? job.id;
    const taken = await this.redis.set(lock, holder, "PX", this.settings.lockMs, "NX");
    // Held by this same job: its instance died mid-run and BullMQ handed it here.
    if (taken === null && (await this.redis.get(lock)) !== holder) {
      await bull.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
      throw new DelayedError();
    }
    const renew = setInterval(
      () => {
        this.redis.eval(RENEW, 1, lock, holder, this.settings.lockMs).catch(() => undefined);
      },
      Math.floor(this.settings.lockMs / 3),
    );
    const attempt: Attempt = {
      number: bull.attemptsMade + 1,
      last: bull.attemptsMade + 1 >= this.settings.attempts,
      resumed: bull.attemptsMade > 0 || (bull.stalledCounter ?? 0) > 0,
    };
    try {
      await handlers.run(job, attempt);
      await this.settled(job);
      return "done";
    } catch (e) {
      const permanent = handlers.isPermanent(e);
      if (!attempt.last && !permanent) throw e;
      await handlers.conclude(job, e).catch(() => undefined);
      await this.settled(job);
      throw permanent ? new UnrecoverableError(e instanceof Error ? e.message : String(e)) : e;
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, lock, holder).catch(() => undefined);
    }
  }

  private async isLatest(job: Job): Promise<boolean> {
    const latest = await this.redis.get(this.k("latest", job.key));
    return latest === null || latest.endsWith(`|${job.id}`);
  }

  /** The job will not run again: its installation has one fewer waiting. */
  private async settled(job: Job): Promise<void> {
    const lane = this.k("installation", job.installationId ?? "-", "waiting");
    await this.redis.eval(
      `if redis.call('DECR', KEYS[1]) < 0 then redis.call('SET', KEYS[1], 0) end`,
      1,
      lane,
    );
  }

  async stats(): Promise<QueueStats> {
    const c = await this.queue.getJobCounts("wait", "prioritized", "delayed", "active");
    return { waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), running: c.active ?? 0 };
  }

  async ready(): Promise<boolean> {
    if (this.closed || this.redis.status !== "ready") return false;
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), graceMs);
      });
      // Past the bound, running jobs are let go: their BullMQ locks lapse and another instance takes them.
      if ((await Promise.race([worker.close(), late])) === "late") await worker.close(true);
      clearTimeout(timer);
    }
    await this.queue.close();
    this.workerRedis?.disconnect();
    this.redis.disconnect();
  }
}

/** BullMQ job ids are strings that must not look like integers or contain its key separator. */
function bullId(deliveryId: string): string {
  return `d-${deliveryId.replace(/:/g, "_")}`;
}
