import { getPriority, setPriority } from "node:os";

/**
 * Lowers the calling worker thread's scheduling priority below the main
 * thread's, so that on a busy host the event loop that acknowledges
 * webhooks gets a core first and reviews take what is left. Measured with
 * `npm run bench:app` on two cores: with the jobs on their own threads, the
 * main thread was idle 96% of the time, yet its event loop waited up to
 * 76 ms (p99) for a core while the job, engine and other processes' threads
 * ran; a webhook's acknowledgement waited with it.
 *
 * On Linux a nice value belongs to a thread (NPTL), and `setPriority(0, …)`
 * sets the calling thread's; threads a thread starts inherit it. Elsewhere
 * it would renice the whole process, webhooks included, so it is left
 * alone. Lowering needs no privilege; a failure (a sandbox that forbids it)
 * changes nothing else.
 */
export function yieldCpuToMainThread(niceness: number): void {
  if (process.platform !== "linux" || !(niceness > 0)) return;
  try {
    const main = getPriority(process.pid);
    setPriority(0, Math.min(19, main + niceness));
  } catch {
    // Scheduling is an optimisation: the thread runs as it was.
  }
}

/** `TOLLGATE_THREAD_NICENESS`: how far below the main thread the job and engine threads run (default 10, 0 off). */
export function threadNiceness(env: NodeJS.ProcessEnv): number {
  const n = Number(env.TOLLGATE_THREAD_NICENESS ?? 10);
  return Number.isInteger(n) && n >= 0 && n <= 19 ? n : 10;
}
