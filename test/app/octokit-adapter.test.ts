import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobCache } from "../../src/app/blob-cache.js";
import { changeSetFromPull } from "../../src/app/change-set.js";
import { octokitGitHub, readBounded } from "../../src/app/github/octokit-adapter.js";
import { runReview } from "../../src/review/engine.js";
import { fileByteLimitForPath } from "../../src/review/file-limits.js";
import { config } from "../support/review.js";
import { FakeGitHub, OWNER, REPO } from "./support/fake-github.js";
import { intercept } from "./support/intercept.js";

const ref = { owner: OWNER, repo: REPO };
let fake: FakeGitHub;

function octokit() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

async function review(
  files: Parameters<FakeGitHub["setFiles"]>[0],
  cache = new BlobCache(),
  maxFileBytes = 1_000_000,
) {
  fake.setFiles(files);
  const kit = octokit();
  const listed = await octokitGitHub(kit, ref).listPullFiles(2);
  const changeSet = changeSetFromPull(listed.items, {
    github: octokitGitHub(kit, ref),
    baseSha: fake.pull.base.sha,
    headSha: fake.headSha,
    maxFileBytes,
    cache,
    capped: listed.capped,
  });
  return runReview(changeSet, {
    config: config({
      "max-file-bytes": maxFileBytes,
      // The loader and the engine must agree on the bound, as fileByteLimitForPath makes them in the app.
      "max-file-bytes-by-family": { docker: maxFileBytes },
      deps: { vulnerabilities: "off" },
    }),
  });
}

beforeEach(() => {
  nock.disableNetConnect();
  fake = new FakeGitHub();
  intercept(fake);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
  nock.cleanAll();
});

const reads = () => ({
  blobs: fake.count("GET", "/repos/{owner}/{repo}/git/blobs/{file_sha}"),
  base: fake.requests.filter((r) => r.template === "/repos/{owner}/{repo}/contents/{path}").length,
});

describe("PR files as a ChangeSet", () => {
  it("rebuilds the base from head + patch: one read for a modified file", async () => {
    const r = await review([
      { path: "Dockerfile", base: "FROM node:20\nUSER node\n", head: "FROM node:latest\nUSER node\n" },
    ]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["docker/unpinned-base-image"]);
    expect(reads()).toEqual({ blobs: 1, base: 0 });
  });

  it("reads the base at the base SHA (by its old path) only when GitHub omitted the patch", async () => {
    const r = await review([
      {
        path: "build/Dockerfile",
        previousPath: "Dockerfile",
        base: "FROM node:20\nUSER node\n",
        head: "FROM node:latest\nUSER node\n",
        omitPatch: true,
      },
    ]);
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([["docker/unpinned-base-image", 1]]);
    expect(reads()).toEqual({ blobs: 1, base: 1 });
    const baseRead = fake.requests.find((x) => x.template === "/repos/{owner}/{repo}/contents/{path}")!;
    expect(baseRead.path).toBe("/repos/Codertocat/Hello-World/contents/Dockerfile");
    expect(baseRead.query.get("ref")).toBe(fake.pull.base.sha);
  });

  it("reads nothing for files no check needs", async () => {
    await review([
      { path: "docs/a.md", base: "a\n", head: "b\n" },
      { path: "img.png", head: "\u0000PNG" },
    ]);
    // Text files are scanned for secrets from the patch alone.
    expect(reads()).toEqual({ blobs: 0, base: 0 });
  });

  it("caches blobs by SHA: a second review of the same blob reads nothing", async () => {
    const cache = new BlobCache();
    const files = [{ path: "Dockerfile", head: "FROM node:latest\n" }];
    await review(files, cache);
    await review(files, cache);
    expect(reads().blobs).toBe(1);
  });

  it("stops reading a blob past its bound, and the engine reports the file as unreviewable", async () => {
    const big = `FROM node:latest\n${"# padding\n".repeat(300)}`;
    const r = await review([{ path: "Dockerfile", head: big }], new BlobCache(), 1024);
    // GitHub gives no size: the engine says how far it read.
    expect(r.findings.map((f) => [f.path, f.ruleId, f.message])).toEqual([
      [
        "Dockerfile",
        "meta/unreviewable-file",
        "Dockerfile cannot be reviewed: at least 1,025 bytes is over the 1,024-byte limit (max-file-bytes-by-family.docker).",
      ],
    ]);
    expect(r.errors).toEqual([]);
    // Only limit + 1 bytes of the 3 kB blob were read.
    expect(r.stats.bytesRead).toBe(1025);
  });

  it("reads a lockfile up to deps.max-file-bytes while other files stop at max-file-bytes", async () => {
    const padding = "# padding\n".repeat(300);
    const lockEntries = Array.from({ length: 60 }, (_, i) => `"node_modules/p${i}": { "version": "1.0.0" }`);
    const lockfile = `{\n"lockfileVersion": 3,\n"packages": {\n"": {},\n${lockEntries.join(",\n")}\n}\n}\n`;
    expect(lockfile.length).toBeGreaterThan(2048);
    fake.setFiles([
      { path: "Dockerfile", head: `FROM node:latest\n${padding}` },
      { path: "package-lock.json", head: lockfile },
    ]);
    const kit = octokit();
    const listed = await octokitGitHub(kit, ref).listPullFiles(2);
    const cfg = config({
      "max-file-bytes": 1024,
      "max-file-bytes-by-family": { docker: 1024 },
      deps: { vulnerabilities: "off", "max-file-bytes": 1_000_000 },
    });
    const changeSet = changeSetFromPull(listed.items, {
      github: octokitGitHub(kit, ref),
      baseSha: fake.pull.base.sha,
      headSha: fake.headSha,
      maxFileBytes: (path) => fileByteLimitForPath(cfg, path).bytes,
      cache: new BlobCache(),
      capped: false,
    });
    const r = await runReview(changeSet, { config: cfg });
    expect(r.findings.map((f) => [f.path, f.ruleId, f.message])).toEqual([
      [
        "Dockerfile",
        "meta/unreviewable-file",
        "Dockerfile cannot be reviewed: at least 1,025 bytes is over the 1,024-byte limit (max-file-bytes-by-family.docker).",
      ],
    ]);
    expect(r.stats.bytesRead).toBe(1025 + lockfile.length);
  });

  it("says so when GitHub's 3,000-file cap truncates the list", async () => {
    fake.setFiles(Array.from({ length: 3005 }, (_, i) => ({ path: `f${i}.txt`, head: `${i}\n` })));
    const kit = octokit();
    const listed = await octokitGitHub(kit, ref).listPullFiles(2);
    expect(listed).toMatchObject({ capped: true });
    expect(listed.items).toHaveLength(3000);
    expect(fake.count("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files")).toBe(30);
    const cs = changeSetFromPull(listed.items, {
      github: octokitGitHub(kit, ref),
      baseSha: "b",
      headSha: "h",
      maxFileBytes: 1000,
      cache: new BlobCache(),
      capped: true,
      changedFiles: 3005,
    });
    expect(cs.truncated).toEqual({
      listed: 3000,
      reason:
        "GitHub lists at most 3,000 files of a pull request and this one changes 3,005; the rest were not reviewed.",
    });
  });

  it("a pull request of exactly 3,000 files was listed whole: no truncation note", async () => {
    fake.setFiles(Array.from({ length: 3000 }, (_, i) => ({ path: `f${i}.txt`, head: `${i}\n` })));
    const kit = octokit();
    const listed = await octokitGitHub(kit, ref).listPullFiles(2);
    const cs = changeSetFromPull(listed.items, {
      github: octokitGitHub(kit, ref),
      baseSha: "b",
      headSha: "h",
      maxFileBytes: 1000,
      cache: new BlobCache(),
      capped: listed.capped,
      changedFiles: 3000,
    });
    expect(cs.files).toHaveLength(3000);
    expect(cs.truncated).toBeUndefined();
  });
});

describe("readBounded", () => {
  it("reads a stream up to limit + 1 bytes and cancels the rest", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100).fill(65));
        if (pulled > 1000) controller.close();
      },
    });
    const bytes = await readBounded(stream, 250);
    expect(bytes.byteLength).toBe(251);
    expect(pulled).toBeLessThan(10);
  });

  it("returns small bodies whole", async () => {
    expect(new TextDecoder().decode(await readBounded("hello", 10))).toBe("hello");
    expect(await readBounded(null, 10)).toEqual(new Uint8Array(0));
  });
});
