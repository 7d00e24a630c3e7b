import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import type { ChangedFile, ChangeSet, FileStatus } from "../review/types.js";

/**
 * The CLI's view of a local checkout: a ChangeSet between two commits, with
 * contents read through one long-lived `git cat-file --batch` process.
 * Only plumbing commands run, with external diff drivers and text conversion
 * disabled, so nothing configured by the repository executes.
 *
 * Nothing a pull request writes decides what is reviewed: `.gitattributes`
 * (in-tree, global or system) cannot mark a file binary, hide it behind a
 * textconv driver or change how its bytes are read, so the review is the same
 * whichever branch is checked out. Sizes are asked before contents, so a
 * padded blob costs a header, not its bytes.
 */

export class GitError extends Error {}

const SAFE_FLAGS = [
  "-c",
  "core.quotePath=false",
  "-c",
  "diff.noprefix=false",
  "-c",
  "diff.mnemonicPrefix=false",
  "-c",
  "diff.suppressBlankEmpty=false",
  "-c",
  "core.fsmonitor=false",
  // The user's global attributes are not the reviewer's to apply either.
  "-c",
  "core.attributesFile=/dev/null",
];

const GIT_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_OPTIONAL_LOCKS: "0",
  GIT_ATTR_NOSYSTEM: "1",
};

/** Without a bound from the caller: more than any configured file limit, less than a string Node can hold. */
const DEFAULT_READ_BOUND = 256 * 1024 * 1024;

export function git(cwd: string, args: string[], maxBuffer = 512 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...SAFE_FLAGS, ...args],
      {
        cwd,
        maxBuffer,
        encoding: "utf8",
        env: { ...process.env, ...GIT_ENV },
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = (stderr || error.message).trim().split("\n")[0];
          reject(new GitError(detail));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new GitError(
      `${cwd} is not inside a git repository (run tollgate review from a git checkout, or use tollgate scan PATH)`,
    );
  }
}

export async function resolveCommit(root: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new GitError(`"${ref}" is not a git ref`);
  try {
    return (
      await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])
    ).trim();
  } catch {
    throw new GitError(`unknown git ref "${ref}" (fetch it first, e.g. git fetch origin main)`);
  }
}

/** A commit, or `undefined` when the ref names none (HEAD before the first commit). */
export async function resolveCommitOrNothing(root: string, ref: string): Promise<string | undefined> {
  try {
    return await resolveCommit(root, ref);
  } catch {
    return undefined;
  }
}

/** git's empty tree: the base of a repository with no commit yet. */
export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
/** The head of `review --staged`: the index, as `git commit` would record it. */
export const INDEX = Symbol("index");

/** The branch pull requests usually target: origin's HEAD, else the first of origin/main, origin/master, main, master. */
export async function defaultBranch(root: string): Promise<string | undefined> {
  try {
    const ref = (await git(root, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])).trim();
    if (ref) return ref.replace(/^refs\/remotes\//, "");
  } catch {
    // no origin HEAD: fall through to the usual names
  }
  for (const candidate of ["origin/main", "origin/master", "main", "master"]) {
    try {
      await git(root, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
      return candidate;
    } catch {
      // try the next
    }
  }
  return undefined;
}

/** A clone with truncated history (`--depth`), where a merge base may be out of reach. */
export async function isShallow(root: string): Promise<boolean> {
  try {
    return (await git(root, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
  } catch {
    return false;
  }
}

/** The commit a review starts from; `undefined` when the histories do not meet (or not within a shallow clone). */
export async function mergeBase(root: string, a: string, b: string): Promise<string | undefined> {
  try {
    return (await git(root, ["merge-base", a, b])).trim() || undefined;
  } catch {
    return undefined;
  }
}

interface Pending {
  resolve: (b: Buffer | null) => void;
  reject: (e: Error) => void;
}

/**
 * Reads blobs through one `git cat-file --batch` process, answering requests
 * in order. Each body is copied once into a buffer sized from its header, so
 * reading is linear in the blob's size whatever the pipe's chunking.
 */
export class BlobReader {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private readonly waiting: Pending[] = [];
  private header: Buffer[] = [];
  private headerBytes = 0;
  /** The body being received (with its trailing newline), or null between objects. */
  private body: { buf: Buffer; filled: number; isBlob: boolean } | null = null;
  private failed: Error | undefined;

  constructor(private readonly root: string) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const proc = spawn("git", [...SAFE_FLAGS, "cat-file", "--batch"], {
      cwd: this.root,
      env: { ...process.env, ...GIT_ENV },
    });
    proc.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    // A git that dies mid-request must fail the reads, not crash the process on EPIPE.
    proc.stdin.on("error", (e) => this.failAll(e));
    proc.on("error", (e) => this.failAll(e));
    proc.on("close", () => this.failAll(new GitError("git cat-file exited")));
    this.proc = proc;
    return proc;
  }

  private onData(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.failed) {
      if (this.body) {
        const n = Math.min(this.body.buf.length - this.body.filled, chunk.length - pos);
        chunk.copy(this.body.buf, this.body.filled, pos, pos + n);
        this.body.filled += n;
        pos += n;
        if (this.body.filled === this.body.buf.length) {
          const { buf, isBlob } = this.body;
          this.body = null;
          this.waiting.shift()?.resolve(isBlob ? buf.subarray(0, buf.length - 1) : null);
        }
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      const end = nl < 0 ? chunk.length : nl;
      this.header.push(chunk.subarray(pos, end));
      this.headerBytes += end - pos;
      if (this.headerBytes > 4096) {
        this.failAll(new GitError("unexpected git cat-file output: header too long"));
        return;
      }
      if (nl < 0) return;
      pos = nl + 1;
      const header = Buffer.concat(this.header).toString("utf8");
      this.header = [];
      this.headerBytes = 0;
      this.onHeader(header);
    }
  }

  private onHeader(header: string): void {
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      this.waiting.shift()?.resolve(null);
      return;
    }
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      this.failAll(new GitError(`unexpected git cat-file output: ${header.slice(0, 80)}`));
      return;
    }
    // Sized from the header, plus git's newline after the body: one allocation, one copy per chunk.
    this.body = { buf: Buffer.allocUnsafe(Number(m[2]) + 1), filled: 0, isBlob: m[1] === "blob" };
  }

  private failAll(e: Error): void {
    this.failed ??= e;
    this.body = null;
    while (this.waiting.length) this.waiting.shift()!.reject(e);
  }

  /**
   * Contents of `object` (an object id, or `<commit>:<path>`), null when it is
   * missing or not a blob. Callers bound the size first (see `blobSizes`):
   * the batch protocol always sends the whole object.
   */
  read(object: string): Promise<Buffer | null> {
    if (/[\n\r]/.test(object) || object.startsWith("-")) return Promise.resolve(null);
    if (this.failed) return Promise.reject(this.failed);
    const proc = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      proc.stdin.write(`${object}\n`);
    });
  }

  close(): void {
    this.proc?.stdin.end();
    this.proc = undefined;
  }
}

/** Sizes of many objects from one `git cat-file --batch-check`, without reading them. */
export function blobSizes(root: string, oids: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return Promise.resolve(sizes);
  return new Promise((resolve, reject) => {
    const proc = spawn("git", [...SAFE_FLAGS, "cat-file", "--batch-check"], {
      cwd: root,
      env: { ...process.env, ...GIT_ENV },
    });
    const out: Buffer[] = [];
    let stderr = "";
    proc.stdout.on("data", (c: Buffer) => out.push(c));
    proc.stderr.on("data", (c: Buffer) => {
      if (stderr.length < 1000) stderr += c.toString("utf8");
    });
    proc.stdin.on("error", () => {
      // reported by the exit code below
    });
    proc.on("error", (e) => reject(new GitError(`git cat-file: ${e.message}`)));
    proc.on("close", (code) => {
      if (code !== 0) {
        reject(new GitError(stderr.trim().split("\n")[0] || `git cat-file exited with ${code}`));
        return;
      }
      for (const line of Buffer.concat(out).toString("utf8").split("\n")) {
        const m = /^([0-9a-f]+) blob (\d+)$/.exec(line);
        if (m) sizes.set(m[1]!, Number(m[2]));
      }
      resolve(sizes);
    });
    proc.stdin.end(`${[...new Set(oids)].join("\n")}\n`);
  });
}

/**
 * The first `bytes` bytes of a blob, from its own `git cat-file blob`, which
 * is stopped there: time and memory follow the bound, not the blob.
 */
export function readPrefix(root: string, oid: string, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const proc = spawn("git", [...SAFE_FLAGS, "cat-file", "blob", oid], {
      cwd: root,
      env: { ...process.env, ...GIT_ENV },
      stdio: ["ignore", "pipe", "ignore"],
    });
    const buf = Buffer.allocUnsafe(bytes);
    let filled = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      proc.stdout.destroy();
      proc.kill();
      resolve(buf.subarray(0, filled));
    };
    proc.stdout.on("data", (chunk: Buffer) => {
      if (done) return;
      const n = Math.min(bytes - filled, chunk.length);
      chunk.copy(buf, filled, 0, n);
      filled += n;
      if (filled === bytes) finish();
    });
    proc.on("error", (e) => {
      if (!done) {
        done = true;
        reject(new GitError(`git cat-file: ${e.message}`));
      }
    });
    proc.on("close", (code) => {
      if (done) return;
      if (code === 0) finish();
      else {
        done = true;
        reject(new GitError(`git cat-file blob ${oid.slice(0, 12)} exited with ${code}`));
      }
    });
  });
}

interface RawEntry {
  status: FileStatus;
  path: string;
  previousPath?: string;
  /** Object ids at base and head; undefined where that side has no blob (added, removed, submodule). */
  baseOid?: string;
  headOid?: string;
}

const NULL_OID = /^0+$/;
const GITLINK = "160000";

/** `git diff --raw -z`: `:oldmode newmode oldsha newsha status NUL path NUL [path NUL]`. */
function parseRaw(out: string): RawEntry[] {
  const parts = out.split("\0");
  const entries: RawEntry[] = [];
  for (let i = 0; i < parts.length; ) {
    const meta = parts[i++];
    if (!meta) continue;
    const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])/.exec(meta);
    if (!m) throw new GitError(`unexpected git diff --raw output: ${meta.slice(0, 80)}`);
    const [, oldMode, newMode, oldOid, newOid, letter] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const blobOid = (mode: string, oid: string) => (mode === GITLINK || NULL_OID.test(oid) ? undefined : oid);
    const entry: RawEntry = { status: "changed", path: "" };
    if (letter === "R" || letter === "C") {
      entry.previousPath = parts[i++]!;
      entry.path = parts[i++]!;
      entry.status = letter === "R" ? "renamed" : "copied";
    } else {
      entry.path = parts[i++]!;
      entry.status =
        letter === "A" ? "added" : letter === "D" ? "removed" : letter === "M" ? "modified" : "changed";
    }
    const baseOid = blobOid(oldMode, oldOid);
    const headOid = blobOid(newMode, newOid);
    if (baseOid) entry.baseOid = baseOid;
    if (headOid) entry.headOid = headOid;
    entries.push(entry);
  }
  return entries;
}

/** Splits `git diff` output into one section per file, in git's order. */
function splitDiff(out: string): string[] {
  if (!out) return [];
  return out.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git "));
}

export interface ChangeSetOptions {
  /** Bytes of one version of `path` the engine accepts (`fileByteLimitForPath`); a larger blob is read only that far. */
  maxBytes?: (path: string) => number;
}

/**
 * `--text` makes git print every change as text, whatever `.gitattributes`
 * (`-diff`, `binary`, `diff=<driver>` with `binary = true`) says, and
 * `--no-textconv`/`--no-ext-diff` keep drivers out, so the patch holds the
 * real added lines. Whether a file is binary is the engine's call, from its bytes.
 */
const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv", "--text", "-M", "--no-relative"];

export async function gitChangeSet(
  root: string,
  base: string,
  head: string | typeof INDEX,
  reader: BlobReader,
  options: ChangeSetOptions = {},
): Promise<ChangeSet> {
  // The index's blobs are already in the object store (`git add` wrote them), so they read like a commit's.
  const range = head === INDEX ? ["--cached", base] : [base, head];
  const [raw, diff] = await Promise.all([
    git(root, ["diff", "--raw", "-z", "--no-abbrev", ...DIFF_FLAGS, ...range, "--"]),
    git(root, ["diff", ...DIFF_FLAGS, "--unified=3", ...range, "--"]),
  ]);
  const entries = parseRaw(raw);
  const sections = splitDiff(diff);
  if (sections.length !== entries.length) {
    throw new GitError(`git diff listed ${entries.length} files but printed ${sections.length} patches`);
  }
  const sizes = await blobSizes(
    root,
    entries.flatMap((e) => [e.headOid, e.baseOid].filter((o): o is string => o !== undefined)),
  );
  const bounded = (oid: string | undefined, path: string) => async (): Promise<Buffer | null> => {
    if (oid === undefined) return null;
    const size = sizes.get(oid);
    if (size === undefined) return null;
    const limit = options.maxBytes?.(path) ?? DEFAULT_READ_BOUND;
    // As the engine expects of loaders: over the bound, the first bound + 1 bytes (it knows the size from `size`).
    if (size > limit) return readPrefix(root, oid, limit + 1);
    return reader.read(oid);
  };
  const files: ChangedFile[] = entries.map((e, i) => {
    const section = sections[i]!;
    const file: ChangedFile = {
      path: e.path,
      status: e.status,
      loadHead: bounded(e.headOid, e.path),
      // The engine bounds both versions by the head path's families.
      loadBase: bounded(e.baseOid, e.path),
    };
    if (e.previousPath) file.previousPath = e.previousPath;
    const size = e.headOid === undefined ? undefined : sizes.get(e.headOid);
    if (size !== undefined) file.size = size;
    // --text should leave no binary stubs; if git prints one anyway, the engine diffs the versions itself.
    const at = section.search(/^@@ /m);
    const header = at >= 0 ? section.slice(0, at) : section;
    if (!/^(Binary files .* differ|GIT binary patch)$/m.test(header)) {
      file.patch = at >= 0 ? section.slice(at) : "";
    }
    return file;
  });
  return { files, label: `${base.slice(0, 12)}...${head === INDEX ? "index" : head.slice(0, 12)}` };
}
