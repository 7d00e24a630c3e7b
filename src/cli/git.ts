import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import type { ChangedFile, ChangeSet, FileStatus } from "../review/types.js";

/**
 * The CLI's view of a local checkout: a ChangeSet between two commits, with
 * contents read through one long-lived `git cat-file --batch` process.
 * Only plumbing commands run, with external diff drivers and text conversion
 * disabled, so nothing configured by the repository executes.
 */

export class GitError extends Error {}

const SAFE_FLAGS = ["-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "core.fsmonitor=false"];

export function git(cwd: string, args: string[], maxBuffer = 512 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...SAFE_FLAGS, ...args],
      {
        cwd,
        maxBuffer,
        encoding: "utf8",
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" },
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

export async function mergeBase(root: string, a: string, b: string): Promise<string> {
  try {
    return (await git(root, ["merge-base", a, b])).trim();
  } catch {
    throw new GitError(`${a.slice(0, 12)} and ${b.slice(0, 12)} have no common ancestor`);
  }
}

/** Reads many blobs through one `git cat-file --batch` process, answering requests in order. */
export class BlobReader {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (b: Buffer | null) => void; reject: (e: Error) => void }> = [];

  constructor(private readonly root: string) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const proc = spawn("git", [...SAFE_FLAGS, "cat-file", "--batch"], { cwd: this.root });
    proc.stdout.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    proc.on("error", (e) => this.failAll(e));
    proc.on("close", () => this.failAll(new GitError("git cat-file exited")));
    this.proc = proc;
    return proc;
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const nl = this.buffer.indexOf(10);
      if (nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString("utf8");
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.waiting.shift()!.resolve(null);
        continue;
      }
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) {
        this.failAll(new GitError(`unexpected git cat-file output: ${header.slice(0, 80)}`));
        return;
      }
      const size = Number(m[2]);
      if (this.buffer.length < nl + 1 + size + 1) return;
      const body = this.buffer.subarray(nl + 1, nl + 1 + size);
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      const waiter = this.waiting.shift()!;
      waiter.resolve(m[1] === "blob" ? Buffer.from(body) : null);
    }
  }

  private failAll(e: Error): void {
    while (this.waiting.length) this.waiting.shift()!.reject(e);
  }

  read(commit: string, path: string): Promise<Buffer | null> {
    if (/[\n\r]/.test(path)) return this.readSlow(commit, path);
    const proc = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      proc.stdin.write(`${commit}:${path}\n`);
    });
  }

  /** Paths with a newline cannot go through the batch protocol. */
  private readSlow(commit: string, path: string): Promise<Buffer | null> {
    return new Promise((resolve) => {
      execFile(
        "git",
        [...SAFE_FLAGS, "cat-file", "blob", `${commit}:${path}`],
        { cwd: this.root, encoding: "buffer", maxBuffer: 512 * 1024 * 1024 },
        (error, stdout) => resolve(error ? null : stdout),
      );
    });
  }

  close(): void {
    this.proc?.stdin.end();
    this.proc = undefined;
  }
}

interface NameStatus {
  status: FileStatus;
  path: string;
  previousPath?: string;
}

function parseNameStatus(out: string): NameStatus[] {
  const parts = out.split("\0");
  const entries: NameStatus[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++];
    if (!code) continue;
    const letter = code[0];
    if (letter === "R" || letter === "C") {
      const from = parts[i++]!;
      const to = parts[i++]!;
      entries.push({ status: letter === "R" ? "renamed" : "copied", path: to, previousPath: from });
    } else {
      const path = parts[i++]!;
      const status: FileStatus =
        letter === "A" ? "added" : letter === "D" ? "removed" : letter === "M" ? "modified" : "changed";
      entries.push({ status, path });
    }
  }
  return entries;
}

/** Splits `git diff` output into one section per file, in git's order. */
function splitDiff(out: string): string[] {
  if (!out) return [];
  return out.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git "));
}

export async function gitChangeSet(
  root: string,
  base: string,
  head: string,
  reader: BlobReader,
): Promise<ChangeSet> {
  const common = ["--no-color", "--no-ext-diff", "--no-textconv", "-M"];
  const [names, diff] = await Promise.all([
    git(root, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", base, head]),
    git(root, ["diff", ...common, "--unified=3", base, head]),
  ]);
  const entries = parseNameStatus(names);
  const sections = splitDiff(diff);
  if (sections.length !== entries.length) {
    throw new GitError(`git diff listed ${entries.length} files but printed ${sections.length} patches`);
  }
  const files: ChangedFile[] = entries.map((e, i) => {
    const section = sections[i]!;
    const binary = /^(Binary files .* differ|GIT binary patch)$/m.test(section);
    const at = section.search(/^@@ /m);
    const file: ChangedFile = {
      path: e.path,
      status: e.status,
      loadHead: () => (e.status === "removed" ? Promise.resolve(null) : reader.read(head, e.path)),
      loadBase: () =>
        e.status === "added" ? Promise.resolve(null) : reader.read(base, e.previousPath ?? e.path),
    };
    if (e.previousPath) file.previousPath = e.previousPath;
    if (binary) file.binary = true;
    else file.patch = at >= 0 ? section.slice(at) : "";
    return file;
  });
  return { files, label: `${base.slice(0, 12)}...${head.slice(0, 12)}` };
}
