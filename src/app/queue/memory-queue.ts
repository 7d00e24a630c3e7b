import { LRUCache } from "lru-cache";
import { type Attempt, type Job, newer } from "./job.js";
import {
  type EnqueueOutcome,
  type JobHandlers,
  QueueClosedError,
  QueueFullError,
  type QueueStats,
  type WorkQueue,
} from "./types.js";

/**
 * The embedded queue: one process, nothing to run beside it. Jobs wait in one
 * FIFO per installation and workers take them round-robin across
 * installations, so one organisation's burst of pushes cannot starve the
 * others. A key (a pull request) runs once at a time; a newer head replaces a
 * queued older one in place (keeping its turn). Jobs are lost with the
 * process: GitHub's state (the run left in progress, taken over later) and a
 * push or Re-run recover; REDIS_URL is the durable option.
 */

export interface MemoryQueueOptions {
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** Jobs waiting at most (default 10,000); past it deliveries are refused with 503. */
  maxWaiting?: number;
  /** Runs of one job at most, the first included (default 3). */
  attempts?: number;
  /** Delivery ids remembered to refuse redeliveries (default 50,000). */
  rememberDeliveries?: number;
}

interface Entry {
  job: Job;
  attempt: number;
}

export class MemoryQueue implements WorkQueue {
  readonly kind = "embedded";
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly attempts: number;
  private readonly seen: LRUCache<string, true>;
  /** Waiting entries, one FIFO per installation, in the order installations are served. */
  private readonly lanes = new Map<string, Entry[]>();
  /** The waiting coalescing entry of each key. */
  private readonly coalescing = new Map<string, Entry>();
  private readonly runningKeys = new Set<string>();
  private running = 0;
  private waiting = 0;
  private retrying = 0;
  private handlers?: JobHandlers;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: MemoryQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.maxWaiting = Math.max(1, options.maxWaiting ?? 10_000);
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.seen = new LRUCache({ max: options.rememberDeliveries ?? 50_000 });
  }

  async enqueue(job: Job): Promise<EnqueueOutcome> {
    if (this.closed) throw new QueueClosedError("shutting down: not taking deliveries");
    if (this.seen.has(job.id)) return "duplicate";
    const queued = job.coalesce ? this.coalescing.get(job.key) : undefined;
    if (queued) {
      this.seen.set(job.id, true);
      if (newer(queued.job, job) !== job) return "coalesced";
      queued.job = job;
      queued.attempt = 1;
      return "replaced";
    }
    if (this.waiting >= this.maxWaiting) {
      throw new QueueFullError(`the queue is full (${this.maxWaiting} jobs waiting)`);
    }
    this.seen.set(job.id, true);
    this.push({ job, attempt: 1 });
    this.pump();
    return "queued";
  }

  start(handlers: JobHandlers): void {
    this.handlers = handlers;
    this.pump();
  }

  async stats(): Promise<QueueStats> {
    return { waiting: this.waiting + this.retrying, running: this.running };
  }

  async ready(): Promise<boolean> {
    return !this.closed;
  }

  /** Resolves once nothing waits, runs or is due for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.idle(), timeout]);
    clearTimeout(timer);
  }

  private push(entry: Entry): void {
    const lane = String(entry.job.installationId ?? "-");
    let fifo = this.lanes.get(lane);
    if (!fifo) {
      fifo = [];
      this.lanes.set(lane, fifo);
    }
    fifo.push(entry);
    this.waiting++;
    if (entry.job.coalesce) this.coalescing.set(entry.job.key, entry);
  }

  /** The first entry whose key is free, taking installations in turn. */
  private take(): Entry | undefined {
    for (const [lane, fifo] of this.lanes) {
      const index = fifo.findIndex((e) => !this.runningKeys.has(e.job.key));
      if (index < 0) continue;
      const [entry] = fifo.splice(index, 1) as [Entry];
      // The lane goes to the back: the next take starts with the next installation.
      this.lanes.delete(lane);
      if (fifo.length > 0) this.lanes.set(lane, fifo);
      this.waiting--;
      if (this.coalescing.get(entry.job.key) === entry) this.coalescing.delete(entry.job.key);
      return entry;
    }
    return undefined;
  }

  private pump(): void {
    if (!this.handlers) return;
    while (this.running < this.concurrency) {
      const entry = this.take();
      if (!entry) break;
      this.running++;
      this.runningKeys.add(entry.job.key);
      void this.runEntry(entry, this.handlers).finally(() => {
        this.running--;
        this.runningKeys.delete(entry.job.key);
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private async runEntry(entry: Entry, handlers: JobHandlers): Promise<void> {
    const attempt: Attempt = {
      number: entry.attempt,
      last: entry.attempt >= this.attempts,
      resumed: entry.attempt > 1,
    };
    try {
      await handlers.run(entry.job, attempt);
    } catch (e) {
      if (attempt.last || handlers.isPermanent(e)) {
        await handlers.conclude(entry.job, e).catch(() => undefined);
        return;
      }
      this.retryLater(entry, handlers.retryDelayMs(e, entry.attempt));
    }
  }

  private retryLater(entry: Entry, delayMs: number): void {
    this.retrying++;
    setTimeout(() => {
      this.retrying--;
      // A newer head arrived meanwhile: it replaces the retry.
      const superseded = entry.job.coalesce && this.coalescing.has(entry.job.key);
      if (!superseded) this.push({ job: entry.job, attempt: entry.attempt + 1 });
      this.pump();
      this.notifyIdle();
    }, delayMs);
  }

  private isIdle(): boolean {
    return this.waiting === 0 && this.running === 0 && this.retrying === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
