import { execFileSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Code that runs in a worker thread runs compiled: Node cannot load the
 * TypeScript sources the test runner reads. `npm ci` builds dist/ (prepare);
 * a test that starts an engine thread calls `ensureBuilt()` first, which
 * recompiles dist/src (`tsc -p tsconfig.build.json`, incremental) only when
 * a file under src/ is newer than the build, so the thread never runs code
 * older than the sources under test. With a fresh build it costs one walk
 * of src/.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD_INFO = join(ROOT, "dist", ".tsbuildinfo");

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(BUILD_INFO).mtimeMs;
  } catch {
    return 0;
  }
}

export function ensureBuilt(): void {
  if (builtAt() >= newestUnder(join(ROOT, "src"))) return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
      "--incremental",
      "--tsBuildInfoFile",
      BUILD_INFO,
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  // tsc leaves its build info alone when nothing changed (a file touched, not edited): mark it current.
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
}
