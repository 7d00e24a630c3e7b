import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobReader, gitChangeSet } from "../../src/cli/git.js";
import { main } from "../../src/cli/main.js";
import { FAKES } from "../support/fakes.js";

/**
 * The CLI fails closed on what a pull request's author controls: its own
 * `.gitattributes`, the size of what it adds, and a history that leaves
 * nothing to compare.
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tollgate(args: string[], cwd: string): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd,
    env: { TOLLGATE_OSV_URL: "http://127.0.0.1:9" },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.test",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.test",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

function sh(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
}

function write(root: string, path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

const WORKFLOW = [
  "name: triage",
  "on: pull_request_target",
  "jobs:",
  "  triage:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template
  '      - run: echo "${{ github.event.pull_request.title }}"',
  "",
].join("\n");

/** A main branch, and a feature branch that adds `attributes`, an injectable workflow and a token. */
function attackRepo(attributes: string): string {
  const repo = mkdtempSync(join(tmpdir(), "tollgate-attrs-"));
  sh(repo, "init", "-q", "-b", "main");
  write(repo, "README.md", "# service\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "base");
  sh(repo, "checkout", "-q", "-b", "feature");
  write(repo, ".gitattributes", attributes);
  write(repo, ".github/workflows/triage.yml", WORKFLOW);
  write(repo, "notes.txt", `deploy with\nGITHUB_TOKEN=${FAKES["github-token"]!("attrs")}\n`);
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "feature");
  return repo;
}

function ruleLines(run: Run): string[] {
  const out = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; path: string; line: number }> };
  return out.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`);
}

describe("the pull request's .gitattributes decide nothing", () => {
  const variants: Array<[string, string, (repo: string) => void]> = [
    ["* -diff", "* -diff\n", () => {}],
    ["binary", "*.yml binary\n*.txt binary\n", () => {}],
    [
      "a diff driver with textconv and binary",
      "* diff=foo\n",
      (repo) => {
        // Configured in the checkout, as a reviewer's machine might be: neither may hide the change.
        sh(repo, "config", "diff.foo.textconv", "true");
        sh(repo, "config", "diff.foo.binary", "true");
      },
    ],
    [
      "the user's global attributes file",
      "",
      (repo) => {
        write(repo, "../global-attributes", "* -diff\n");
        sh(repo, "config", "core.attributesFile", join(repo, "../global-attributes"));
      },
    ],
  ];

  it.each(variants)(
    "%s: the injection and the token are found whichever branch is checked out",
    async (_name, attributes, setup) => {
      const repo = attackRepo(attributes);
      setup(repo);
      const expected = [
        "actions/script-injection .github/workflows/triage.yml:7",
        "secrets/github-token notes.txt:2",
      ];
      for (const checkout of ["feature", "main"]) {
        sh(repo, "checkout", "-q", checkout);
        const run = await tollgate(
          ["review", "--base", "main", "--head", "feature", "--format", "json"],
          repo,
        );
        expect(run.stderr).toBe("");
        expect(run.code).toBe(1);
        const found = ruleLines(run);
        for (const e of expected) expect(found).toContain(e);
      }
      // --head defaults to what is checked out.
      sh(repo, "checkout", "-q", "feature");
      const run = await tollgate(["review", "--base", "main", "--format", "json"], repo);
      expect(run.code).toBe(1);
      for (const e of expected) expect(ruleLines(run)).toContain(e);
    },
  );
});

describe("contents and sizes", () => {
  function blobRepo(): { repo: string; base: string; head: string; big: Buffer } {
    const repo = mkdtempSync(join(tmpdir(), "tollgate-blobs-"));
    sh(repo, "init", "-q", "-b", "main");
    write(repo, "keep.txt", "unchanged\n");
    write(repo, "empty.txt", "");
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "base");
    const base = sh(repo, "rev-parse", "HEAD").trim();
    // Several pipe chunks, NUL bytes and bytes that are not UTF-8: the engine must get them as they are.
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 256;
    write(repo, "data.bin", big);
    write(repo, "empty.txt", "now\n");
    write(repo, "package-lock.json", `{"padding": "${"x".repeat(4984)}"}\n`);
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "head");
    return { repo, base, head: sh(repo, "rev-parse", "HEAD").trim(), big };
  }

  it("reads the exact bytes of every version, in order, binary included", async () => {
    const { repo, base, head, big } = blobRepo();
    const reader = new BlobReader(repo);
    try {
      const cs = await gitChangeSet(repo, base, head, reader);
      const byPath = new Map(cs.files.map((f) => [f.path, f]));
      expect([...byPath.keys()].sort()).toEqual(["data.bin", "empty.txt", "package-lock.json"]);
      const data = byPath.get("data.bin")!;
      expect(data.binary).toBeUndefined();
      expect(data.size).toBe(big.length);
      // --text: the engine gets a patch even for bytes git would call binary.
      expect(data.patch).toMatch(/^@@ -0,0 \+1/);
      const [dataHead, dataBase, emptyBase, emptyHead] = await Promise.all([
        data.loadHead(),
        data.loadBase(),
        byPath.get("empty.txt")!.loadBase(),
        byPath.get("empty.txt")!.loadHead(),
      ]);
      expect(Buffer.compare(Buffer.from(dataHead as Uint8Array), big)).toBe(0);
      expect(dataBase).toBeNull();
      expect(Buffer.from(emptyBase as Uint8Array).toString()).toBe("");
      expect(Buffer.from(emptyHead as Uint8Array).toString()).toBe("now\n");
      expect(await reader.read(`${head}:no/such/file`)).toBeNull();
      expect(await reader.read(`${head}:empty.txt`)).toEqual(Buffer.from("now\n"));
    } finally {
      reader.close();
    }
  });

  it("gives the engine the head size up front and reads a blob over the bound only that far", async () => {
    const { repo, base, head, big } = blobRepo();
    const reader = new BlobReader(repo);
    try {
      const cs = await gitChangeSet(repo, base, head, reader, { maxBytes: () => 1000 });
      const lock = cs.files.find((f) => f.path === "package-lock.json")!;
      expect(lock.size).toBe(5000);
      // Over the bound: the bound plus one byte, the blob's own first bytes, so the engine can tell and sniff.
      const prefix = Buffer.from((await lock.loadHead()) as Uint8Array);
      expect(prefix.length).toBe(1001);
      expect(prefix.toString()).toBe(`{"padding": "${"x".repeat(1001 - 13)}`);
      const data = cs.files.find((f) => f.path === "data.bin")!;
      expect(data.size).toBe(big.length);
      const dataPrefix = Buffer.from((await data.loadHead()) as Uint8Array);
      expect(Buffer.compare(dataPrefix, big.subarray(0, 1001))).toBe(0);
      // Under the bound, reading goes on as usual on the same reader.
      const empty = cs.files.find((f) => f.path === "empty.txt")!;
      expect(Buffer.from((await empty.loadHead()) as Uint8Array).toString()).toBe("now\n");
    } finally {
      reader.close();
    }
  });
});

describe("no empty pass", () => {
  function historyRepo(): string {
    const repo = mkdtempSync(join(tmpdir(), "tollgate-history-"));
    sh(repo, "init", "-q", "-b", "main");
    write(repo, "README.md", "# service\n");
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "base");
    write(repo, "README.md", "# service\n\nmore\n");
    sh(repo, "commit", "-q", "-am", "main moves on");
    sh(repo, "checkout", "-q", "-b", "feature", "HEAD~1");
    write(repo, ".github/workflows/triage.yml", WORKFLOW);
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "feature");
    return repo;
  }

  function expectOneLine(run: Run, pattern: RegExp): void {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^tollgate: [^\n]+\n$/);
    expect(run.stderr).toMatch(pattern);
  }

  it("a shallow clone of the branch: its origin/HEAD is the head, and the base branch has no merge base", async () => {
    const origin = historyRepo();
    const clone = join(mkdtempSync(join(tmpdir(), "tollgate-shallow-")), "clone");
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "feature", `file://${origin}`, clone], {
      env: GIT_ENV,
      stdio: "ignore",
    });
    const defaulted = await tollgate(["review", "--format", "json"], clone);
    expectOneLine(defaulted, /nothing to review: the base \S+ is the same commit as the head/);
    expect(defaulted.stderr).toContain("shallow clone: run git fetch --unshallow");
    expect(defaulted.stderr).toContain("--base <sha>");

    // Some clones record no origin/HEAD at all: the shallow clone is still named as the cause.
    sh(clone, "remote", "set-head", "origin", "-d");
    const headless = await tollgate(["review", "--format", "json"], clone);
    expectOneLine(
      headless,
      /no default branch found to compare with in this shallow clone: run git fetch --unshallow/,
    );

    sh(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main");
    const cut = await tollgate(["review", "--base", "origin/main", "--format", "json"], clone);
    expectOneLine(cut, /^tollgate: no merge base between origin\/main \([0-9a-f]{12}\) and the head/);
    expect(cut.stderr).toContain("git fetch --unshallow");

    // With the history, the same review runs and fails on the injection.
    sh(clone, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main");
    const full = await tollgate(["review", "--base", "origin/main", "--format", "json"], clone);
    expect(full.code).toBe(1);
    expect(ruleLines(full)).toContain("actions/script-injection .github/workflows/triage.yml:7");
  });

  it("a base that is the head, or a head already in the base, is not a pass", async () => {
    const repo = historyRepo();
    const same = await tollgate(["review", "--base", "feature"], repo);
    expectOneLine(same, /nothing to review: the base feature is the same commit as the head .*pass --base/);
    expect(same.stderr).not.toContain("shallow");
    const contained = await tollgate(["review", "--base", "feature", "--head", "feature~1"], repo);
    expectOneLine(contained, /nothing to review: the head \([0-9a-f]{12}\) is already part of feature/);
  });

  it("histories that never meet", async () => {
    const repo = historyRepo();
    sh(repo, "checkout", "-q", "--orphan", "other");
    sh(repo, "commit", "-q", "-m", "unrelated");
    const run = await tollgate(["review", "--base", "main", "--head", "other"], repo);
    expectOneLine(run, /^tollgate: no merge base between main \([0-9a-f]{12}\) and the head/);
  });
});

describe("errors are one line", () => {
  it("a configuration file that is not YAML, or not a file", async () => {
    const repo = attackRepo("");
    write(repo, "broken.yml", "fail-on: [high\n  rules: {\n");
    const a = await tollgate(["review", "--base", "main", "--config", "broken.yml"], repo);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^tollgate: invalid configuration broken\.yml[^\n]*\n$/);
    const b = await tollgate(["review", "--base", "main", "--config", ".github"], repo);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^tollgate: invalid configuration \.github[^\n]*\n$/);
  });

  it("a configuration on the base branch that is not YAML", async () => {
    const repo = mkdtempSync(join(tmpdir(), "tollgate-badcfg-"));
    sh(repo, "init", "-q", "-b", "main");
    write(repo, ".github/tollgate.yml", "rules:\n  - [unclosed\n\tfail-on: high\n");
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "base");
    sh(repo, "checkout", "-q", "-b", "feature");
    write(repo, "x.txt", "x\n");
    sh(repo, "add", ".");
    sh(repo, "commit", "-q", "-m", "x");
    const run = await tollgate(["review", "--base", "main"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^tollgate: invalid configuration \.github\/tollgate\.yml at [0-9a-f]{12}[^\n]*\n$/,
    );
  });
});
