import { performance } from "node:perf_hooks";
import { checks as depsChecks } from "../src/checks/deps/checks.generated.js";
import { diffDependencies } from "../src/checks/deps/model.js";
import type { FileChange } from "../src/checks/types.js";
import { configSchema } from "../src/review/config.js";
import { TextVersion } from "../src/review/content.js";
import { runReview } from "../src/review/engine.js";
import { memoryChangeSet } from "../src/review/memory.js";
import type { BenchLine } from "./types.js";

/**
 * The dependency diff of a 20,000-entry package-lock.json (v3, about 6 MB):
 * both versions parsed with line positions and compared, as a big dependency
 * update would be. The head upgrades 1% of the packages, adds 100 and
 * changes one integrity hash. Target: under 1 s.
 */

const ENTRIES = 20_000;
const TARGET_MS = 1000;

function integrity(i: number, salt: string): string {
  let h = (i * 2654435761) >>> 0;
  let s = "";
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let k = 0; k < 86; k++) {
    h = (Math.imul(h ^ (h >>> 13), 0x5bd1e995) + salt.length + k) >>> 0;
    s += alphabet[h % 64];
  }
  return `sha512-${s}==`;
}

export function syntheticLockfile(entries: number, variant: "base" | "head"): string {
  const packages: string[] = [];
  const root: string[] = [];
  for (let i = 0; i < entries; i++) {
    const nested = i % 7 === 0 && i > 0;
    const name = `pkg-${i}`;
    let minor = i % 20;
    if (variant === "head" && i % 100 === 0) minor += 1;
    const version = `1.${minor}.${i % 3}`;
    const path = nested ? `node_modules/pkg-${i - 1}/node_modules/${name}` : `node_modules/${name}`;
    if (!nested && i % 50 === 0) root.push(`        "${name}": "^1.0.0"`);
    const tampered = variant === "head" && i === 4242;
    packages.push(
      `    "${path}": {\n      "version": "${version}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${version}.tgz",\n      "integrity": "${integrity(i + minor, tampered ? "x" : "")}",\n      "license": "MIT"${i % 11 === 0 ? ',\n      "dev": true' : ""}\n    }`,
    );
  }
  if (variant === "head") {
    for (let i = 0; i < 100; i++) {
      packages.push(
        `    "node_modules/new-${i}": {\n      "version": "2.0.0",\n      "resolved": "https://registry.npmjs.org/new-${i}/-/new-${i}-2.0.0.tgz",\n      "integrity": "${integrity(i, "new")}"\n    }`,
      );
    }
  }
  return `{\n  "name": "bench",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n    "": {\n      "name": "bench",\n      "dependencies": {\n${root.join(",\n")}\n      }\n    },\n${packages.join(",\n")}\n  }\n}\n`;
}

function fileChange(base: string, head: string): FileChange {
  return {
    path: "package-lock.json",
    status: "modified",
    families: ["deps"],
    head: new TextVersion("package-lock.json", head),
    base: new TextVersion("package-lock.json", base),
    hunks: [],
    added: new Map(),
    removed: new Map(),
  };
}

export async function bench(): Promise<BenchLine[]> {
  const base = syntheticLockfile(ENTRIES, "base");
  const head = syntheticLockfile(ENTRIES, "head");
  // Warm up the JIT on a small file so the figure is the steady state a server sees.
  diffDependencies(fileChange(syntheticLockfile(500, "base"), syntheticLockfile(500, "head")));

  const runs: number[] = [];
  const cpu: number[] = [];
  let diffs = 0;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    diffs = diffDependencies(fileChange(base, head)).length;
    runs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const diffMs = Math.min(...runs);
  // For scale on a busy machine: the native JSON.parse of both versions, which any approach must pay.
  const j0 = performance.now();
  JSON.parse(base);
  JSON.parse(head);
  const nativeMs = performance.now() - j0;

  // The default max-file-bytes (1 MB) would skip this file with a note; a repository with
  // lockfiles this large raises it. The rule catalogue is loaded before timing.
  const options = {
    checks: depsChecks.filter((c) => c.kind === "change"),
    config: configSchema.parse({ "max-file-bytes": 20_000_000 }),
  };
  await runReview(memoryChangeSet([]), options);
  const changeSet = memoryChangeSet([{ path: "package-lock.json", base, head }]);
  const t1 = performance.now();
  const review = await runReview(changeSet, options);
  const reviewMs = performance.now() - t1;

  return [
    {
      name: "deps: package-lock.json size (each version)",
      value: Number((head.length / 1e6).toFixed(1)),
      unit: "MB",
    },
    {
      name: `deps: parse + diff of a ${ENTRIES.toLocaleString("en")}-entry package-lock.json (${diffs} changes)`,
      value: Math.round(diffMs),
      unit: "ms",
      target: `< ${TARGET_MS} ms`,
      ok: diffMs < TARGET_MS,
    },
    {
      name: "deps: CPU time of that diff (all threads, incl. GC)",
      value: Math.round(Math.min(...cpu)),
      unit: "ms",
    },
    { name: "deps: native JSON.parse of both versions (for scale)", value: Math.round(nativeMs), unit: "ms" },
    {
      name: `deps: engine review of that change, offline deps/ checks (${review.dependencyChanges.length} rows, ${review.findings.length} findings)`,
      value: Math.round(reviewMs),
      unit: "ms",
    },
  ];
}
