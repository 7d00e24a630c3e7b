import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchLine } from "./types.js";

/**
 * `npm run bench`: the engine on synthetic changes of 10–3,000 files, the CLI
 * scanning a large tree of real files, CLI start-up, and each family's own
 * benchmark. Prints a table with the targets the issues set.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const bin = join(root, "bin", "tollgate.js");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface EngineResult {
  files: number;
  bytes: number;
  medianMs: number;
  filesPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
  findings: number;
}

function engine(files: number, runs: number): EngineResult {
  const out = execFileSync(
    process.execPath,
    ["--expose-gc", join(here, "engine-child.js"), String(files), String(runs)],
    {
      encoding: "utf8",
      maxBuffer: 1e7,
    },
  );
  return JSON.parse(out) as EngineResult;
}

/** Copies real text files (JavaScript, JSON, TypeScript, Markdown, YAML) from node_modules into a scan tree. */
function realTree(targetBytes: number): { dir: string; bytes: number; files: number } {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-tree-"));
  let bytes = 0;
  let files = 0;
  const exts = new Set([".js", ".mjs", ".cjs", ".json", ".ts", ".md", ".yml", ".yaml"]);
  const walk = (src: string, depth: number): void => {
    if (bytes >= targetBytes || depth > 8) return;
    let entries: string[];
    try {
      entries = readdirSync(src).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (bytes >= targetBytes) return;
      const p = join(src, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && exts.has(extname(name)) && st.size < 900_000) {
        const rel = p.slice(root.length + 1).replace(/node_modules/g, "pkgs");
        const dest = join(dir, rel);
        mkdirSync(dirname(dest), { recursive: true });
        copyFileSync(p, dest);
        bytes += st.size;
        files++;
      }
    }
  };
  walk(join(root, "node_modules"), 0);
  // and the kinds of files Tollgate is for
  for (const ex of ["examples"])
    if (existsSync(join(root, ex))) execFileSync("cp", ["-r", join(root, ex), join(dir, ex)]);
  return { dir, bytes, files };
}

function timeCli(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", maxBuffer: 1e9 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`tollgate ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}

const lines: BenchLine[] = [];

for (const [files, runs] of [
  [10, 9],
  [20, 9],
  [100, 7],
  [1000, 5],
  [3000, 3],
] as const) {
  const r = engine(files, runs);
  const target =
    files === 20
      ? { target: "< 50 ms", ok: r.medianMs < 50 }
      : files === 3000
        ? { target: "< 5000 ms", ok: r.medianMs < 5000 }
        : {};
  lines.push({
    name: `engine: ${files}-file change (${(r.bytes / 1e6).toFixed(1)} MB, ${r.findings} findings), median`,
    value: r.medianMs,
    unit: "ms",
    ...target,
  });
  lines.push({ name: `engine: ${files}-file change, throughput`, value: r.filesPerSec, unit: "files/s" });
  lines.push({ name: `engine: ${files}-file change, throughput`, value: r.mbPerSec, unit: "MB/s" });
  lines.push({
    name: `engine: ${files}-file change, peak RSS`,
    value: r.peakRssMb,
    unit: "MB",
    ...(files === 3000 ? { target: "< 300 MB", ok: r.peakRssMb < 300 } : {}),
  });
}

const tree = realTree(60_000_000);
const scanTimes = [0, 1, 2].map(() =>
  timeCli(["scan", tree.dir, "--offline", "--format", "json", "--output", "/dev/null"], tree.dir),
);
const scanMbps = tree.bytes / 1e6 / (median(scanTimes) / 1000);
lines.push({
  name: `cli: tollgate scan of ${tree.files} real files (${(tree.bytes / 1e6).toFixed(1)} MB), whole process`,
  value: scanMbps,
  unit: "MB/s",
  target: "≥ 10 MB/s",
  ok: scanMbps >= 10,
});

const small = mkdtempSync(join(tmpdir(), "tollgate-bench-small-"));
writeFileSync(join(small, "Dockerfile"), 'FROM node:20-alpine\nUSER node\nCMD ["node", "server.js"]\n');
timeCli(["scan", "Dockerfile", "--offline"], small);
const startup = median(Array.from({ length: 11 }, () => timeCli(["scan", "Dockerfile", "--offline"], small)));
const bare = median(
  Array.from({ length: 11 }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    return performance.now() - t0;
  }),
);
lines.push({
  name: "cli: start-up, scan of one small Dockerfile (median of 11)",
  value: startup,
  unit: "ms",
  target: "< 150 ms",
  ok: startup < 150,
});
lines.push({ name: "cli: for scale, `node -e 0` on this machine", value: bare, unit: "ms" });

/**
 * Every other module in bench/ is a family's (or the app's) benchmark exporting `bench()`: a new
 * family adds `bench/<family>.ts` and nothing else. The known ones run first, in a stable order.
 */
const NOT_A_BENCHMARK = new Set(["run", "engine-child", "types", "synthetic", "support"]);
const FIRST = ["docker", "actions", "secrets", "deps-diff", "deps-osv"];
const discovered = readdirSync(here)
  .filter((f) => f.endsWith(".js"))
  .map((f) => f.slice(0, -3))
  .filter((m) => !NOT_A_BENCHMARK.has(m) && !m.startsWith("_"));
const modules = [
  ...FIRST.filter((m) => discovered.includes(m)),
  ...discovered.filter((m) => !FIRST.includes(m)).sort(),
];
for (const mod of modules) {
  const path = join(here, `${mod}.js`);
  const { bench } = (await import(path)) as { bench: () => Promise<BenchLine[]> };
  lines.push(...(await bench()));
}

const width = Math.max(...lines.map((l) => l.name.length));
process.stdout.write(
  `\nTollgate benchmark — node ${process.version}, ${(await import("node:os")).cpus().length} CPUs\n\n`,
);
for (const l of lines) {
  const value = l.value >= 100 ? l.value.toFixed(0) : l.value.toFixed(1);
  const target = l.target ? `  target ${l.target} ${l.ok ? "✓" : "✗"}` : "";
  process.stdout.write(`${l.name.padEnd(width)}  ${value.padStart(9)} ${l.unit}${target}\n`);
}
