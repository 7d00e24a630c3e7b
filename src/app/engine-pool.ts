import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ReviewOptions } from "../review/engine.js";
import type { ChangedFile, ChangeSet, Review } from "../review/types.js";
import type { AdvisorySource } from "../services/advisories.js";
import { errorData, errorFrom, type FromWorker, type SentOptions, type ToWorker } from "./engine-protocol.js";
import type { Log } from "./types.js";

/**
 * Runs the engine on worker threads (engine-worker.ts), so that no review
 * holds the event loop the webhooks are answered on: measured with
 * `npm run bench:app`, a review's synchronous parsing and checking is what
 * kept a burst of deliveries waiting. `runReview` has the engine's own
 * signature and is what the app's review flow calls (`deps.steps.runReview`).
 * The file loaders and the advisory source stay here, on the main thread
 * with the GitHub and OSV clients: the engine thread asks for each call.
 *
 * An exception of the engine rejects like the in-process engine's (same
 * message), so the review fails closed the same way. A thread that dies
 * (out of memory, a crash) rejects its reviews with EngineThreadExit, which
 * the review flow lets through: the job fails and the queue retries it, then
 * concludes the run with `on-error`. The dead thread is replaced.
 */

export class EngineThreadExit extends Error {
  override name = "EngineThreadExit";
}

export interface EnginePoolOptions {
  /** Engine threads (default: one per core beyond the first, at least one, at most four). */
  size?: number;
  /** The compiled engine-worker.js (default: beside this module, or in dist/ when run from the sources). */
  workerUrl?: URL;
  log?: Log;
}

interface Running {
  changeSet: ChangeSet;
  advisories?: AdvisorySource;
  resolve: (review: Review) => void;
  reject: (e: Error) => void;
}

interface Thread {
  worker: Worker;
  running: Map<number, Running>;
  /** It has loaded the engine, the catalogue and every check. */
  warm: boolean;
}

export function defaultEngineThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export function engineWorkerUrl(): URL {
  const here = import.meta.url;
  // Under the test runner this module is TypeScript: the thread runs the build of the same file.
  return here.endsWith(".ts")
    ? new URL("../../dist/src/app/engine-worker.js", here)
    : new URL("./engine-worker.js", here);
}

export class EnginePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;
  private readonly url: URL;
  /** Where a thread's failure is told (the app's logger once it has one). */
  log: Log | undefined;

  constructor(options: EnginePoolOptions = {}) {
    this.url = options.workerUrl ?? engineWorkerUrl();
    this.log = options.log;
    const size = options.size ?? defaultEngineThreads();
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  get size(): number {
    return this.threads.length;
  }

  /** Every thread has loaded the engine and every check (`/readyz` waits for it). */
  get warm(): boolean {
    return this.threads.every((t) => t.warm);
  }

  /** Resolves once every thread is warm. */
  async ready(): Promise<void> {
    while (!this.warm && !this.closed) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** The engine's `runReview`, on the least busy thread. */
  readonly runReview = (changeSet: ChangeSet, options: ReviewOptions = {}): Promise<Review> => {
    if (this.closed) return Promise.reject(new EngineThreadExit("the engine threads are stopped"));
    const thread = this.threads.reduce((a, b) => (b.running.size < a.running.size ? b : a));
    const id = this.nextId++;
    const advisories = options.services?.advisories;
    const { files, ...rest } = changeSet;
    const message: ToWorker = {
      kind: "review",
      id,
      changeSet: { ...rest, files: files.map(({ loadHead: _h, loadBase: _b, ...meta }) => meta) },
      options: sentOptions(options),
      advisories: advisories !== undefined,
    };
    return new Promise<Review>((resolve, reject) => {
      thread.running.set(id, { changeSet, resolve, reject, ...(advisories ? { advisories } : {}) });
      thread.worker.postMessage(message);
    });
  };

  /** Stops the threads; reviews still running reject with EngineThreadExit. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(): Thread {
    const worker = new Worker(this.url);
    const thread: Thread = { worker, running: new Map(), warm: false };
    worker.on("message", (message: FromWorker) => this.onMessage(thread, message));
    worker.on("error", (e) => this.log?.error({ err: e }, "an engine thread failed"));
    worker.on("exit", (code) => this.onExit(thread, code));
    // The threads must not keep a process alive that has nothing else to do (the CLI, a test).
    worker.unref();
    return thread;
  }

  private onMessage(thread: Thread, message: FromWorker): void {
    if (message.kind === "ready") {
      thread.warm = true;
      return;
    }
    const review = thread.running.get(message.id);
    if (!review) return;
    switch (message.kind) {
      case "done":
        thread.running.delete(message.id);
        review.resolve(message.review);
        return;
      case "failed":
        thread.running.delete(message.id);
        review.reject(errorFrom(message.error));
        return;
      case "load": {
        const file = review.changeSet.files[message.file] as ChangedFile;
        answer(thread, message, () => (message.side === "head" ? file.loadHead() : file.loadBase()));
        return;
      }
      case "lookup":
        answer(thread, message, () => {
          if (!review.advisories) throw new Error("no advisory source");
          return review.advisories.lookup(message.queries);
        });
    }
  }

  private onExit(thread: Thread, code: number): void {
    const reason = new EngineThreadExit(`an engine thread stopped (exit code ${code}) during the review`);
    for (const review of thread.running.values()) review.reject(reason);
    thread.running.clear();
    if (this.closed) return;
    this.log?.warn({ code }, "an engine thread stopped; starting another");
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads[i] = this.spawn();
  }
}

function answer(
  thread: Thread,
  message: { id: number; call: number },
  fn: () => Promise<unknown> | unknown,
): void {
  const reply = (body: { value?: unknown; error?: ReturnType<typeof errorData> }) =>
    thread.worker.postMessage({ kind: "answer", id: message.id, call: message.call, ...body } as ToWorker);
  Promise.resolve()
    .then(fn)
    .then(
      (value) => reply({ value }),
      (e: unknown) => reply({ error: errorData(e) }),
    );
}

function sentOptions(options: ReviewOptions): SentOptions {
  const sent: SentOptions = {};
  if (options.config) sent.config = options.config;
  if (options.mode) sent.mode = options.mode;
  if (options.suppressions) sent.suppressions = options.suppressions;
  if (options.notes) sent.notes = options.notes;
  if (options.limits) sent.limits = options.limits;
  return sent;
}
