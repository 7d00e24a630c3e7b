import { structuredPatch } from "diff";
import { hunksToPatch } from "../formats/patch.js";
import type { ChangedFile, ChangeSet, FileStatus } from "./types.js";

/**
 * ChangeSets built from in-memory texts: what tests, examples and benchmarks
 * feed the engine. The patch is computed the way git would show it.
 */

export function unifiedPatch(base: string, head: string): string {
  return hunksToPatch(structuredPatch("a", "b", base, head, "", "", { context: 3 }).hunks);
}

export function memoryFile(
  path: string,
  base: string | null,
  head: string | null,
  options: { previousPath?: string; omitPatch?: boolean } = {},
): ChangedFile {
  let status: FileStatus = "modified";
  if (base === null) status = "added";
  else if (head === null) status = "removed";
  else if (options.previousPath && options.previousPath !== path) status = "renamed";
  const file: ChangedFile = {
    path,
    status,
    loadHead: async () => head,
    loadBase: async () => base,
  };
  if (options.previousPath) file.previousPath = options.previousPath;
  if (!options.omitPatch) file.patch = unifiedPatch(base ?? "", head ?? "");
  return file;
}

export function memoryChangeSet(
  files: Array<{ path: string; base?: string | null; head?: string | null; previousPath?: string }>,
): ChangeSet {
  return {
    files: files.map((f) =>
      memoryFile(
        f.path,
        f.base ?? null,
        f.head ?? null,
        f.previousPath ? { previousPath: f.previousPath } : {},
      ),
    ),
  };
}
