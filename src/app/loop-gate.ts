/**
 * Admits jobs while the event loop keeps up. The webhook is answered on the
 * same event loop as the jobs' GitHub traffic (Octokit, HTTP, JSON): with
 * the engine on its own threads, that traffic was still 60–70 % of the main
 * thread during a burst of deliveries in `npm run bench:app`, and a
 * delivery waited behind it. So a job starts only when the loop's recent
 * delay is under `maxDelayMs`, one start per sample, and always while fewer
 * than `minRunning` run: on a host whose other processes delay every timer,
 * the gate must not turn the instance into one job at a time. Jobs already
 * running are never paused.
 */

export interface LoopGateOptions {
  /** Delay of the event loop (ms) above which no further job starts (0 turns the gate off). */
  maxDelayMs: number;
  /** How often the loop's delay is sampled (ms). */
  sampleMs?: number;
  /** How many samples make "recent". */
  window?: number;
  /** Jobs that start whatever the delay (default 1: nothing can starve). */
  minRunning?: number;
}

export class LoopGate {
  private readonly sampleMs: number;
  private readonly samples: number[];
  private next = 0;
  private last = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private admittedThisSample = false;

  constructor(private readonly options: LoopGateOptions) {
    this.sampleMs = options.sampleMs ?? 10;
    this.samples = new Array(options.window ?? 10).fill(0);
  }

  /** The largest delay of the recent samples (ms). */
  get recentDelayMs(): number {
    return Math.max(...this.samples);
  }

  /** Resolves when the job may start; call the returned function when it ends. */
  async admit(): Promise<() => void> {
    if (this.options.maxDelayMs > 0 && !this.mayStart()) {
      this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    this.admittedThisSample = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      if (this.running < Math.max(1, this.options.minRunning ?? 1)) this.release();
    };
  }

  private mayStart(): boolean {
    if (this.running < Math.max(1, this.options.minRunning ?? 1)) return true;
    if (this.waiting.length > 0 || this.admittedThisSample) return false;
    this.start();
    return this.recentDelayMs < this.options.maxDelayMs;
  }

  private start(): void {
    if (this.timer) return;
    this.last = performance.now();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    // The sampler must never keep a process alive on its own.
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    this.samples[this.next] = Math.max(0, now - this.last - this.sampleMs);
    this.next = (this.next + 1) % this.samples.length;
    this.last = now;
    this.admittedThisSample = false;
    if (this.waiting.length > 0 && this.recentDelayMs < this.options.maxDelayMs) this.release();
    if (this.running === 0 && this.waiting.length === 0) this.stop();
  }

  /** Lets the first waiting job start. */
  private release(): void {
    const resolve = this.waiting.shift();
    if (resolve) {
      this.admittedThisSample = true;
      resolve();
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.samples.fill(0);
  }
}
