import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { type OsvStandIn, STANDARD_RECORDS, startOsvStandIn } from "../support/osv-server.js";

/**
 * Issue 7's "what it must show", as a new user would try it: `tollgate review`
 * on a git branch, with the vulnerability database replaced by a stand-in on
 * loopback through TOLLGATE_OSV_URL.
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

function write(root: string, path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

async function tollgate(args: string[], cwd: string, osvUrl: string) {
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
    env: { TOLLGATE_OSV_URL: osvUrl },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const entry = (name: string, version: string, integrity: string) => ({
  version,
  resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
  integrity,
});

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const BASE_PACKAGE = { name: "shop", version: "1.0.0", dependencies: { express: "^4.21.2" } };
const HEAD_PACKAGE = {
  name: "shop",
  version: "1.0.0",
  dependencies: {
    express: "^4.21.2",
    expresss: "^4.18.2",
    lodash: "^4.17.20",
    mylib: "git+https://github.com/acme/mylib.git#v1.2.0",
  },
};

const DEBUG_SHA =
  "sha512-PRXRQ7B4sC9OSGaH9KvbqJjZJt3wSx3N4WG7Fb2Lc4Ch2CH/QcXDGoQ9Hkz+N4fDYtxeNbpyp3lWjD2nJs8dZg==";
const TAMPERED =
  "sha512-Tampered0000000000000000000000000000000000000000000000000000000000000000000000000000000000==";

const baseLock = {
  name: "shop",
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": { name: "shop", version: "1.0.0", dependencies: BASE_PACKAGE.dependencies },
    "node_modules/debug": entry("debug", "2.6.9", DEBUG_SHA),
    "node_modules/express": entry("express", "4.21.2", "sha512-ExPrEsS4212"),
  },
};
const headLock = {
  ...baseLock,
  packages: {
    "": { name: "shop", version: "1.0.0", dependencies: HEAD_PACKAGE.dependencies },
    "node_modules/debug": entry("debug", "2.6.9", TAMPERED),
    "node_modules/express": entry("express", "4.21.2", "sha512-ExPrEsS4212"),
    "node_modules/expresss": entry("expresss", "4.18.2", "sha512-ExPrEsSs4182"),
    "node_modules/lodash": entry("lodash", "4.17.20", "sha512-LoDaSh41720"),
  },
};

let repo: string;
let osv: OsvStandIn | undefined;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "tollgate-deps-"));
  sh(repo, "init", "-q", "-b", "main");
  write(repo, "package.json", json(BASE_PACKAGE));
  write(repo, "package-lock.json", json(baseLock));
  write(repo, "requirements.txt", "flask==3.0.2\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "base");
  sh(repo, "checkout", "-q", "-b", "feature");
  write(repo, "package.json", json(HEAD_PACKAGE));
  write(repo, "package-lock.json", json(headLock));
  write(
    repo,
    "requirements.txt",
    "--extra-index-url https://pypi.corp.example/simple\nflask==3.0.2\nrequests\n",
  );
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "feature");
});

afterEach(async () => {
  await osv?.close();
  osv = undefined;
});

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  message: string;
}

describe("tollgate review of a dependency change (issue 7)", () => {
  it("reports each problem on its exact line, with advisory id and fixed version", async () => {
    osv = await startOsvStandIn(STANDARD_RECORDS);
    const run = await tollgate(["review", "--base", "main", "--format", "json"], repo, osv.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; errors: Array<{ message: string }> };
    const at = (ruleId: string, path: string) =>
      report.findings.filter((f) => f.ruleId === ruleId && f.path === path).map((f) => f.line);
    const pkg = json(HEAD_PACKAGE);
    const lock = json(headLock);
    const requirements = "--extra-index-url https://pypi.corp.example/simple\nflask==3.0.2\nrequests\n";

    // the vulnerable lodash, on its lockfile entry, with the advisory and the fix
    expect(at("deps/known-vulnerability", "package-lock.json")).toEqual([
      lineOf(lock, '"node_modules/lodash"'),
    ]);
    const vuln = report.findings.find((f) => f.ruleId === "deps/known-vulnerability")!;
    expect(vuln.message).toContain("GHSA-35jh-r3h4-6jhm");
    expect(vuln.message).toContain("fixed in 4.17.21");
    // the express typosquat, where it is declared and where it is locked; OSV also knows it as malware
    expect(at("deps/typosquat", "package.json")).toEqual([lineOf(pkg, '"expresss"')]);
    expect(at("deps/typosquat", "package-lock.json")).toEqual([lineOf(lock, '"node_modules/expresss"')]);
    expect(at("deps/malicious-package", "package-lock.json")).toEqual([
      lineOf(lock, '"node_modules/expresss"'),
    ]);
    // the git dependency
    expect(at("deps/non-registry-source", "package.json")).toEqual([lineOf(pkg, '"mylib"')]);
    // the tampered integrity of an entry whose version did not change, on the changed integrity line
    expect(at("deps/lockfile-integrity-changed", "package-lock.json")).toEqual([lineOf(lock, TAMPERED)]);
    // requirements.txt: the extra index and the unpinned package
    expect(at("deps/dependency-confusion", "requirements.txt")).toEqual([
      lineOf(requirements, "--extra-index-url"),
    ]);
    expect(at("deps/unpinned-version", "requirements.txt")).toEqual([3]);

    // one batch for the whole review, details only for the two hits
    expect(osv.requests.filter((r) => r.path === "/v1/querybatch")).toHaveLength(1);
    expect(osv.requests.filter((r) => r.method === "GET")).toHaveLength(2);
    expect(report.errors.filter((e) => /vulnerability data/.test(e.message))).toEqual([]);
  });

  it("completes and says vulnerability data was unavailable when the stand-in is down", async () => {
    osv = await startOsvStandIn([]);
    const url = osv.url;
    await osv.close();
    osv = undefined;
    const run = await tollgate(["review", "--base", "main", "--format", "json"], repo, url);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; errors: Array<{ message: string }> };
    expect(report.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^vulnerability data unavailable: OSV at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\); dependencies were not checked for known vulnerabilities$/,
      ),
    );
    const rules = new Set(report.findings.map((f) => f.ruleId));
    expect(rules.has("deps/known-vulnerability")).toBe(false);
    // every offline check still ran
    for (const id of ["deps/typosquat", "deps/non-registry-source", "deps/lockfile-integrity-changed"]) {
      expect(rules.has(id), id).toBe(true);
    }
    const text = await tollgate(["review", "--base", "main"], repo, url);
    expect(text.stdout).toContain("vulnerability data unavailable");
  });
});
