import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { ChangedFile, ChangeSet } from "../review/types.js";

/**
 * `tollgate scan PATH…`: whole files as if every line were new. Walks
 * directories (dot-directories such as `.github/` included; `.git` and
 * `node_modules` skipped), never follows symlinks, and never reads more of a
 * file than the size bound allows.
 */

const SKIP_DIRS = new Set([".git", "node_modules", ".hg", ".svn"]);

export class ScanError extends Error {}

async function walk(path: string, out: Array<{ path: string; size: number }>): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) return;
  if (st.isFile()) {
    out.push({ path, size: st.size });
    return;
  }
  if (!st.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
    await walk(join(path, e.name), out);
  }
}

/**
 * Reads at most `limit + 1` bytes, so an oversized file is detected without
 * loading it. Synchronous on purpose: local files are small and in the page
 * cache, and promise-based file handles cost four thread-pool round trips per
 * file, which made scanning a tree of small files I/O-bound.
 */
async function readBounded(path: string, limit: number): Promise<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    const size = Math.min(fstatSync(fd).size, limit + 1);
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const bytesRead = readSync(fd, buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** `maxFileBytes` gives each file's read limit (dependency files have their own). */
export async function scanChangeSet(
  paths: string[],
  cwd: string,
  maxFileBytes: (path: string) => number,
): Promise<ChangeSet> {
  const found: Array<{ path: string; size: number }> = [];
  for (const p of paths) {
    try {
      await walk(resolve(cwd, p), found);
    } catch (e) {
      throw new ScanError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const unique = [...new Map(found.map((f) => [f.path, f])).values()];
  const files: ChangedFile[] = unique.map(({ path: abs, size }) => {
    const rel = relative(cwd, abs).split(sep).join("/");
    const path = rel.startsWith("..") ? abs.split(sep).join("/") : rel;
    return {
      path,
      status: "added",
      size,
      loadHead: () => readBounded(abs, maxFileBytes(path)),
      loadBase: async () => null,
    };
  });
  return { files, label: paths.join(" ") };
}
