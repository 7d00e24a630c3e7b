import type { ChangedFile, ChangeSet, FileStatus } from "../review/types.js";
import { type BlobCache, blobKey } from "./blob-cache.js";
import { type GitHubPort, MAX_LISTED_FILES, type PullFile } from "./github/port.js";

/**
 * A pull request's files as the engine's ChangeSet. Nothing is read here: the
 * engine calls a loader only for the files its checks need, and rebuilds the
 * base text from head + patch itself, so `loadBase` runs only when that fails.
 */

const STATUSES: readonly FileStatus[] = [
  "added",
  "modified",
  "removed",
  "renamed",
  "copied",
  "changed",
  "unchanged",
];

export interface PullChangeSetOptions {
  github: GitHubPort;
  baseSha: string;
  headSha: string;
  /**
   * Reads stop past this many bytes (the engine then reports the file as too
   * large); a function gives each path its own limit (lockfiles get more).
   */
  maxFileBytes: number | ((path: string) => number);
  cache: BlobCache;
  /** GitHub's 3,000-file cap cut the list. */
  capped: boolean;
  /** `changed_files` from the pull request, when known. */
  changedFiles?: number;
}

export function changeSetFromPull(files: readonly PullFile[], options: PullChangeSetOptions): ChangeSet {
  const { github, cache } = options;
  const ref = github.repo;
  const limitFor = (path: string) =>
    typeof options.maxFileBytes === "number" ? options.maxFileBytes : options.maxFileBytes(path);
  const readBlob = async (sha: string, maxFileBytes: number): Promise<Uint8Array> => {
    const key = blobKey(ref.owner, ref.repo, sha);
    const hit = cache.get(key, maxFileBytes);
    if (hit) return hit;
    const bytes = await github.getBlob(sha, maxFileBytes);
    cache.set(key, bytes, maxFileBytes);
    return bytes;
  };
  const toChangedFile = (f: PullFile): ChangedFile => {
    const status = (STATUSES as readonly string[]).includes(f.status) ? (f.status as FileStatus) : "modified";
    const basePath = f.previous_filename ?? f.filename;
    const file: ChangedFile = {
      path: f.filename,
      status,
      loadHead: async () => (status === "removed" || !f.sha ? null : readBlob(f.sha, limitFor(f.filename))),
      loadBase: async () =>
        status === "added" ? null : github.getFileAt(basePath, options.baseSha, limitFor(f.filename)),
    };
    if (f.previous_filename) file.previousPath = f.previous_filename;
    if (f.patch !== undefined) file.patch = f.patch;
    return file;
  };
  const changeSet: ChangeSet = {
    files: files.map(toChangedFile),
    label: `${options.baseSha.slice(0, 12)}...${options.headSha.slice(0, 12)}`,
  };
  const total = options.changedFiles;
  // GitHub's count, when known, decides: a pull request of exactly 3,000 files was listed whole.
  const cut = total !== undefined ? total > files.length : options.capped;
  if (cut) {
    changeSet.truncated = {
      listed: files.length,
      reason: `GitHub lists at most ${MAX_LISTED_FILES.toLocaleString("en-US")} files of a pull request${total ? ` and this one changes ${total.toLocaleString("en-US")}` : ""}; the rest were not reviewed.`,
    };
  }
  return changeSet;
}
