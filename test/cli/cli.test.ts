import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { packageRoot } from "../../src/review/rules.js";

// ajv-draft-04 is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv = AjvDraft04.default;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tollgate(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
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
    // Never the internet: a refused loopback port stands in for the vulnerability database.
    env: { TOLLGATE_OSV_URL: "http://127.0.0.1:9", ...env },
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

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

let repo: string;
let baseSha: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "tollgate-cli-"));
  sh(repo, "init", "-q", "-b", "main");
  write(repo, "README.md", "# service\n");
  // A problem that is already there and that the branch leaves alone.
  write(repo, "legacy/Dockerfile", "FROM ubuntu:latest\nRUN apt-get update\nUSER app\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "base");
  baseSha = sh(repo, "rev-parse", "HEAD").trim();
  sh(repo, "checkout", "-q", "-b", "feature");
  write(
    repo,
    "Dockerfile",
    [
      "FROM node:latest",
      "WORKDIR /app",
      "RUN curl -fsSL http://example.com/install.sh | sh",
      "COPY . .",
      'CMD ["node", "server.js"]',
      "",
    ].join("\n"),
  );
  write(repo, "legacy/Dockerfile", "FROM ubuntu:latest\nRUN apt-get update\nRUN echo ok\nUSER app\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "feature");
});

afterAll(() => {
  // temp directories are left to the OS
});

describe("tollgate review", () => {
  it("reports exactly the findings the branch introduces, at their lines, and exits 1", async () => {
    const run = await tollgate(["review", "--base", baseSha, "--format", "json"], repo);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(
      json.findings.map((f: { ruleId: string; path: string; line: number }) => [f.path, f.line, f.ruleId]),
    ).toEqual([
      ["Dockerfile", 1, "docker/runs-as-root"],
      ["Dockerfile", 1, "docker/unpinned-base-image"],
      ["Dockerfile", 3, "docker/remote-script-pipe-to-shell"],
    ]);
    for (const f of json.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("defaults the base to the merge base with the default branch", async () => {
    const run = await tollgate(["review", "--format", "json"], repo);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toHaveLength(3);
  });

  it("writes SARIF 2.1.0 that validates against the schema", async () => {
    const run = await tollgate(["review", "--base", "main", "--format", "sarif"], repo);
    const schema = JSON.parse(
      readFileSync(join(packageRoot(), "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"),
    );
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(schema);
    const sarif = JSON.parse(run.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(3);
  });

  it("text and markdown formats, --fail-on and --output", async () => {
    const text = await tollgate(["review", "--base", "main"], repo);
    expect(text.stdout).toMatch(/^Dockerfile\n {2}1(:1)? +medium +docker\/runs-as-root /);
    const md = await tollgate(["review", "--base", "main", "--format", "markdown"], repo);
    expect(md.stdout).toMatch(/^## Tollgate: 3 new findings/);
    const lenient = await tollgate(
      ["review", "--base", "main", "--fail-on", "critical", "--output", "out.json", "--format", "json"],
      repo,
    );
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(repo, "out.json"), "utf8")).findings).toHaveLength(3);
  });

  it("reads the configuration from the base commit, not from the branch", async () => {
    const cfgRepo = mkdtempSync(join(tmpdir(), "tollgate-cfg-"));
    sh(cfgRepo, "init", "-q", "-b", "main");
    write(cfgRepo, ".github/tollgate.yml", "fail-on: medium\nrules:\n  docker/unpinned-base-image: off\n");
    sh(cfgRepo, "add", ".");
    sh(cfgRepo, "commit", "-q", "-m", "config");
    sh(cfgRepo, "checkout", "-q", "-b", "f");
    // The branch tries to switch everything off: it must not apply to its own review.
    write(
      cfgRepo,
      ".github/tollgate.yml",
      "fail-on: critical\nrules:\n  docker/unpinned-base-image: off\n  docker/runs-as-root: off\n",
    );
    write(cfgRepo, "Dockerfile", "FROM node:latest\n");
    sh(cfgRepo, "add", ".");
    sh(cfgRepo, "commit", "-q", "-m", "f");
    const run = await tollgate(["review", "--base", "main", "--format", "json"], cfgRepo);
    const ids = JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toContain("docker/runs-as-root");
    expect(ids).toContain("meta/tollgate-config-changed");
    expect(ids).not.toContain("docker/unpinned-base-image");
    expect(run.code).toBe(1);
  });

  it("exits 2 with a one-line message outside a repository, on an unknown ref, or a bad config", async () => {
    const notRepo = mkdtempSync(join(tmpdir(), "tollgate-norepo-"));
    const a = await tollgate(["review"], notRepo);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^tollgate: .* is not inside a git repository/);
    const b = await tollgate(["review", "--base", "no-such-branch"], repo);
    expect(b).toMatchObject({
      code: 2,
      stderr: 'tollgate: unknown git ref "no-such-branch" (fetch it first, e.g. git fetch origin main)\n',
    });
    write(repo, "bad.yml", "fail-on: urgent\n");
    const c = await tollgate(["review", "--base", "main", "--config", "bad.yml"], repo);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^tollgate: invalid configuration bad\.yml: fail-on: .*\(line 1\)\n$/);
    const d = await tollgate(["review", "--format", "xml"], repo);
    expect(d).toMatchObject({
      code: 2,
      stderr:
        'tollgate: --format must be one of text, json, sarif, markdown, codequality, junit (got "xml")\n',
    });
    const e = await tollgate(["review", "--bogus"], repo);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^tollgate: Unknown option '--bogus'/);
  });

  it("every command has --help", async () => {
    for (const cmd of [["--help"], ["review", "--help"], ["scan", "--help"], ["rules", "--help"]]) {
      const run = await tollgate(cmd, repo);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Usage/);
    }
  });
});

describe("tollgate scan", () => {
  it("analyses whole files, dot-directories included, as if every line were new", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-scan-"));
    write(dir, "svc/Dockerfile", "FROM node:latest\nUSER node\n");
    write(dir, "svc/.hidden/Containerfile", "FROM alpine\nUSER 1000\n");
    write(dir, "node_modules/x/Dockerfile", "FROM node:latest\n");
    const run = await tollgate(["scan", "svc", "--format", "json"], dir);
    const found = JSON.parse(run.stdout).findings.map((f: { path: string; line: number; ruleId: string }) => [
      f.path,
      f.line,
      f.ruleId,
    ]);
    expect(found).toEqual([
      ["svc/.hidden/Containerfile", 1, "docker/unpinned-base-image"],
      ["svc/Dockerfile", 1, "docker/unpinned-base-image"],
    ]);
    expect(run.code).toBe(0);
    const missing = await tollgate(["scan", "nope"], dir);
    expect(missing).toMatchObject({ code: 2, stderr: "tollgate: cannot read nope: ENOENT\n" });
  });

  it("takes absolute paths and paths outside the working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-scan-abs-"));
    write(dir, "svc/Dockerfile", "FROM node:latest\nUSER node\n");
    const elsewhere = mkdtempSync(join(tmpdir(), "tollgate-scan-cwd-"));
    const run = await tollgate(["scan", join(dir, "svc"), "--format", "json"], elsewhere);
    expect(run.stderr).toBe("");
    expect(
      JSON.parse(run.stdout).findings.map((f: { path: string; line: number }) => [f.path, f.line]),
    ).toEqual([[`${join(dir, "svc").split("\\").join("/")}/Dockerfile`, 1]]);

    // --config and --output take absolute paths too; an unwritable output is a clear error, not a crash.
    write(dir, "strict.yml", "fail-on: medium\n");
    const out = join(dir, "report.json");
    const written = await tollgate(
      ["scan", join(dir, "svc"), "--format", "json", "--config", join(dir, "strict.yml"), "--output", out],
      elsewhere,
    );
    expect(written).toMatchObject({ code: 1, stdout: "", stderr: "" });
    expect(JSON.parse(readFileSync(out, "utf8")).verdict.failOn).toBe("medium");
    const unwritable = await tollgate(
      ["scan", join(dir, "svc"), "--output", join(dir, "no/such/dir/report.txt")],
      elsewhere,
    );
    expect(unwritable).toMatchObject({
      code: 2,
      stderr: `tollgate: cannot write --output ${join(dir, "no/such/dir/report.txt")}: ENOENT\n`,
    });
  });
});

describe("the installed command", () => {
  it("stops quietly when its reader does (`tollgate rules | head -1`)", () => {
    const bin = join(packageRoot(), "bin/tollgate.js");
    const run = spawnSync("sh", ["-c", `"${process.execPath}" "${bin}" rules | head -1`], {
      encoding: "utf8",
    });
    expect(run.stdout).toMatch(/^actions\/dangerous-trigger +medium/);
    expect(run.stdout.split("\n")).toHaveLength(2);
    expect(run.stderr).toBe("");
  });

  it("is the bundled build, and reports exactly what the sources report", async () => {
    expect(existsSync(join(packageRoot(), "dist/cli/main.js")), "npm run build bundles the CLI").toBe(true);
    const args = ["scan", "examples", "--offline", "--format", "json"];
    const bundled = spawnSync(process.execPath, [join(packageRoot(), "bin/tollgate.js"), ...args], {
      cwd: packageRoot(),
      encoding: "utf8",
      maxBuffer: 1e8,
    });
    const sources = await tollgate(args, packageRoot());
    expect(bundled.stderr).toBe("");
    expect(bundled.status).toBe(sources.code);
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(sources.stdout));
    expect(JSON.parse(sources.stdout).findings.length).toBeGreaterThan(50);
  });

  it("runs from bin/ without a global install", () => {
    const run = spawnSync(process.execPath, [join(packageRoot(), "bin/tollgate.js"), "--version"], {
      encoding: "utf8",
    });
    const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8"));
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.status).toBe(0);
  });
});
