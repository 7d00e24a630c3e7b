import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { commentableLines, parsePatch } from "../../../src/formats/patch.js";
import { unifiedPatch } from "../../../src/review/memory.js";
import { contractErrors, matchTemplate } from "./contract.js";

/**
 * An in-memory stand-in for the parts of GitHub's REST API Tollgate uses.
 * It keeps state (check runs, reviews, comments), so idempotency and later
 * pushes can be tested, validates every request against GitHub's OpenAPI
 * description, and rejects a review comment outside the diff with 422 as
 * GitHub does. Serve it in memory as the app's GitHub port (memory-github.ts), over
 * HTTP (intercept.ts, for the Octokit adapter's tests) or on loopback (`listen`).
 */

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const APP_ID = 123;
export const INSTALLATION_ID = 2;
export const BOT_LOGIN = "tollgate[bot]";

export interface RecordedRequest {
  method: string;
  template: string;
  path: string;
  query: URLSearchParams;
  body: any;
}

export interface FakeFile {
  path: string;
  base?: string | null;
  head?: string | null;
  previousPath?: string;
  /** Drop the patch, as GitHub does for big diffs. */
  omitPatch?: boolean;
}

interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  app: { id: number };
  output: { title?: string; summary?: string; annotations: any[] };
  actions: any[];
  check_suite: { id: number };
  html_url: string;
  history: Array<{ status: string; conclusion: string | null }>;
}

interface Comment {
  id: number;
  body: string;
  path: string;
  line?: number;
  side?: string;
  start_line?: number;
  in_reply_to_id?: number;
  pull_request_review_id: number | null;
  user: { login: string; type: string };
  commit_id: string;
}

export const sha = (text: string) => createHash("sha1").update(text).digest("hex");

export class FakeGitHub {
  requests: RecordedRequest[] = [];
  contractViolations: string[] = [];
  checkRuns: CheckRun[] = [];
  reviews: Array<{ id: number; body: string; commit_id: string; user: Comment["user"]; comments: any[] }> =
    [];
  comments: Comment[] = [];
  /** Blob SHA → bytes. */
  blobs = new Map<string, Buffer>();
  /** `${commit}:${path}` → text. */
  contents = new Map<string, string>();
  /** `.github/tollgate.yml` on the default branch (null: no file). */
  config: string | null = null;
  /** `.github/tollgate.yml` on the default branch of other repositories (`owner/repo`), or the error GitHub answers for it. */
  otherConfigs = new Map<string, string | { status: number; message: string }>();
  files: any[] = [];
  pull: any;
  /** Next createReview with inline comments answers 422 (a GitHub-side rejection). */
  rejectNextReviewWithComments = false;
  /** Check run updates carrying annotations answer 422 (e.g. a path GitHub cannot place). */
  rejectAnnotations = false;
  /** Pull request head to report from the next `pulls.get` on (the head moving during a review). */
  headAfterReview: string | undefined;
  /** The repository served (the app's tests use Codertocat/Hello-World). */
  owner = OWNER;
  repo = REPO;
  /** Who the token writes as: reviews and comments are theirs; `GET /user` answers with it when `tokenUser`. */
  actor: { login: string; type: string } = { login: BOT_LOGIN, type: "Bot" };
  /** `GET /user` answers this account (a person's token); otherwise 403, as to an installation token. */
  tokenUser = false;
  /** Writes the token may not make, answered 403 as GitHub answers a read-only token. */
  refuse = new Set<"checks" | "statuses" | "reviews">();
  /** Commit statuses, newest last. */
  statuses: Array<{
    id: number;
    sha: string;
    state: string;
    context: string;
    description?: string;
    target_url?: string;
  }> = [];
  /** The base branch's merge queue, as GraphQL's `mergeQueue.entries` lists it. */
  mergeQueue: Array<{ position: number; headSha: string; pullNumber: number; pullHeadSha: string }> = [];
  private nextId = 1000;

  constructor(
    readonly options: {
      headSha?: string;
      baseSha?: string;
      fork?: boolean;
      draft?: boolean;
      owner?: string;
      repo?: string;
      number?: number;
    } = {},
  ) {
    if (options.owner) this.owner = options.owner;
    if (options.repo) this.repo = options.repo;
    this.pull = {
      number: options.number ?? 2,
      state: "open",
      draft: options.draft ?? false,
      user: { login: "Codertocat", type: "User" },
      head: {
        sha: options.headSha ?? "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        ref: "changes",
        repo: { full_name: options.fork ? `forker/${this.repo}` : `${this.owner}/${this.repo}` },
      },
      base: { sha: options.baseSha ?? "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", ref: "master" },
      changed_files: 0,
    };
  }

  get headSha(): string {
    return this.pull.head.sha;
  }

  /** Sets the PR's files: base texts are served at the base SHA, head texts as blobs. */
  setFiles(files: FakeFile[]): this {
    this.files = files.map((f) => {
      const status =
        f.base == null ? "added" : f.head == null ? "removed" : f.previousPath ? "renamed" : "modified";
      const patch = unifiedPatch(f.base ?? "", f.head ?? "");
      const entry: any = {
        sha: f.head == null ? "0000000000000000000000000000000000000000" : sha(f.head),
        filename: f.path,
        status,
        additions: patch.split("\n").filter((l) => l.startsWith("+")).length,
        deletions: patch.split("\n").filter((l) => l.startsWith("-")).length,
        changes: 0,
        blob_url: "https://github.com/x",
        raw_url: "https://github.com/x",
        contents_url: "https://api.github.com/x",
      };
      if (!f.omitPatch && patch !== "") entry.patch = patch.replace(/\n$/, "");
      if (f.previousPath) entry.previous_filename = f.previousPath;
      if (f.head != null) this.blobs.set(entry.sha, Buffer.from(f.head));
      if (f.base != null) this.contents.set(`${this.pull.base.sha}:${f.previousPath ?? f.path}`, f.base);
      return entry;
    });
    this.pull.changed_files = this.files.length;
    return this;
  }

  /** A new push: new head SHA, new files. */
  push(headSha: string, files: FakeFile[]): this {
    this.pull.head.sha = headSha;
    return this.setFiles(files);
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && !r.template.endsWith("/access_tokens"));
  }

  count(method: string, template: string): number {
    return this.requests.filter((r) => r.method === method && r.template === template).length;
  }

  handle(
    method: string,
    rawPath: string,
    rawBody: unknown,
    base: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const url = new URL(rawPath, "http://x");
    const pathname = url.pathname.replace(/^\/api\/v3/, "");
    const body = typeof rawBody === "string" && rawBody !== "" ? JSON.parse(rawBody) : rawBody || undefined;
    const template = matchTemplate(decodeURIComponent(pathname)) ?? pathname;
    this.requests.push({ method, template, path: pathname, query: url.searchParams, body });
    // GraphQL is outside the REST description: the one query Tollgate sends is checked here instead.
    if (method === "POST" && pathname === "/graphql") return this.graphql(body);
    const violations = contractErrors(method, pathname, url.searchParams, body);
    if (violations.length > 0) {
      this.contractViolations.push(...violations);
      return { status: 422, body: { message: violations.join("; ") } };
    }
    return this.route(method, template, pathname, url.searchParams, body, base);
  }

  private route(
    method: string,
    template: string,
    pathname: string,
    query: URLSearchParams,
    body: any,
    base: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const seg = decodeURIComponent(pathname).split("/");
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
      status,
      body: data,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "x-github-request-id": "ABCD:1234",
        ...headers,
      },
    });
    const key = `${method} ${template}`;
    switch (key) {
      case "POST /app/installations/{installation_id}/access_tokens":
        return json(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString() });
      case "GET /app":
        return json(200, { id: APP_ID, slug: "tollgate", name: "Tollgate" });
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}": {
        if (Number(seg[5]) !== this.pull.number) return json(404, { message: "Not Found" });
        const pull = { ...this.pull, head: { ...this.pull.head } };
        if (this.headAfterReview) pull.head.sha = this.headAfterReview;
        return json(200, pull);
      }
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": {
        const perPage = Number(query.get("per_page") ?? 30);
        const page = Number(query.get("page") ?? 1);
        const slice = this.files.slice((page - 1) * perPage, page * perPage);
        const last = Math.ceil(this.files.length / perPage);
        const headers: Record<string, string> = {};
        if (page < last) {
          headers.link = `<${base}${pathname}?per_page=${perPage}&page=${page + 1}>; rel="next", <${base}${pathname}?per_page=${perPage}&page=${last}>; rel="last"`;
        }
        return json(200, slice, headers);
      }
      case "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": {
        const blob = this.blobs.get(seg[seg.length - 1]!);
        if (!blob) return json(404, { message: "Not Found" });
        return { status: 200, body: blob, headers: { "content-type": "application/vnd.github.raw" } };
      }
      case "GET /repos/{owner}/{repo}/contents/{path}": {
        const [, , owner, repo, , ...rest] = seg;
        const path = rest.join("/");
        const ref = query.get("ref");
        if (!ref) {
          if (
            owner === this.owner &&
            repo === this.repo &&
            path === ".github/tollgate.yml" &&
            this.config !== null
          )
            return {
              status: 200,
              body: this.config,
              headers: { "content-type": "text/plain; charset=utf-8" },
            };
          const other = this.otherConfigs.get(`${owner}/${repo}`);
          if (path === ".github/tollgate.yml" && typeof other === "string")
            return { status: 200, body: other, headers: { "content-type": "text/plain; charset=utf-8" } };
          if (path === ".github/tollgate.yml" && other !== undefined && typeof other !== "string")
            return json(other.status, { message: other.message }, { "x-github-request-id": "CONF:1" });
          return json(404, { message: "Not Found" });
        }
        const text = this.contents.get(`${ref}:${path}`);
        if (text === undefined) return json(404, { message: "Not Found" });
        return { status: 200, body: text, headers: { "content-type": "application/vnd.github.raw" } };
      }
      case "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": {
        const ref = seg[5];
        const runs = this.checkRuns.filter(
          (r) =>
            r.head_sha === ref &&
            (!query.get("check_name") || r.name === query.get("check_name")) &&
            (!query.get("app_id") || r.app.id === Number(query.get("app_id"))),
        );
        return json(200, { total_count: runs.length, check_runs: runs });
      }
      case "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs": {
        const suite = Number(seg[5]);
        const runs = this.checkRuns.filter((r) => r.check_suite.id === suite);
        return json(200, { total_count: runs.length, check_runs: runs });
      }
      case "POST /repos/{owner}/{repo}/check-runs": {
        if (this.refuse.has("checks"))
          return json(403, { message: "Resource not accessible by integration" });
        const run: CheckRun = {
          id: this.nextId++,
          name: body.name,
          head_sha: body.head_sha,
          status: body.status ?? "queued",
          conclusion: body.conclusion ?? null,
          external_id: body.external_id ?? null,
          started_at: body.started_at ?? null,
          completed_at: null,
          app: { id: APP_ID },
          output: { ...(body.output ?? {}), annotations: [...(body.output?.annotations ?? [])] },
          actions: body.actions ?? [],
          check_suite: { id: 77 },
          html_url: `https://github.com/${this.owner}/${this.repo}/runs/${this.nextId}`,
          history: [{ status: body.status ?? "queued", conclusion: body.conclusion ?? null }],
        };
        this.checkRuns.push(run);
        return json(201, run);
      }
      case "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": {
        const run = this.checkRuns.find((r) => r.id === Number(seg[5]));
        if (!run) return json(404, { message: "Not Found" });
        if (this.rejectAnnotations && body.output?.annotations?.length)
          return json(422, { message: "Invalid annotation" }, { "x-github-request-id": "ANNO:422" });
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = "completed";
        }
        if (body.output) {
          run.output.title = body.output.title;
          run.output.summary = body.output.summary;
          run.output.annotations.push(...(body.output.annotations ?? []));
        }
        if (body.actions) run.actions = body.actions;
        run.history.push({ status: run.status, conclusion: run.conclusion });
        return json(200, run);
      }
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments":
        return json(200, this.comments);
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews":
        return json(200, this.reviews);
      case "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": {
        if (this.refuse.has("reviews"))
          return json(403, { message: "Resource not accessible by integration" });
        const comments: any[] = body.comments ?? [];
        if (comments.length > 0 && this.rejectNextReviewWithComments) {
          this.rejectNextReviewWithComments = false;
          return json(422, { message: "Unprocessable Entity", errors: ["Line could not be resolved"] });
        }
        for (const c of comments) {
          const problem = this.offDiff(c);
          if (problem) return json(422, { message: "Unprocessable Entity", errors: [problem] });
        }
        const review = {
          id: this.nextId++,
          body: body.body,
          commit_id: body.commit_id,
          user: { ...this.actor },
          comments,
        };
        this.reviews.push(review);
        for (const c of comments) {
          this.comments.push({
            id: this.nextId++,
            body: c.body,
            path: c.path,
            line: c.line,
            side: c.side,
            start_line: c.start_line,
            pull_request_review_id: review.id,
            user: { ...this.actor },
            commit_id: body.commit_id,
          });
        }
        return json(200, { id: review.id });
      }
      case "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies": {
        const parent = this.comments.find((c) => c.id === Number(seg[7]));
        if (!parent) return json(404, { message: "Not Found" });
        const reply: Comment = {
          id: this.nextId++,
          body: body.body,
          path: parent.path,
          in_reply_to_id: parent.id,
          pull_request_review_id: null,
          user: { ...this.actor },
          commit_id: this.headSha,
        };
        this.comments.push(reply);
        return json(201, reply);
      }
      case "GET /repos/{owner}/{repo}/issues/{issue_number}/comments":
        return json(200, []);
      case "GET /user":
        return this.tokenUser
          ? json(200, { login: this.actor.login, type: this.actor.type, id: 1 })
          : json(403, { message: "Resource not accessible by integration" });
      case "POST /repos/{owner}/{repo}/statuses/{sha}": {
        if (this.refuse.has("statuses"))
          return json(403, { message: "Resource not accessible by integration" });
        const status = { id: this.nextId++, sha: seg[5]!, ...body };
        this.statuses.push(status);
        return json(201, status);
      }
      case "GET /repos/{owner}/{repo}/commits/{ref}/statuses":
        return json(200, this.statuses.filter((s) => s.sha === seg[5]).reverse());
      default:
        return json(404, { message: `fake GitHub does not implement ${key}` });
    }
  }

  /** GitHub's rule: every comment's line (and start line) must be on the diff, in one hunk. */
  private graphql(body: any): { status: number; body?: unknown; headers?: Record<string, string> } {
    const headers = { "content-type": "application/json; charset=utf-8" };
    if (!/mergeQueue\(branch: \$branch\)/.test(body?.query ?? "") || !body?.variables?.branch) {
      this.contractViolations.push(`unexpected GraphQL query: ${String(body?.query).slice(0, 80)}`);
      return { status: 200, headers, body: { errors: [{ message: "unexpected query" }] } };
    }
    const nodes = this.mergeQueue.map((e) => ({
      position: e.position,
      headCommit: { oid: e.headSha },
      pullRequest: { number: e.pullNumber, headRefOid: e.pullHeadSha },
    }));
    return { status: 200, headers, body: { data: { repository: { mergeQueue: { entries: { nodes } } } } } };
  }

  private offDiff(c: any): string | undefined {
    const file = this.files.find((f) => f.filename === c.path);
    if (!file?.patch) return `Pull request review thread path is invalid: ${c.path}`;
    const lines = commentableLines(parsePatch(file.patch));
    const set = c.side === "LEFT" ? lines.left : lines.right;
    if (!set.has(c.line))
      return `Pull request review thread line must be part of the diff (${c.path}:${c.line})`;
    if (c.start_line !== undefined && (!set.has(c.start_line) || c.start_line >= c.line))
      return "Pull request review thread start line must be part of the same hunk as the line.";
    return undefined;
  }

  /** Serves this fake on loopback, as a GitHub Enterprise Server would (`/api/v3`). */
  async listen(): Promise<{ server: Server; host: string; close: () => Promise<void> }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const host = `http://${req.headers.host}/api/v3`;
        const text = Buffer.concat(chunks).toString("utf8");
        const r = this.handle(req.method ?? "GET", req.url ?? "/", text, host);
        const payload =
          r.body === undefined
            ? ""
            : Buffer.isBuffer(r.body) || typeof r.body === "string"
              ? r.body
              : JSON.stringify(r.body);
        res.writeHead(r.status, r.headers ?? {});
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      server,
      host: `127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
