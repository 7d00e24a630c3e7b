import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseXml, type XmlElement } from "../../src/formats/lockfiles/xml.js";
import { packageRoot } from "../../src/review/rules.js";

/**
 * `--format codequality` (GitLab) and `--format junit` (Jenkins, GitLab,
 * Azure) validated against their formats' schemas (test/fixtures/schemas/),
 * and `review --staged`, the pre-commit hook's review of the index.
 */

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.test",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.test",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const sh = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
const write = (root: string, path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

async function tollgate(args: string[], cwd: string) {
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

const schema = (name: string) =>
  JSON.parse(readFileSync(join(packageRoot(), "test/fixtures/schemas", name), "utf8")) as object;

/** The element tree as plain data (no parent links) for the schema. */
function tree(el: XmlElement): unknown {
  return { name: el.name, attrs: el.attrs, text: el.text, children: el.children.map(tree) };
}

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "tollgate-ci-"));
  sh(repo, "init", "-q", "-b", "main");
  write(repo, "README.md", "# service\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "base");
  sh(repo, "checkout", "-q", "-b", "feature");
  write(
    repo,
    "Dockerfile",
    'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nRUN echo "<&>\u001b[31m"\nCMD ["node", "server.js"]\n',
  );
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "feature");
});

describe("--format codequality", () => {
  it("validates against GitLab's Code Quality format, one issue per finding, keyed by fingerprint", async () => {
    const run = await tollgate(["review", "--base", "main", "--format", "codequality"], repo);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema("codequality.schema.json"));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const json = JSON.parse((await tollgate(["review", "--base", "main", "--format", "json"], repo)).stdout);
    expect(report.map((i: any) => i.fingerprint)).toEqual(json.findings.map((f: any) => f.fingerprint));
    expect(report.find((i: any) => i.check_name === "docker/remote-script-pipe-to-shell")).toMatchObject({
      severity: "critical",
      location: { path: "Dockerfile", lines: { begin: 2 } },
      categories: ["Security"],
    });
  });

  it("is an empty list when nothing is new (GitLab then shows no degradation)", async () => {
    sh(repo, "checkout", "-q", "-b", "docs", "main");
    write(repo, "README.md", "# service\n\nMore words.\n");
    sh(repo, "commit", "-q", "-am", "docs");
    const clean = await tollgate(["review", "--base", "main", "--format", "codequality"], repo);
    sh(repo, "checkout", "-q", "feature");
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual([]);
  });
});

describe("--format junit", () => {
  it("validates against the JUnit structure Jenkins reads; failures are the findings that fail the review", async () => {
    const run = await tollgate(["review", "--base", "main", "--format", "junit"], repo);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("\u001b");
    const doc = parseXml(run.stdout);
    expect(doc.children).toHaveLength(1);
    const root = doc.children[0]!;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema("junit.schema.json"));
    expect(validate(tree(root)), JSON.stringify(validate.errors)).toBe(true);
    const cases = root.children.flatMap((s) => s.children);
    const failures = cases.filter((c) => c.children.some((x) => x.name === "failure"));
    const json = JSON.parse((await tollgate(["review", "--base", "main", "--format", "json"], repo)).stdout);
    expect(Number(root.attrs.tests)).toBe(cases.length);
    expect(cases).toHaveLength(json.findings.length);
    expect(Number(root.attrs.failures)).toBe(failures.length);
    expect(failures.length).toBe(json.verdict.blocking);
    expect(failures.map((c) => c.attrs.classname)).toContain("docker/remote-script-pipe-to-shell");
  });
});

describe("review --staged", () => {
  it("sees a staged Dockerfile, and only what is staged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-staged-"));
    sh(dir, "init", "-q", "-b", "main");
    // Before the first commit: everything staged is new.
    write(dir, "Dockerfile", "FROM node:latest\nRUN curl -fsSL http://example.com/x.sh | sh\n");
    sh(dir, "add", "Dockerfile");
    const first = await tollgate(["review", "--staged", "--format", "json"], dir);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout).findings.map((f: any) => f.ruleId)).toContain(
      "docker/remote-script-pipe-to-shell",
    );
    sh(dir, "commit", "-q", "-m", "base");

    // A fix staged, a new problem left unstaged: the review is of what the commit records.
    write(dir, "Dockerfile", "FROM node:22.11.0\nRUN curl -fsSL http://example.com/x.sh | sh\n");
    sh(dir, "add", "Dockerfile");
    write(
      dir,
      "Dockerfile",
      "FROM node:22.11.0\nRUN curl -fsSL http://example.com/x.sh | sh\nRUN chmod 777 /\n",
    );
    const staged = await tollgate(["review", "--staged", "--format", "json"], dir);
    expect(staged.code).toBe(0);
    expect(JSON.parse(staged.stdout).findings).toEqual([]);

    write(dir, "app/Dockerfile", "FROM alpine\nUSER root\n");
    sh(dir, "add", "app/Dockerfile");
    const added = await tollgate(["review", "--staged"], dir);
    expect(added.stdout).toContain("app/Dockerfile");
    expect(added.stdout).not.toContain("chmod");
  });

  it("takes no --base or --head", async () => {
    const run = await tollgate(["review", "--staged", "--base", "main"], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--staged reviews the index against HEAD: it takes no --base or --head");
  });
});
