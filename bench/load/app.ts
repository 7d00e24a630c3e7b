import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import {
  type Delivery,
  deliver,
  type InstanceSide,
  instanceSide,
  percentile,
  SECRET,
  scrapeMetrics,
  sendFromChild,
  startInstance,
  startRedis,
} from "./processes.js";
import { GitHubStandIn } from "./standin.js";

/**
 * `npm run bench:app`: the app at organisation scale against a GitHub
 * stand-in on loopback that answers every call after 40 ms. 200 pull
 * requests (40 installations × 5) are delivered as fast as this machine
 * sends them, with redeliveries and same-head `synchronize`s mixed in:
 *
 *   1. two instances sharing one local Redis;
 *   2. one instance, no Redis (the embedded queue);
 *   3. two instances on Redis, one SIGKILLed a third of the way through.
 *
 * Each reports the webhook acknowledgement latency (p50/p99/max), whether
 * every pull request's head got exactly one concluded `tollgate` run and at
 * most one review, and the throughput in reviews per minute.
 */

const LATENCY_MS = 40;
const INSTALLATIONS = 40;
const PER_INSTALLATION = 5;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const TIMEOUT_MS = 300_000;
const INSTANCE_ENV = {
  TOLLGATE_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? "16",
  TOLLGATE_JOB_LOCK_MS: "5000",
};

function dockerfile(n: number): string {
  return `FROM node:latest\nRUN curl -fsSL http://example.com/install-${n}.sh | sh\nCMD ["node", "server.js"]\n`;
}

function workflow(n: number): string {
  return `name: ci\non: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test # ${n}\n`;
}

interface Scenario {
  name: string;
  instances: number;
  redis: boolean;
  /** SIGKILL the second instance once this share of the pull requests has concluded. */
  killAt?: number;
}

export interface Result {
  name: string;
  deliveries: number;
  refused: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  pulls: number;
  concluded: number;
  duplicateRuns: number;
  duplicateReviews: number;
  seconds: number;
  perMinute: number;
  killed?: string;
  unknownRoutes: string[];
  /** The sender's own event-loop delay while sending (p99, max): what it adds to every measured ack. */
  clientLoopP99Ms: number;
  clientLoopMaxMs: number;
  instancesSide: InstanceSide[];
}

function plan(standin: GitHubStandIn): { heads: string[]; deliveries: Delivery[] } {
  const heads: string[] = [];
  const deliveries: Delivery[] = [];
  let n = 0;
  for (let i = 1; i <= INSTALLATIONS; i++) {
    for (let p = 1; p <= PER_INSTALLATION; p++) {
      n++;
      const pull = standin.addPull(`org-${i}`, "service", p, 1000 + i, [
        { path: "Dockerfile", content: dockerfile(n) },
        { path: ".github/workflows/ci.yml", content: workflow(n) },
        { path: "README.md", content: `# Service ${n}\n` },
        { path: "src/index.js", content: `console.log(${n});\n` },
      ]);
      heads.push(pull.headSha);
      const opened = { id: randomUUID(), name: "pull_request", payload: standin.payload(pull, "opened") };
      deliveries.push(opened);
      // One in ten is redelivered, and gets a `synchronize` for the same head (GitHub sends both on a re-push).
      if (n % 10 === 0) {
        deliveries.push(opened);
        deliveries.push({
          id: randomUUID(),
          name: "pull_request",
          payload: standin.payload(pull, "synchronize"),
        });
      }
    }
  }
  return { heads, deliveries };
}

async function run(s: Scenario): Promise<Result> {
  const standin = new GitHubStandIn(LATENCY_MS);
  const github = await standin.listen();
  const redis = s.redis ? await startRedis() : undefined;
  const instances = await Promise.all(
    Array.from({ length: s.instances }, () =>
      startInstance({ githubHost: github.host, redisUrl: redis?.url, env: INSTANCE_ENV, logLevel: "warn" }),
    ),
  );
  const { heads, deliveries } = plan(standin);
  const concluded = () => heads.filter((h) => standin.runsOn(h).some((r) => r.status === "completed")).length;
  // A scrape resets the instances' event-loop histograms: what follows is the delivery phase alone.
  await Promise.all(instances.map((i) => scrapeMetrics(i.url)));
  const t0 = performance.now();
  const sent = await sendFromChild({
    targets: instances.map((i) => i.url),
    deliveries,
    inFlight: IN_FLIGHT,
    secret: SECRET,
  });
  const acks = sent.acks;
  if (process.env.BENCH_DUMP)
    writeFileSync(`${process.env.BENCH_DUMP}-${s.name.replace(/\W+/g, "_")}.json`, JSON.stringify(acks));
  const instancesSide = await Promise.all(
    instances.map(async (i) => instanceSide(await scrapeMetrics(i.url))),
  );
  let killed: string | undefined;
  const deadline = Date.now() + TIMEOUT_MS;
  while (concluded() < heads.length && Date.now() < deadline) {
    if (s.killAt !== undefined && !killed && concluded() >= heads.length * s.killAt) {
      const running = standin.runs.filter((r) => r.status !== "completed").length;
      await instances[1]!.stop("SIGKILL");
      killed = `SIGKILL at ${concluded()}/${heads.length} concluded, ${running} runs in progress`;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  const done = concluded();
  const reviewsPerHead = new Map<string, number>();
  for (const r of standin.reviews)
    reviewsPerHead.set(r.commit_id, (reviewsPerHead.get(r.commit_id) ?? 0) + 1);
  const ms = acks.map((a) => a.ms).filter((x) => Number.isFinite(x));
  await Promise.all(instances.map((i) => i.stop("SIGTERM")));
  await redis?.stop();
  await github.close();
  return {
    name: s.name,
    deliveries: deliveries.length,
    refused: acks.filter((a) => a.status !== 200 && a.status !== 202).length,
    ackP50: percentile(ms, 50),
    ackP99: percentile(ms, 99),
    ackMax: Math.max(...ms),
    pulls: heads.length,
    concluded: done,
    duplicateRuns: heads.filter((h) => standin.runsOn(h).length > 1).length,
    duplicateReviews: [...reviewsPerHead.values()].filter((c) => c > 1).length,
    seconds,
    perMinute: (done / seconds) * 60,
    ...(killed ? { killed } : {}),
    unknownRoutes: [...new Set(standin.unknown)].slice(0, 5),
    clientLoopP99Ms: sent.loopP99Ms,
    clientLoopMaxMs: sent.loopMaxMs,
    instancesSide,
  };
}

const SCENARIOS: Scenario[] = [
  { name: "2 instances + Redis", instances: 2, redis: true },
  { name: "1 instance, embedded queue", instances: 1, redis: false },
  { name: "2 instances + Redis, one SIGKILLed", instances: 2, redis: true, killAt: 1 / 3 },
];

/**
 * The floor this machine sets: one idle instance answering 100 deliveries of
 * an event Tollgate ignores, one at a time. No queue, no review, no Redis:
 * only Probot's signature check and node's HTTP.
 */
async function floor(): Promise<{ p50: number; p99: number }> {
  const standin = new GitHubStandIn(LATENCY_MS);
  const github = await standin.listen();
  const instance = await startInstance({ githubHost: github.host, logLevel: "warn" });
  const payload = { action: "created", repository: { name: "r", full_name: "o/r", owner: { login: "o" } } };
  const ms: number[] = [];
  for (let i = 0; i < 100; i++)
    ms.push((await deliver(instance.url, { id: randomUUID(), name: "star", payload })).ms);
  await instance.stop("SIGTERM");
  await github.close();
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

const only = process.argv[2];
const base = await floor();
const results: Result[] = [];
for (const s of SCENARIOS.filter((x) => !only || x.name.startsWith(only))) {
  process.stderr.write(`running: ${s.name}…\n`);
  results.push(await run(s));
}
process.stdout.write(
  `\nTollgate app load — node ${process.version}, ${cpus().length} CPUs, GitHub stand-in at ${LATENCY_MS} ms per call\n\n`,
);
process.stdout.write(
  "| scenario | deliveries | ack p50 | ack p99 | ack max | concluded | duplicate runs | duplicate reviews | time | reviews/min |\n|---|---|---|---|---|---|---|---|---|---|\n",
);
for (const r of results) {
  process.stdout.write(
    `| ${r.name} | ${r.deliveries} (${r.refused} refused) | ${r.ackP50.toFixed(1)} ms | ${r.ackP99.toFixed(1)} ms | ${r.ackMax.toFixed(1)} ms | ${r.concluded}/${r.pulls} | ${r.duplicateRuns} | ${r.duplicateReviews} | ${r.seconds.toFixed(1)} s | ${r.perMinute.toFixed(0)} |\n`,
  );
}
process.stdout.write(
  `\nFloor on this machine (an ignored event, one at a time, idle instance): p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);
process.stdout.write(
  "\nWhere an ack's time went while the deliveries arrived (server side: p99 bucket bound of tollgate_webhook_response_seconds; loop: event-loop delay p99 / max):\n",
);
for (const r of results) {
  const sides = r.instancesSide
    .map(
      (s, i) =>
        `instance ${i + 1}: server side ≤ ${s.responseP99Ms} ms, loop ${s.loopP99Ms.toFixed(0)} / ${s.loopMaxMs.toFixed(0)} ms`,
    )
    .join("; ");
  process.stdout.write(
    `- ${r.name}: sender loop ${r.clientLoopP99Ms.toFixed(0)} / ${r.clientLoopMaxMs.toFixed(0)} ms; ${sides}\n`,
  );
}
for (const r of results) {
  if (r.killed) process.stdout.write(`\n${r.name}: ${r.killed}\n`);
  if (r.unknownRoutes.length)
    process.stdout.write(`\n${r.name}: routes the stand-in did not know: ${r.unknownRoutes.join(", ")}\n`);
}
const ok = results.every(
  (r) =>
    r.ackP99 < 100 &&
    r.concluded === r.pulls &&
    r.duplicateRuns === 0 &&
    r.duplicateReviews === 0 &&
    r.refused === 0,
);
process.stdout.write(
  `\n${ok ? "OK" : "FAILED"}: p99 ack < 100 ms, every PR concluded, no duplicate run or review\n`,
);
process.exitCode = ok ? 0 : 1;
