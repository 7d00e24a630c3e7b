import type { Config } from "./config.js";
import type { Family } from "./types.js";

/**
 * How many bytes of one file Tollgate reads, and which key sets it. Lockfiles
 * of real projects run to several megabytes, and skipping them would leave the
 * dependency gate blind exactly where it matters, so dependency files have a
 * limit of their own.
 */
export interface FileByteLimit {
  bytes: number;
  key: "max-file-bytes" | "deps.max-file-bytes";
}

/** `families` as `familiesFromPath` gives them for the file's path. */
export function fileByteLimit(config: Config, families: readonly Family[]): FileByteLimit {
  return families.includes("deps")
    ? { bytes: config.deps["max-file-bytes"], key: "deps.max-file-bytes" }
    : { bytes: config["max-file-bytes"], key: "max-file-bytes" };
}
