import { performance } from "node:perf_hooks";
import { npmHighImpact } from "npm-high-impact";
import { TyposquatIndex } from "../src/checks/deps/typosquat-index.js";
import type { AdvisoryQuery } from "../src/checks/types.js";
import { OsvClient } from "../src/services/osv.js";
import type { BenchLine } from "./types.js";

/**
 * The typosquat matcher and the OSV client's own work, on synthetic data and
 * without a network:
 *   - building the npm index (17k names) once per process;
 *   - matching 1,000 new names (half near-misses of popular names, half
 *     unrelated), as a large lockfile change would add (best of three runs);
 *   - a 20,000-version lookup against an in-process OSV stand-in (`fetch`
 *     replaced by a function), which measures batching, hydration and caching.
 */

const MATCH_TARGET_MS = 100;
const LOOKUP_TARGET_MS = 1_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newNames(count: number): string[] {
  const random = rng(7);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const base = npmHighImpact[Math.floor(random() * 3000)]!;
      const at = Math.floor(random() * base.length);
      out.push(base.slice(0, at) + letters[Math.floor(random() * 26)] + base.slice(at + 1));
    } else {
      out.push(`acme-internal-${i}-${letters[i % 26]}${letters[(i * 7) % 26]}tool`);
    }
  }
  return out;
}

function fakeOsv(): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    if (url.endsWith("/v1/querybatch")) {
      const { queries } = JSON.parse(String(init?.body)) as { queries: AdvisoryQuery[] };
      const results = queries.map((_q, i) =>
        i % 500 === 0 ? { vulns: [{ id: `GHSA-bench-${i % 7}` }] } : {},
      );
      return new Response(JSON.stringify({ results }), { status: 200 });
    }
    const id = decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));
    return new Response(JSON.stringify({ id, summary: "bench", database_specific: { severity: "HIGH" } }), {
      status: 200,
    });
  };
}

export async function bench(): Promise<BenchLine[]> {
  const t0 = performance.now();
  const index = new TyposquatIndex(npmHighImpact, { targets: 5_000, editTargets: 2_500 });
  const buildMs = performance.now() - t0;

  const names = newNames(1_000);
  let flagged = 0;
  // Best of three: the first run also pays for JIT warm-up, and a shared machine adds noise.
  let matchMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    flagged = 0;
    const t1 = performance.now();
    for (const name of names) if (index.match(name)) flagged++;
    matchMs = Math.min(matchMs, performance.now() - t1);
  }

  const queries = Array.from({ length: 20_000 }, (_, i) => ({
    ecosystem: "npm",
    name: `pkg-${i}`,
    version: `1.${i % 10}.0`,
  }));
  const client = new OsvClient({ baseUrl: "http://osv.invalid", fetch: fakeOsv() });
  const t2 = performance.now();
  await client.lookup(queries);
  const lookupMs = performance.now() - t2;
  const t3 = performance.now();
  await client.lookup(queries);
  const cachedMs = performance.now() - t3;

  return [
    { name: "deps: typosquat index build (npm, 17k names)", value: round(buildMs), unit: "ms" },
    {
      name: "deps: typosquat match of 1,000 new names (best of 3)",
      value: round(matchMs),
      unit: "ms",
      target: `< ${MATCH_TARGET_MS} ms`,
      ok: matchMs < MATCH_TARGET_MS,
    },
    { name: "deps: typosquat names flagged of 1,000", value: flagged, unit: "count" },
    {
      name: "deps: OSV lookup of 20,000 versions (in-process stand-in)",
      value: round(lookupMs),
      unit: "ms",
      target: `< ${LOOKUP_TARGET_MS} ms`,
      ok: lookupMs < LOOKUP_TARGET_MS,
    },
    { name: "deps: same lookup again, from the cache", value: round(cachedMs), unit: "ms" },
  ];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
