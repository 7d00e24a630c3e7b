import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { threadNiceness } from "../../src/app/thread-priority.js";
import { ensureBuilt } from "../support/built.js";

/** A thread's nice value as the kernel has it (/proc/<pid>/task/<tid>/stat, field 19). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

describe.runIf(process.platform === "linux")(
  "the job and engine threads yield the CPU to the main thread",
  () => {
    it("lowers the calling thread's priority only, by the niceness asked", async () => {
      ensureBuilt();
      const module = new URL("../../dist/src/app/thread-priority.js", import.meta.url).href;
      const worker = new Worker(
        `const { parentPort } = require("node:worker_threads");
       import(${JSON.stringify(module)}).then((m) => {
         m.yieldCpuToMainThread(10);
         parentPort.postMessage("set");
         setInterval(() => {}, 1000);
       });`,
        { eval: true },
      );
      try {
        await new Promise((resolve) => worker.once("message", resolve));
        // Every task of this process (main thread, V8 and libuv helpers, the worker): only the worker moved.
        const nice = readdirSync(`/proc/${process.pid}/task`).map((tid) => niceOf(Number(tid)));
        const main = getPriority(process.pid);
        const lowered = Math.min(19, main + 10);
        expect(niceOf(process.pid)).toBe(main);
        expect(nice.filter((n) => n === lowered)).toHaveLength(1);
        expect(nice.filter((n) => n !== main && n !== lowered)).toEqual([]);
      } finally {
        await worker.terminate();
      }
    });

    it("reads TOLLGATE_THREAD_NICENESS: 10 by default, 0 turns it off, nonsense keeps the default", () => {
      expect(threadNiceness({})).toBe(10);
      expect(threadNiceness({ TOLLGATE_THREAD_NICENESS: "0" })).toBe(0);
      expect(threadNiceness({ TOLLGATE_THREAD_NICENESS: "5" })).toBe(5);
      expect(threadNiceness({ TOLLGATE_THREAD_NICENESS: "-5" })).toBe(10);
      expect(threadNiceness({ TOLLGATE_THREAD_NICENESS: "lots" })).toBe(10);
    });
  },
);
