import { parentPort } from "node:worker_threads";
import { loadAllChecks } from "../checks/index.js";
import { runReview } from "../review/engine.js";
import { loadRuleCatalog } from "../review/rules.js";
import type { ChangedFile, LoadedContent } from "../review/types.js";
import type { AdvisorySource } from "../services/advisories.js";
import { errorData, errorFrom, type FromWorker, type ToWorker } from "./engine-protocol.js";
import { threadNiceness, yieldCpuToMainThread } from "./thread-priority.js";

/**
 * An engine thread (engine-pool.ts starts it): runs `runReview` on what the
 * main thread sends, so the review's CPU never holds the event loop that
 * answers webhooks. Contents and advisories are asked of the main thread,
 * one call per message; several reviews may interleave here, since the
 * engine waits on those calls.
 */

const port = parentPort;
if (!port) throw new Error("engine-worker.ts runs as a worker thread (engine-pool.ts)");
yieldCpuToMainThread(threadNiceness(process.env));

const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCall = 1;
const send = (message: FromWorker) => port.postMessage(message);

function ask<T>(message: (call: number) => FromWorker): Promise<T> {
  const call = nextCall++;
  return new Promise<T>((resolve, reject) => {
    pending.set(call, { resolve: resolve as (v: unknown) => void, reject });
    send(message(call));
  });
}

async function review(message: Extract<ToWorker, { kind: "review" }>): Promise<void> {
  const { id, changeSet } = message;
  const files: ChangedFile[] = changeSet.files.map((meta, file) => ({
    ...meta,
    loadHead: () => ask<LoadedContent>((call) => ({ kind: "load", id, call, file, side: "head" })),
    loadBase: () => ask<LoadedContent>((call) => ({ kind: "load", id, call, file, side: "base" })),
  }));
  const advisories: AdvisorySource | undefined = message.advisories
    ? { lookup: (queries) => ask((call) => ({ kind: "lookup", id, call, queries })) }
    : undefined;
  try {
    const result = await runReview(
      { ...changeSet, files },
      {
        ...message.options,
        catalog: await loadRuleCatalog(),
        services: advisories ? { advisories } : {},
      },
    );
    send({ kind: "done", id, review: result });
  } catch (e) {
    send({ kind: "failed", id, error: errorData(e) });
  }
}

port.on("message", (message: ToWorker) => {
  if (message.kind === "review") {
    void review(message);
    return;
  }
  const waiting = pending.get(message.call);
  if (!waiting) return;
  pending.delete(message.call);
  if (message.error) waiting.reject(errorFrom(message.error));
  else waiting.resolve(message.value);
});

// The catalogue and every family's checks load before the first review arrives, so that its files
// do not spend their time budget (max-file-ms) compiling modules: ~1 s quiet, 4.5 s on a loaded machine.
await Promise.all([loadRuleCatalog(), loadAllChecks()]);
send({ kind: "ready" });
