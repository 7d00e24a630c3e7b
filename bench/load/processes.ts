import { type ChildProcess, fork, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SendOrder, SendResult } from "./sender.js";

/**
 * The processes a load run needs, all on loopback: a throwaway redis-server
 * and app instances started as `npm start` starts them (the built server),
 * each in its own process so one can be SIGKILLed.
 */

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, "..", "..", "..");
export const SECRET = "load-test-webhook-secret";

export const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out.slice(-2000)}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${what} exited ${code}: ${out.slice(-2000)}`)));
  });
}

export interface Proc {
  child: ChildProcess;
  port: number;
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function stopper(child: ChildProcess, group: boolean) {
  return (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      if (group && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    });
}

export async function startRedis(): Promise<Proc> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitFor(child, /Ready to accept connections/i, "redis-server");
  return { child, port, url: `redis://127.0.0.1:${port}`, stop: stopper(child, false) };
}

export interface InstanceOptions {
  githubHost: string;
  redisUrl?: string;
  env?: Record<string, string>;
  /** Run through `npm start` (as a user would) instead of node directly. */
  npmStart?: boolean;
  logLevel?: string;
  /** Extra node flags (e.g. `--cpu-prof`); default: BENCH_NODE_ARGS, split on spaces. */
  nodeArgs?: string[];
}

export async function startInstance(options: InstanceOptions): Promise<Proc> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    APP_ID: "4242",
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
    HOST: "127.0.0.1",
    GHE_HOST: options.githubHost,
    GHE_PROTOCOL: "http",
    TOLLGATE_OSV_URL: `http://${options.githubHost}/osv`,
    LOG_LEVEL: options.logLevel ?? "info",
    LOG_FORMAT: "json",
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const child = options.npmStart
    ? spawn("npm", ["start", "--silent"], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      })
    : spawn(process.execPath, [...nodeArgs(options), join(ROOT, "dist", "src", "server.js")], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
  let out = "";
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  };
  // Keep draining its output so a busy instance never blocks on a full pipe.
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  await untilReady(`http://127.0.0.1:${port}`, child, () => out);
  return { child, port, url: `http://127.0.0.1:${port}`, stop: stopper(child, options.npmStart === true) };
}

function nodeArgs(options: InstanceOptions): string[] {
  return options.nodeArgs ?? (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
}

/** Polls /readyz (the log level may hide "Listening on"). */
async function untilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tollgate exited ${child.exitCode}: ${output()}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`tollgate did not become ready: ${output()}`);
}

export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

/** POSTs a webhook signed like GitHub's; resolves with the status and the time to the answer. */
export async function deliver(baseUrl: string, d: Delivery): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(d.payload);
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": d.name,
      "x-github-delivery": d.id,
      "x-hub-signature-256": signature,
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

/** One instance's `GET /metrics`, as `name{labels}` → value. */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const text = await fetch(`${baseUrl}/metrics`).then((r) => r.text());
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+(\S+)$/.exec(line);
    if (m && !line.startsWith("#")) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/**
 * What the instance itself measured while the deliveries arrived: the
 * server-side answer time (the upper bound of the histogram bucket holding
 * the 99th percentile) and its event loop's delay (p99, max).
 */
export interface InstanceSide {
  responseP99Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

export function instanceSide(metrics: Map<string, number>): InstanceSide {
  const buckets: Array<[number, number]> = [];
  for (const [key, value] of metrics) {
    const m = /^tollgate_webhook_response_seconds_bucket\{le="([^"]+)",status="200"\}$/.exec(key);
    if (m) buckets.push([m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]), value]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  const p99 = buckets.find(([, count]) => count >= total * 0.99)?.[0] ?? Number.NaN;
  return {
    responseP99Ms: p99 * 1000,
    loopP99Ms: (metrics.get("nodejs_eventloop_lag_p99_seconds") ?? Number.NaN) * 1000,
    loopMaxMs: (metrics.get("nodejs_eventloop_lag_max_seconds") ?? Number.NaN) * 1000,
  };
}

/** Sends the deliveries from a process of its own (sender.ts) and returns what it measured. */
export function sendFromChild(order: SendOrder): Promise<SendResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, "sender.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: SendResult | undefined;
    child.once("message", (m) => {
      result = m as SendResult;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      result ? resolve(result) : reject(new Error(`the sender exited ${code} without a result`)),
    );
    child.send(order);
  });
}
