import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueStats } from "./queue/types.js";

/**
 * What an operator graphs and alerts on, in Prometheus' text format at
 * `GET /metrics`. One registry per app instance (not prom-client's global
 * one), so two apps in one process, as in the tests, do not mix counts.
 */

export class Metrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({
    name: "tollgate_webhook_deliveries_total",
    help: "Verified webhook deliveries, by event and what the queue did with them.",
    labelNames: ["event", "outcome"] as const,
    registers: [this.registry],
  });
  readonly webhookResponse = new Histogram({
    name: "tollgate_webhook_response_seconds",
    help: "Time from a webhook request's arrival (headers read) to its answer, by status (src/server.ts).",
    labelNames: ["status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: "tollgate_queue_wait_seconds",
    help: "Time from a delivery's arrival to the start of its first run.",
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: "tollgate_job_duration_seconds",
    help: "Time one job (a review, a command, a merge group) ran, by event and result.",
    labelNames: ["event", "result"] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly reviews = new Counter({
    name: "tollgate_reviews_total",
    help: "Reviews finished, by outcome (completed, skipped, superseded, failed) and conclusion.",
    labelNames: ["outcome", "conclusion"] as const,
    registers: [this.registry],
  });
  readonly findings = new Counter({
    name: "tollgate_findings_total",
    help: "New findings reported by completed reviews, by severity.",
    labelNames: ["severity"] as const,
    registers: [this.registry],
  });
  readonly githubRequests = new Counter({
    name: "tollgate_github_requests_total",
    help: "Requests to the GitHub API, by method and status.",
    labelNames: ["method", "status"] as const,
    registers: [this.registry],
  });
  readonly rateLimitRemaining = new Gauge({
    name: "tollgate_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the last GitHub answer, by rate-limit resource.",
    labelNames: ["resource"] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "tollgate_errors_total",
    help: "Failures, by kind (job_retry, job_failed, no_token, queue_full, conclude_failed).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  constructor(options: { queueStats?: () => Promise<QueueStats>; defaultMetrics?: boolean } = {}) {
    const stats = options.queueStats;
    new Gauge({
      name: "tollgate_queue_jobs",
      help: "Jobs in the queue, by state (waiting includes retries due later).",
      labelNames: ["state"] as const,
      registers: [this.registry],
      async collect() {
        if (!stats) return;
        try {
          const s = await stats();
          this.set({ state: "waiting" }, s.waiting);
          this.set({ state: "running" }, s.running);
        } catch {
          // Redis unreachable: /readyz says so; the scrape still answers.
        }
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Records one GitHub answer (or failure) and the rate limit it reported. */
  observeGitHub(method: string, status: number | string, headers: Record<string, unknown> | undefined): void {
    this.githubRequests.inc({ method, status: String(status) });
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) {
      this.rateLimitRemaining.set({ resource: String(headers["x-ratelimit-resource"] ?? "core") }, remaining);
    }
  }
}

/** `GET /metrics`, behind `METRICS_TOKEN` as a bearer token when it is set. */
export function metricsHandler(
  metrics: Metrics,
  token: string | undefined,
  /** The page to serve instead of this registry's alone (with the job thread's metrics added). */
  render: () => Promise<string> = () => metrics.registry.metrics(),
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== "/metrics") return false;
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return true;
    }
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"' }).end();
      return true;
    }
    const body = await render();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(body);
    return true;
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  // Compared in constant time: the token guards what the instance is doing.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type RequestHook = (options: {
  method?: string;
}) => Promise<{ status: number; headers: Record<string, unknown> }>;
type HookedOctokit = {
  hook: { wrap(name: "request", fn: (request: RequestHook, options: { method?: string }) => unknown): void };
};

/** An Octokit plugin counting every GitHub request of this instance and its rate limit. */
export function githubMetricsPlugin(metrics: Metrics) {
  return (octokit: HookedOctokit): void => {
    octokit.hook.wrap("request", async (request, options) => {
      const method = options.method ?? "GET";
      try {
        const response = await request(options);
        metrics.observeGitHub(method, response.status, response.headers);
        return response;
      } catch (e) {
        const err = e as { status?: number; response?: { headers?: Record<string, unknown> } };
        metrics.observeGitHub(method, err.status ?? "error", err.response?.headers);
        throw e;
      }
    });
  };
}
