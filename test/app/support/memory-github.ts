import { RequestError } from "@octokit/request-error";
import { composeConfigGet } from "@probot/octokit-plugin-config";
import { MERGE_QUEUE_QUERY, mergeQueueEntries } from "../../../src/app/github/octokit-adapter.js";
import {
  type CheckRunOutput,
  type CommentKind,
  type ConfigFile,
  type ExistingCheckRun,
  type ExistingReview,
  type GitHubPort,
  type Listed,
  MAX_LISTED_COMMENTS,
  MAX_LISTED_FILES,
  type MergeQueueEntry,
  type PullComment,
  type PullFile,
  type PullSummary,
  type RepoRef,
} from "../../../src/app/github/port.js";
import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../../../src/report/check-run.js";
import { CHECK_NAME, RERUN_ACTION } from "../../../src/report/check-run.js";
import type { ReviewComment } from "../../../src/report/review-comments.js";
import { type Role, roleFrom } from "../../../src/slash-commands/authorize.js";
import { type FakeGitHub, OWNER, REPO } from "./fake-github.js";

/**
 * The GitHub port in memory, for the app-logic tests: no HTTP, no interception, no
 * Octokit. Its state is the fake's (check runs, reviews, comments, files,
 * configuration), and each operation is recorded there as the REST request it
 * stands for, so a test can count what a review reads and writes, inject a
 * failure (`fake.handle` replaced) and have every call checked against
 * GitHub's OpenAPI description. GitHub's failures surface as Octokit's
 * `RequestError` (status, request id), as the real adapter's would.
 */

const BASE = "https://api.github.com";
const PER_PAGE = 100;

type Params = Record<string, unknown>;

export class MemoryGitHub implements GitHubPort {
  constructor(
    readonly fake: FakeGitHub,
    readonly repo: RepoRef = { owner: OWNER, repo: REPO },
  ) {}

  /** `GET /app`, as the app learns its bot account (`<slug>[bot]`). */
  async botLogin(): Promise<string | undefined> {
    const { data } = this.call("GET", "/app", {});
    const slug = (data as { slug?: string })?.slug;
    return slug ? `${slug}[bot]` : undefined;
  }

  /** One request to the fake: URL parameters fill the route, the rest is the query (GET) or the JSON body. */
  private call(
    method: string,
    route: string,
    params: Params,
  ): { data: unknown; headers: Record<string, string> } {
    const used = new Set<string>();
    const path = route.replace(/\{(\w+)\}/g, (_, key: string) => {
      used.add(key);
      return encodeURIComponent(String(params[key]));
    });
    const rest = Object.entries(params).filter(([k, v]) => !used.has(k) && v !== undefined);
    if (method === "GET") {
      const query = new URLSearchParams(rest.map(([k, v]) => [k, String(v)] as [string, string]));
      return this.send(method, query.size > 0 ? `${path}?${query}` : path, undefined);
    }
    return this.send(method, path, JSON.stringify(Object.fromEntries(rest)));
  }

  private send(method: string, url: string, body: string | undefined) {
    const r = this.fake.handle(method, url, body, BASE);
    const headers = r.headers ?? {};
    if (r.status >= 400) {
      throw new RequestError(errorMessage(r.body), r.status, {
        request: { method: method as "GET", url: `${BASE}${url}`, headers: {} },
        response: { status: r.status, url: `${BASE}${url}`, headers, data: r.body },
      });
    }
    const data = Buffer.isBuffer(r.body) ? new Uint8Array(r.body) : structuredClone(r.body);
    return { data, headers };
  }

  /** Every page (following GitHub's `Link: rel="next"`), up to `cap` items. */
  private paginate<T>(route: string, params: Params, cap: number): Listed<T> {
    const items: T[] = [];
    let page = this.call("GET", route, params);
    for (;;) {
      items.push(...(page.data as T[]));
      if (items.length >= cap) return { items: items.slice(0, cap), capped: true };
      const next = /<([^>]+)>;\s*rel="next"/.exec(page.headers.link ?? "")?.[1];
      if (!next) return { items, capped: false };
      page = this.send("GET", next.slice(BASE.length), undefined);
    }
  }

  private raw(route: string, params: Params, maxBytes: number): Uint8Array | null {
    try {
      const { data } = this.call("GET", route, params);
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : (data as Uint8Array);
      return bytes.subarray(0, maxBytes + 1);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return null;
      throw e;
    }
  }

  /** GraphQL's `POST /graphql`, as the Octokit adapter sends it. */
  async listMergeQueue(branch: string): Promise<MergeQueueEntry[]> {
    const { data } = this.send(
      "POST",
      "/graphql",
      JSON.stringify({ query: MERGE_QUEUE_QUERY, variables: { ...this.repo, branch, first: 100 } }),
    );
    const answer = data as { data?: unknown; errors?: Array<{ message: string }> };
    if (answer.errors?.length) throw new Error(`GraphQL: ${answer.errors[0]!.message}`);
    return mergeQueueEntries(answer.data);
  }

  async getPull(pullNumber: number): Promise<PullSummary> {
    return this.call("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", {
      ...this.repo,
      pull_number: pullNumber,
    }).data as PullSummary;
  }

  async listPullFiles(pullNumber: number): Promise<Listed<PullFile>> {
    const params = { ...this.repo, pull_number: pullNumber, per_page: PER_PAGE };
    return this.paginate("/repos/{owner}/{repo}/pulls/{pull_number}/files", params, MAX_LISTED_FILES);
  }

  async getBlob(sha: string, maxBytes: number): Promise<Uint8Array> {
    const params = { ...this.repo, file_sha: sha };
    const bytes = this.raw("/repos/{owner}/{repo}/git/blobs/{file_sha}", params, maxBytes);
    if (bytes === null) throw new Error(`no blob ${sha}`);
    return bytes;
  }

  async getFileAt(path: string, commitSha: string, maxBytes: number): Promise<Uint8Array | null> {
    return this.raw(
      "/repos/{owner}/{repo}/contents/{path}",
      { ...this.repo, path, ref: commitSha },
      maxBytes,
    );
  }

  async getDefaultBranchFile(repo: string, path: string, maxBytes: number): Promise<Uint8Array | null> {
    return this.raw(
      "/repos/{owner}/{repo}/contents/{path}",
      { owner: this.repo.owner, repo, path },
      maxBytes,
    );
  }

  /** The `_extends` chain, read by Probot's own config plugin over this port's requests. */
  async getConfigChain(path: string): Promise<ConfigFile[]> {
    const request = Object.assign(
      async (endpoint: Params) => {
        const { method, url, mediaType: _m, ...params } = endpoint;
        return this.call(String(method), String(url), params);
      },
      {
        endpoint: (endpoint: Params) => {
          const url = String(endpoint.url).replace(/\{(\w+)\}/g, (_, k: string) =>
            encodeURIComponent(String(endpoint[k])),
          );
          return { url: `${BASE}${url}` };
        },
      },
    );
    const { files } = await composeConfigGet({ request } as never, { ...this.repo, path });
    return files as ConfigFile[];
  }

  async listCheckRunsForRef(sha: string, appId: number | undefined): Promise<ExistingCheckRun[]> {
    const params = {
      ...this.repo,
      ref: sha,
      check_name: CHECK_NAME,
      filter: "all",
      per_page: 100,
      app_id: appId || undefined,
    };
    const { data } = this.call("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", params);
    return (data as { check_runs: ExistingCheckRun[] }).check_runs.filter(
      (r) => !appId || r.app?.id === appId,
    );
  }

  async listCheckRunsForSuite(suiteId: number): Promise<ExistingCheckRun[]> {
    const params = {
      ...this.repo,
      check_suite_id: suiteId,
      check_name: CHECK_NAME,
      filter: "latest",
      per_page: 100,
    };
    const { data } = this.call(
      "GET",
      "/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs",
      params,
    );
    return (data as { check_runs: ExistingCheckRun[] }).check_runs;
  }

  async createCheckRun(headSha: string, externalId: string, startedAt: Date): Promise<{ id: number }> {
    const { data } = this.call("POST", "/repos/{owner}/{repo}/check-runs", {
      ...this.repo,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "in_progress",
      external_id: externalId,
      started_at: startedAt.toISOString(),
      output: { title: "Reviewing…", summary: "Tollgate is reviewing the changes of this pull request." },
    });
    return { id: (data as { id: number }).id };
  }

  async completeCheckRun(checkRunId: number, conclusion: CheckConclusion, output: CheckRunOutput, at: Date) {
    this.call("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...this.repo,
      check_run_id: checkRunId,
      status: "completed",
      conclusion,
      completed_at: at.toISOString(),
      output,
      actions: [{ ...RERUN_ACTION }],
    });
  }

  async appendAnnotations(checkRunId: number, output: CheckOutput, annotations: CheckAnnotation[]) {
    this.call("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...this.repo,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations },
    });
  }

  async listReviewComments(pullNumber: number): Promise<Listed<PullComment>> {
    const params = { ...this.repo, pull_number: pullNumber, per_page: PER_PAGE };
    return this.paginate("/repos/{owner}/{repo}/pulls/{pull_number}/comments", params, MAX_LISTED_COMMENTS);
  }

  async listIssueComments(pullNumber: number): Promise<Listed<PullComment>> {
    const params = { ...this.repo, issue_number: pullNumber, per_page: PER_PAGE };
    return this.paginate("/repos/{owner}/{repo}/issues/{issue_number}/comments", params, MAX_LISTED_COMMENTS);
  }

  async listReviews(pullNumber: number): Promise<ExistingReview[]> {
    const params = { ...this.repo, pull_number: pullNumber, per_page: PER_PAGE };
    return this.paginate<ExistingReview>(
      "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      params,
      Infinity,
    ).items;
  }

  async createReview(pullNumber: number, commitId: string, body: string, comments: ReviewComment[]) {
    this.call("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      ...this.repo,
      pull_number: pullNumber,
      commit_id: commitId,
      event: "COMMENT",
      body,
      ...(comments.length > 0 ? { comments } : {}),
    });
  }

  async replyToReviewComment(pullNumber: number, rootId: number, body: string) {
    const route = "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies";
    this.call("POST", route, { ...this.repo, pull_number: pullNumber, comment_id: rootId, body });
  }

  async createIssueComment(pullNumber: number, body: string) {
    this.call("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...this.repo,
      issue_number: pullNumber,
      body,
    });
  }

  async addEyes(where: CommentKind, commentId: number) {
    const route =
      where === "issue"
        ? "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
        : "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions";
    this.call("POST", route, { ...this.repo, comment_id: commentId, content: "eyes" });
  }

  async getRole(login: string): Promise<Role> {
    try {
      const route = "/repos/{owner}/{repo}/collaborators/{username}/permission";
      const { data } = this.call("GET", route, { ...this.repo, username: login });
      return roleFrom(data as { permission?: string; role_name?: string });
    } catch (e) {
      if ((e as { status?: number }).status === 404) return "none";
      throw e;
    }
  }
}

/** The message Octokit gives a failed request: GitHub's `message`, its `errors`, its documentation link. */
function errorMessage(data: unknown): string {
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && "message" in data) {
    const d = data as { message: string; errors?: unknown[]; documentation_url?: string };
    const suffix = d.documentation_url ? ` - ${d.documentation_url}` : "";
    const errors = Array.isArray(d.errors) ? `: ${d.errors.map((v) => JSON.stringify(v)).join(", ")}` : "";
    return `${d.message}${errors}${suffix}`;
  }
  return `Unknown error: ${JSON.stringify(data)}`;
}
