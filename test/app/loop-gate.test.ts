import { describe, expect, it } from "vitest";
import { LoopGate } from "../../src/app/loop-gate.js";

/**
 * Job starts wait while the event loop lags: the first job always starts, a
 * further one only once a sample of the loop shows it keeping up, and a job
 * held back starts when the running ones end. No timing is asserted: the
 * loop is made to lag by blocking it, and the test waits for what follows.
 */

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // A synchronous task, as a review's parsing was on the webhook's event loop.
  }
}

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

function track(p: Promise<() => void>) {
  const state: { release?: () => void } = {};
  void p.then((release) => {
    state.release = release;
  });
  return state;
}

describe("the loop gate", () => {
  it("starts the first job at once and further ones one sample at a time while the loop keeps up", async () => {
    // A generous bound: this machine's own hiccups must not hold the test.
    const gate = new LoopGate({ maxDelayMs: 1000 });
    const first = await gate.admit();
    const second = track(gate.admit());
    const third = track(gate.admit());
    await tick(0);
    expect(second.release).toBeUndefined();
    while (!second.release) await tick();
    while (!third.release) await tick();
    first();
    second.release();
    third.release();
  });

  it("holds a further job while the loop lags, and starts it when the running job ends", async () => {
    const gate = new LoopGate({ maxDelayMs: 20, sampleMs: 10, window: 1000 });
    const running = await gate.admit();
    const held = track(gate.admit());
    block(80);
    // Samples go on while the lag stays in their window: the held job does not start.
    for (let i = 0; i < 5; i++) await tick(10);
    expect(gate.recentDelayMs).toBeGreaterThanOrEqual(20);
    expect(held.release).toBeUndefined();
    running();
    while (!held.release) await tick();
    held.release();
  });

  it("starts up to minRunning jobs at once, and holds the next one while the loop lags", async () => {
    const gate = new LoopGate({ maxDelayMs: 20, sampleMs: 10, window: 1000, minRunning: 2 });
    const first = await gate.admit();
    const second = await gate.admit();
    const third = track(gate.admit());
    block(80);
    for (let i = 0; i < 3; i++) await tick(10);
    expect(third.release).toBeUndefined();
    // Below minRunning again: the held job starts although the loop lagged.
    first();
    while (!third.release) await tick();
    second();
    third.release();
  });

  it("lets every job through at once when it is turned off", async () => {
    const gate = new LoopGate({ maxDelayMs: 0 });
    const releases = await Promise.all([gate.admit(), gate.admit(), gate.admit()]);
    for (const r of releases) r();
  });
});
