import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A GitHub stand-in for load tests: many installations, repositories and
 * pull requests, every answer delayed by `latencyMs` as a real API call is.
 * It serves what a review asks for (files, blobs, check runs, reviews,
 * comments, the merge queue) and records every write, so a run can be
 * checked for concluded runs and duplicates. Not a contract test: the test
 * suite's stand-in (test/app/support/fake-github.ts) checks requests
 * against GitHub's OpenAPI description.
 */

export const APP_ID = 4242;

export interface StandInFile {
  path: string;
  content: string;
}

interface Pull {
  owner: string;
  repo: string;
  number: number;
  installationId: number;
  headSha: string;
  baseSha: string;
  files: Array<{
    filename: string;
    sha: string;
    status: string;
    patch: string;
    additions: number;
    deletions: number;
    changes: number;
  }>;
}

export interface StandInRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  started_at: string | null;
  output: { title: string | null; summary?: string };
  app: { id: number };
}

type Body = Record<string, unknown>;
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
interface RouteArgs {
  owner: string;
  repo: string;
  m: RegExpExecArray;
  url: URL;
  body: Body;
  base: string;
  path: string;
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

export class GitHubStandIn {
  readonly pulls = new Map<string, Pull>();
  readonly blobs = new Map<string, string>();
  readonly runs: StandInRun[] = [];
  readonly reviews: Array<{ owner: string; repo: string; number: number; commit_id: string }> = [];
  readonly unknown: string[] = [];
  mergeQueue: Array<{ position: number; headSha: string; pullNumber: number; pullHeadSha: string }> = [];
  requests = 0;
  private nextId = 1;
  private server?: Server;

  constructor(readonly latencyMs: number) {}

  addPull(owner: string, repo: string, number: number, installationId: number, files: StandInFile[]): Pull {
    const entries = files.map((f) => {
      const sha = sha1(`blob ${f.content}`);
      this.blobs.set(sha, f.content);
      const lines = f.content.replace(/\n$/, "").split("\n");
      return {
        filename: f.path,
        sha,
        status: "added",
        patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`,
        additions: lines.length,
        deletions: 0,
        changes: lines.length,
      };
    });
    const pull: Pull = {
      owner,
      repo,
      number,
      installationId,
      headSha: sha1(`${owner}/${repo}#${number}@${files.map((f) => f.content).join("")}`),
      baseSha: sha1(`${owner}/${repo} base`),
      files: entries,
    };
    this.pulls.set(`${owner}/${repo}#${number}`.toLowerCase(), pull);
    return pull;
  }

  /** The `pull_request` webhook payload GitHub sends for this pull request. */
  payload(pull: Pull, action = "opened"): Record<string, unknown> {
    const owner = { login: pull.owner, type: "Organization" };
    return {
      action,
      number: pull.number,
      pull_request: {
        number: pull.number,
        state: "open",
        draft: false,
        user: { login: "octocat", type: "User" },
        head: {
          sha: pull.headSha,
          ref: `change-${pull.number}`,
          repo: { full_name: `${pull.owner}/${pull.repo}` },
        },
        base: { sha: pull.baseSha, ref: "main", repo: { full_name: `${pull.owner}/${pull.repo}` } },
        changed_files: pull.files.length,
        updated_at: "2026-12-03T12:00:00Z",
      },
      repository: { name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, owner, private: true },
      installation: { id: pull.installationId },
      sender: { login: "octocat", type: "User" },
    };
  }

  /** Concluded `tollgate` runs on a head, and all runs on it. */
  runsOn(headSha: string): StandInRun[] {
    return this.runs.filter((r) => r.head_sha === headSha && r.name === "tollgate");
  }

  async listen(): Promise<{ host: string; close: () => Promise<void> }> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        this.requests++;
        const text = Buffer.concat(chunks).toString("utf8");
        setTimeout(() => {
          const base = `http://${req.headers.host}/api/v3`;
          const r = this.route(
            req.method ?? "GET",
            req.url ?? "/",
            text ? JSON.parse(text) : undefined,
            base,
          );
          const body = typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? {});
          res.writeHead(r.status, {
            "content-type": typeof r.body === "string" ? "application/vnd.github.raw" : "application/json",
            "x-github-request-id": `STANDIN:${this.requests}`,
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": String(Math.max(0, 5000 - this.requests)),
            "x-ratelimit-resource": "core",
            ...(r.headers ?? {}),
          });
          res.end(body);
        }, this.latencyMs);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return {
      host: `127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          this.server!.closeAllConnections();
          this.server!.close(() => resolve());
        }),
    };
  }

  private route(method: string, rawUrl: string, body: Body, base: string): Answer {
    const url = new URL(rawUrl, "http://x");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ""));
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path))
      return {
        status: 201,
        body: { token: "ghs_standin", expires_at: new Date(Date.now() + 3600_000).toISOString() },
      };
    if (method === "GET" && path === "/app") return { status: 200, body: { id: APP_ID, slug: "tollgate" } };
    // GitHub Enterprise Server serves GraphQL at /api/graphql, beside /api/v3.
    if (method === "POST" && (path === "/graphql" || path === "/api/graphql"))
      return { status: 200, body: this.graphql() };
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(path);
    if (!repoPath) return this.miss(method, path);
    const [, owner, repo, rest] = repoPath as unknown as [string, string, string, string];
    for (const [verb, pattern, answer] of this.routes) {
      const m = verb === method ? pattern.exec(rest) : null;
      if (m) return answer({ owner, repo, m, url, body, base, path }) ?? this.miss(method, path);
    }
    return this.miss(method, path);
  }

  private pull(owner: string, repo: string, n: string | undefined): Pull | undefined {
    return this.pulls.get(`${owner}/${repo}#${n}`.toLowerCase());
  }

  private readonly routes: Array<[string, RegExp, (r: RouteArgs) => Answer | undefined]> = [
    [
      "GET",
      /^pulls\/(\d+)$/,
      ({ owner, repo, m }) => {
        const p = this.pull(owner, repo, m[1]);
        return p && { status: 200, body: this.payload(p).pull_request };
      },
    ],
    ["GET", /^pulls\/(\d+)\/files$/, (r) => this.files(r)],
    [
      "GET",
      /^git\/blobs\/(\w+)$/,
      ({ m }) => {
        const blob = this.blobs.get(m[1] ?? "");
        return blob === undefined
          ? { status: 404, body: { message: "Not Found" } }
          : { status: 200, body: blob };
      },
    ],
    ["GET", /^contents\//, () => ({ status: 404, body: { message: "Not Found" } })],
    ["GET", /^(pulls\/\d+\/(comments|reviews)|issues\/\d+\/comments)$/, () => ({ status: 200, body: [] })],
    [
      "GET",
      /^commits\/(\w+)\/check-runs$/,
      ({ owner, repo, m }) => {
        const runs = this.runs.filter((r) => r.owner === owner && r.repo === repo && r.head_sha === m[1]);
        return { status: 200, body: { total_count: runs.length, check_runs: runs } };
      },
    ],
    ["POST", /^check-runs$/, ({ owner, repo, body }) => this.createRun(owner, repo, body)],
    ["PATCH", /^check-runs\/(\d+)$/, ({ m, body }) => this.updateRun(Number(m[1]), body)],
    [
      "POST",
      /^pulls\/(\d+)\/reviews$/,
      ({ owner, repo, m, body }) => {
        this.reviews.push({ owner, repo, number: Number(m[1]), commit_id: String(body.commit_id) });
        return { status: 200, body: { id: this.nextId++ } };
      },
    ],
  ];

  private files({ owner, repo, m, url, base, path }: RouteArgs): Answer | undefined {
    const p = this.pull(owner, repo, m[1]);
    if (!p) return undefined;
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < p.files.length) {
      headers.link = `<${base}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    return { status: 200, body: p.files.slice((page - 1) * perPage, page * perPage), headers };
  }

  private createRun(owner: string, repo: string, body: Body): Answer {
    const run: StandInRun = {
      id: this.nextId++,
      owner,
      repo,
      name: String(body.name),
      head_sha: String(body.head_sha),
      status: String(body.status ?? "queued"),
      conclusion: (body.conclusion as string | undefined) ?? null,
      external_id: (body.external_id as string | undefined) ?? null,
      started_at: (body.started_at as string | undefined) ?? null,
      output: { title: (body.output as { title?: string } | undefined)?.title ?? null },
      app: { id: APP_ID },
    };
    this.runs.push(run);
    return { status: 201, body: run };
  }

  private updateRun(id: number, body: Body): Answer {
    const run = this.runs.find((r) => r.id === id);
    if (!run) return { status: 404, body: { message: "Not Found" } };
    if (body.conclusion) {
      run.conclusion = String(body.conclusion);
      run.status = "completed";
    }
    const output = body.output as { title?: string; summary?: string } | undefined;
    if (output) run.output = { title: output.title ?? null, summary: output.summary ?? "" };
    return { status: 200, body: run };
  }

  private graphql() {
    const nodes = this.mergeQueue.map((e) => ({
      position: e.position,
      headCommit: { oid: e.headSha },
      pullRequest: { number: e.pullNumber, headRefOid: e.pullHeadSha },
    }));
    return { data: { repository: { mergeQueue: { entries: { nodes } } } } };
  }

  private miss(method: string, path: string): Answer {
    this.unknown.push(`${method} ${path}`);
    return { status: 404, body: { message: "Not Found" } };
  }
}
