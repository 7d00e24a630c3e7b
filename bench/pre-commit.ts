import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { BenchLine } from "./types.js";

/**
 * `tollgate review --staged` as a pre-commit hook runs it: the installed
 * command, a fresh process, a commit of a few files (a Dockerfile, a
 * workflow, a package.json and a README) staged on a small repository.
 * Wall time from spawn to exit, median of several runs; the target is 0.3 s.
 */

const TARGET_MS = 300;
const RUNS = 9;

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "..", "bin", "tollgate.js");
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.test",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.test",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function stagedRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-staged-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env });
  git("init", "-q", "-b", "main");
  for (let i = 0; i < 40; i++) write(dir, `src/module-${i}.js`, `export const value${i} = ${i};\n`);
  write(dir, "README.md", "# service\n");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  write(
    dir,
    "Dockerfile",
    'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n',
  );
  write(
    dir,
    ".github/workflows/ci.yml",
    "on: pull_request\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n      - run: npm test\n",
  );
  write(dir, "package.json", '{ "name": "service", "version": "1.0.0", "dependencies": {} }\n');
  write(dir, "README.md", "# service\n\nHow to run it.\n");
  git("add", ".");
  return dir;
}

function medianMs(args: string[], cwd: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { cwd, env });
    times.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export async function bench(): Promise<BenchLine[]> {
  const dir = stagedRepository();
  // Node's own start-up, for scale: on a loaded machine both grow together.
  const node = medianMs(["-e", "0"], dir);
  const median = medianMs([bin, "review", "--staged", "--offline"], dir);
  return [
    { name: "pre-commit: node -e 0 (for scale)", value: Math.round(node), unit: "ms" },
    {
      name: "pre-commit: review --staged, 4 files (process wall time)",
      value: Math.round(median),
      unit: "ms",
      target: `< ${TARGET_MS} ms`,
      ok: median < TARGET_MS,
    },
  ];
}
