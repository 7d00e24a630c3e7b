import type { ReviewOptions } from "../review/engine.js";
import type { ChangedFile, ChangeSet, Review } from "../review/types.js";
import type { AdvisoryQuery } from "../services/advisories.js";

/**
 * The messages between the app's event loop and an engine thread
 * (engine-pool.ts ⇄ engine-worker.ts). A review's inputs are sent as data;
 * what the engine reads from outside (file contents, advisories) stays on
 * the main thread, where the GitHub and OSV clients are, and is asked for
 * call by call. Everything here is structured-cloneable.
 */

/** A changed file without its loaders. */
export type FileMeta = Omit<ChangedFile, "loadHead" | "loadBase">;

/** The review options that cross: the engine thread loads its own rule catalogue and all checks. */
export type SentOptions = Pick<ReviewOptions, "config" | "mode" | "suppressions" | "notes" | "limits">;

export interface ErrorData {
  name: string;
  message: string;
}

export type ToWorker =
  | {
      kind: "review";
      id: number;
      changeSet: Omit<ChangeSet, "files"> & { files: FileMeta[] };
      options: SentOptions;
      /** An advisory source exists on the main thread: the engine thread gets a proxy of it. */
      advisories: boolean;
    }
  | { kind: "answer"; id: number; call: number; value?: unknown; error?: ErrorData };

export type FromWorker =
  | { kind: "ready" }
  | { kind: "load"; id: number; call: number; file: number; side: "head" | "base" }
  | { kind: "lookup"; id: number; call: number; queries: AdvisoryQuery[] }
  | { kind: "done"; id: number; review: Review }
  | { kind: "failed"; id: number; error: ErrorData };

export function errorData(e: unknown): ErrorData {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
}

/** The same message and name on this side of the port (what the fail-closed outcome reads). */
export function errorFrom(data: ErrorData): Error {
  const e = new Error(data.message);
  e.name = data.name;
  return e;
}
