// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uploadsGitDir } from "../../../src/checks/actions/artifact-paths.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

/** Issue 11: what an ordinary change to a workflow must not report, through the real engine. */

const PATH = ".github/workflows/ci.yml";

const summary = (r: Awaited<ReturnType<typeof reviewFiles>>) =>
  r.findings.map((f) => [f.ruleId, f.line, f.severity]);

describe("actions/persisted-credentials: only when the artifact can carry .git", () => {
  const upload = (withLines: string, uses = "actions/upload-artifact@v4") => `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: ./scan > results.json
      - uses: ${uses}
        with:
${withLines}
`;

  it("uploading ./results.json is no credential finding", async () => {
    const r = await reviewFiles([{ path: PATH, head: upload("          path: ./results.json") }]);
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([["actions/unpinned-action", 8, "low"]]);
  });

  it.each([
    ["          path: .\n          include-hidden-files: true", "`.`"],
    [
      "          path: ${{ github.workspace }}\n          include-hidden-files: true",
      "`${{ github.workspace }}`",
    ],
    ["          path: |\n            dist\n            **\n          include-hidden-files: true", "`**`"],
  ])("reports an upload that takes the workspace with hidden files (%s)", async (withLines, shown) => {
    const r = await reviewFiles([{ path: PATH, head: upload(withLines) }]);
    const f = r.findings.filter((x) => x.ruleId === "actions/persisted-credentials");
    expect(f.map((x) => [x.line, x.severity])).toEqual([[6, "medium"]]);
    expect(f[0]!.message).toContain(shown);
    expect(f[0]!.message).toContain("takes that .git directory with it.");
  });

  it("upload-artifact before v4.4.0 takes hidden files by default; v4 and later do not", async () => {
    const found = async (uses: string) =>
      (await reviewFiles([{ path: PATH, head: upload("          path: .", uses) }])).findings.filter(
        (x) => x.ruleId === "actions/persisted-credentials",
      ).length;
    expect(await found("actions/upload-artifact@v3")).toBe(1);
    expect(await found("actions/upload-artifact@v4.3.6")).toBe(1);
    expect(await found("actions/upload-artifact@v4")).toBe(0);
    expect(await found("actions/upload-artifact@v4.4.0")).toBe(0);
    expect(await found("actions/upload-artifact@main")).toBe(0);
    expect(await found("actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2")).toBe(0);
    expect(await found("actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v3.1.3")).toBe(1);
  });

  it("a SHA without a version comment is reported, and the message says the version decides", async () => {
    const r = await reviewFiles([
      {
        path: PATH,
        head: upload("          path: .", "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02"),
      },
    ]);
    const [f] = r.findings.filter((x) => x.ruleId === "actions/persisted-credentials");
    expect(f!.message).toContain("unless this commit of upload-artifact is v4.4.0 or later");
  });

  it("an upload before the checkout, or in another job, carries nothing of it", async () => {
    const head = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v3
        with: { path: . }
      - uses: actions/checkout@v3
  b:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v3
        with: { path: . }
`;
    const r = await reviewFiles([{ path: PATH, head }]);
    expect(r.findings.filter((x) => x.ruleId === "actions/persisted-credentials")).toEqual([]);
  });

  it("keeps the privileged-trigger case whatever is uploaded", async () => {
    const head = upload("          path: ./results.json").replace(
      "on: push",
      "on: issue_comment\npermissions: {}",
    );
    const r = await reviewFiles([{ path: PATH, head }]);
    const f = r.findings.filter((x) => x.ruleId === "actions/persisted-credentials");
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        7,
        "`actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683` leaves the job's token in .git/config, and later steps of this privileged workflow can read it.",
      ],
    ]);
  });

  it("matches glob paths as @actions/glob does", () => {
    expect(uploadsGitDir(".", "")).toBe(".");
    expect(uploadsGitDir("./", "")).toBe("./");
    expect(uploadsGitDir("*", "")).toBe("*");
    expect(uploadsGitDir("**/*", "")).toBe("**/*");
    expect(uploadsGitDir(".git/config", "")).toBe(".git/config");
    expect(uploadsGitDir("dist/..", "")).toBe("dist/..");
    expect(uploadsGitDir("..", "")).toBe("..");
    expect(uploadsGitDir("src", "src/app")).toBe("src");
    expect(uploadsGitDir("s?c/", "src/app")).toBe("s?c/");
    expect(uploadsGitDir("${{ github.workspace }}/src", "src/app")).toBe("${{ github.workspace }}/src");
    expect(uploadsGitDir("*", undefined)).toBe("*");
    for (const none of [
      "./results.json",
      "dist/",
      "*.json",
      "**/*.log",
      "src/app/dist",
      "/tmp",
      "${{ env.OUT }}",
      "~/x",
    ])
      expect(uploadsGitDir(none, "src/app"), none).toBeUndefined();
    expect(uploadsGitDir(".\n!.git", "")).toBeUndefined();
    expect(uploadsGitDir("**\n!**/.git/**", "")).toBeUndefined();
    expect(uploadsGitDir(".", undefined)).toBe(".");
    expect(uploadsGitDir("dist", undefined)).toBeUndefined();
  });

  it("stays linear on hostile patterns", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[*?a[\]!/.-]{0,300}$/),
        fc.stringMatching(/^[a.*/]{0,200}$/),
        (p, co) => {
          const r = uploadsGitDir(p, co);
          return r === undefined || typeof r === "string";
        },
      ),
      { numRuns: 300 },
    );
    const star = `${"*a".repeat(400)}b`;
    expect(uploadsGitDir(star, "a".repeat(900))).toBeUndefined();
  });
});

describe("fingerprints follow what matters", () => {
  const BASE = `name: CI
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v3
      - name: Set up
        uses: some-org/setup-tool@v2
      - run: curl -fsSL https://get.example.com/x.sh | bash
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: some-org/setup-tool@v2
`;

  it("renaming a job and a step of an unchanged workflow reports nothing new", async () => {
    const head = BASE.replace("  build:", "  compile:")
      .replace("name: Check out", "name: Fetch the sources")
      .replace("name: Set up", "id: tool");
    const r = await reviewFiles([{ path: PATH, base: BASE, head }]);
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([]);
  });

  it("bumping the tags of already-unpinned actions adds nothing", async () => {
    const head = BASE.replace("actions/checkout@v3", "actions/checkout@v4").replaceAll(
      "some-org/setup-tool@v2",
      "some-org/setup-tool@v3",
    );
    const r = await reviewFiles([{ path: PATH, base: BASE, head }]);
    expect(summary(r)).toEqual([]);
  });

  it("a SHA pin replaced by a tag is new", async () => {
    const pinned = BASE.replace(
      "actions/checkout@v3",
      "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    );
    const r = await reviewFiles([{ path: PATH, base: pinned, head: BASE }]);
    expect(summary(r)).toEqual([["actions/unpinned-action", 8, "low"]]);
  });

  it("the same unpinned step added to a second job still counts as new", async () => {
    const head = BASE.replace(
      "  lint:\n    runs-on: ubuntu-latest\n    steps:\n",
      "  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n",
    );
    const r = await reviewFiles([{ path: PATH, base: BASE, head }]);
    expect(summary(r)).toEqual([["actions/unpinned-action", 15, "low"]]);
  });

  it("a different action is new, at medium for a third party", async () => {
    const head = BASE.replace("some-org/setup-tool@v2\n      - run", "other-org/setup-tool@v2\n      - run");
    const r = await reviewFiles([{ path: PATH, base: BASE, head }]);
    expect(summary(r)).toEqual([["actions/unpinned-action", 10, "medium"]]);
  });

  it("a compromised ref stays ref-specific: moving to another affected tag is new", async () => {
    const base = BASE.replace(
      "some-org/setup-tool@v2\n      - run",
      "tj-actions/changed-files@v44\n      - run",
    );
    const head = base.replace("changed-files@v44", "changed-files@v45");
    const r = await reviewFiles([{ path: PATH, base, head }]);
    expect(summary(r)).toEqual([["actions/known-compromised-action", 10, "critical"]]);
  });
});

describe("actions/unpinned-action: first party is what GitHub itself maintains", () => {
  it("grades actions/* and github/codeql-action low, github/super-linter and third parties medium", async () => {
    const head = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
      - uses: github/super-linter@v4
      - uses: super-linter/super-linter@v7
`;
    const r = await reviewFiles([{ path: PATH, head }]);
    expect(summary(r)).toEqual([
      ["actions/unpinned-action", 6, "low"],
      ["actions/unpinned-action", 7, "low"],
      ["actions/unpinned-action", 8, "medium"],
      ["actions/unpinned-action", 9, "medium"],
    ]);
    expect(r.findings[2]!.message).toContain("whoever controls or compromises github/super-linter");
  });
});

describe("actions/excessive-permissions: messages that are true", () => {
  const triage = (jobs: string) => `on:
  issues:
    types: [opened]
permissions:
  issues: write
jobs:
${jobs}`;
  const job = (id: string) => `  ${id}:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${id}
`;

  it("a single-job workflow with workflow-level issues: write is no finding", async () => {
    const r = await reviewFiles([{ path: PATH, head: triage(job("triage")) }]);
    expect(ruleLines(r)).toEqual([]);
  });

  it("with two inheriting jobs, the message names them", async () => {
    const r = await reviewFiles([{ path: PATH, head: triage(job("triage") + job("notify")) }]);
    const f = r.findings.filter((x) => x.ruleId === "actions/excessive-permissions");
    expect(f.map((x) => [x.line, x.severity, x.message])).toEqual([
      [
        5,
        "medium",
        "`issues: write` at workflow level is granted to each of the 2 jobs that inherit it (`triage`, `notify`), whether or not they need it.",
      ],
    ]);
  });

  it("a job with its own permissions does not inherit", async () => {
    const own = "  notify:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo\n";
    const r = await reviewFiles([{ path: PATH, head: triage(job("triage") + own) }]);
    expect(ruleLines(r)).toEqual([]);
  });

  it("write-all on one job is still a finding, said of that job", async () => {
    const r = await reviewFiles([
      {
        path: PATH,
        head: triage(job("triage")).replace("permissions:\n  issues: write", "permissions: write-all"),
      },
    ]);
    const f = r.findings.filter((x) => x.ruleId === "actions/excessive-permissions");
    expect(f.map((x) => [x.line, x.severity, x.message])).toEqual([
      [
        4,
        "medium",
        "`permissions: write-all` gives this workflow's job a token that can push code, publish releases and change settings.",
      ],
    ]);
  });
});

describe("actions/remote-script-pipe-to-shell: severity by transport", () => {
  it("is medium over HTTPS and high over plain HTTP", async () => {
    const head = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          curl -fsSL https://get.example.com/x.sh | bash
          curl -sL http://get.example.com/x.sh | sh
`;
    const r = await reviewFiles([{ path: PATH, head }]);
    expect(summary(r)).toEqual([
      ["actions/remote-script-pipe-to-shell", 7, "medium"],
      ["actions/remote-script-pipe-to-shell", 8, "high"],
    ]);
    expect(r.findings[1]!.message).toContain("over plain HTTP");
  });
});

describe("renames never make findings new", () => {
  it("renaming every job id, step id and step name of the example workflows reports nothing", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(import.meta.dirname, "../../../examples/actions/.github/workflows");
    const files = readdirSync(dir).map((f) => ({
      path: `.github/workflows/${f}`,
      text: readFileSync(join(dir, f), "utf8"),
    }));
    const rename = (text: string) => {
      const jobsAt = text.search(/^jobs:/m);
      const jobs = [...text.slice(jobsAt).matchAll(/^ {2}([A-Za-z_][\w-]*):\s*$/gm)].map((m) => m[1]!);
      let out = text
        .replace(/^( +(?:- )?name: *)(.+)$/gm, "$1Renamed $2")
        .replace(/^( +(?:- )?id: *)([\w-]+)/gm, "$1$2_x");
      out = out.replace(/steps\.([\w-]+)\./g, "steps.$1_x.");
      for (const id of jobs)
        out = out
          .replace(new RegExp(`^  ${id}:`, "m"), `  ${id}_renamed:`)
          .replace(new RegExp(`(needs:\\s*\\[?[^\\n]*\\b)${id}\\b`, "g"), `$1${id}_renamed`)
          .replace(new RegExp(`needs\\.${id}\\.`, "g"), `needs.${id}_renamed.`);
      return out;
    };
    const before = await reviewFiles(files.map((f) => ({ path: f.path, head: f.text })));
    expect(before.findings.length).toBeGreaterThan(10);
    const r = await reviewFiles(files.map((f) => ({ path: f.path, base: f.text, head: rename(f.text) })));
    expect(files.some((f) => rename(f.text) !== f.text)).toBe(true);
    expect(summary(r)).toEqual([]);
  });
});
