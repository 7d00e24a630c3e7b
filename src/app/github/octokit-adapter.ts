import {
  CHECK_NAME,
  type CheckAnnotation,
  type CheckConclusion,
  type CheckOutput,
  RERUN_ACTION,
} from "../../report/check-run.js";
import type { ReviewComment } from "../../report/review-comments.js";
import type { Role } from "../../slash-commands/authorize.js";
import { roleFrom } from "../../slash-commands/authorize.js";
import type { Octokit } from "../types.js";
import { statusOf } from "./errors.js";
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
  MAX_MERGE_QUEUE_ENTRIES,
  type MergeQueueEntry,
  type PullComment,
  type PullFile,
  type PullSummary,
  type RepoRef,
} from "./port.js";

/**
 * The one adapter of the GitHub port: each method is one documented REST
 * operation through the installation's Octokit (Probot's, with its
 * authentication, retries and per-installation throttling). The OpenAPI
 * contract and the end-to-end tests run through it.
 */

const PER_PAGE = 100;
const RAW = { accept: "application/vnd.github.raw+json" };

export function octokitGitHub(octokit: Octokit, repo: RepoRef): GitHubPort {
  return new OctokitGitHub(octokit, { owner: repo.owner, repo: repo.repo });
}

class OctokitGitHub implements GitHubPort {
  constructor(
    private readonly octokit: Octokit,
    readonly repo: RepoRef,
  ) {}

  private async rawFile(
    params: { owner: string; repo: string; path: string; ref?: string },
    maxBytes: number,
  ) {
    try {
      const response = await this.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...params,
        headers: RAW,
        request: { parseSuccessResponseBody: false },
      });
      return await readBounded(response.data, maxBytes);
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async getPull(pullNumber: number): Promise<PullSummary> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: pullNumber });
    return data as PullSummary;
  }

  listPullFiles(pullNumber: number): Promise<Listed<PullFile>> {
    const { octokit } = this;
    const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
      ...this.repo,
      pull_number: pullNumber,
      per_page: PER_PAGE,
    });
    return bounded<PullFile>(pages, MAX_LISTED_FILES);
  }

  async getBlob(sha: string, maxBytes: number): Promise<Uint8Array> {
    const response = await this.octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      ...this.repo,
      file_sha: sha,
      headers: RAW,
      request: { parseSuccessResponseBody: false },
    });
    return readBounded(response.data, maxBytes);
  }

  getFileAt(path: string, commitSha: string, maxBytes: number): Promise<Uint8Array | null> {
    return this.rawFile({ ...this.repo, path, ref: commitSha }, maxBytes);
  }

  getDefaultBranchFile(repoName: string, path: string, maxBytes: number): Promise<Uint8Array | null> {
    return this.rawFile({ owner: this.repo.owner, repo: repoName, path }, maxBytes);
  }

  async getConfigChain(path: string): Promise<ConfigFile[]> {
    const { files } = await this.octokit.config.get({ ...this.repo, path });
    return files as ConfigFile[];
  }

  async listCheckRunsForRef(sha: string, appId: number | undefined): Promise<ExistingCheckRun[]> {
    const { data } = await this.octokit.rest.checks.listForRef({
      ...this.repo,
      ref: sha,
      check_name: CHECK_NAME,
      filter: "all",
      per_page: 100,
      ...(appId ? { app_id: appId } : {}),
    });
    return (data.check_runs as ExistingCheckRun[]).filter((r) => !appId || r.app?.id === appId);
  }

  async listCheckRunsForSuite(suiteId: number): Promise<ExistingCheckRun[]> {
    const { data } = await this.octokit.rest.checks.listForSuite({
      ...this.repo,
      check_suite_id: suiteId,
      check_name: CHECK_NAME,
      filter: "latest",
      per_page: 100,
    });
    return data.check_runs as ExistingCheckRun[];
  }

  async createCheckRun(headSha: string, externalId: string, startedAt: Date): Promise<{ id: number }> {
    const { data } = await this.octokit.rest.checks.create({
      ...this.repo,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "in_progress",
      external_id: externalId,
      started_at: startedAt.toISOString(),
      output: { title: "Reviewing…", summary: "Tollgate is reviewing the changes of this pull request." },
    });
    return { id: data.id };
  }

  async completeCheckRun(
    checkRunId: number,
    conclusion: CheckConclusion,
    output: CheckRunOutput,
    completedAt: Date,
  ): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repo,
      check_run_id: checkRunId,
      status: "completed",
      conclusion,
      completed_at: completedAt.toISOString(),
      output,
      actions: [{ ...RERUN_ACTION }],
    });
  }

  async appendAnnotations(checkRunId: number, output: CheckOutput, annotations: CheckAnnotation[]) {
    await this.octokit.rest.checks.update({
      ...this.repo,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations },
    });
  }

  listReviewComments(pullNumber: number): Promise<Listed<PullComment>> {
    const { octokit } = this;
    const pages = octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, {
      ...this.repo,
      pull_number: pullNumber,
      per_page: PER_PAGE,
    });
    return bounded<PullComment>(pages, MAX_LISTED_COMMENTS);
  }

  listIssueComments(pullNumber: number): Promise<Listed<PullComment>> {
    const { octokit } = this;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: pullNumber,
      per_page: PER_PAGE,
    });
    return bounded<PullComment>(pages, MAX_LISTED_COMMENTS);
  }

  async listReviews(pullNumber: number): Promise<ExistingReview[]> {
    const { octokit } = this;
    return (await octokit.paginate(octokit.rest.pulls.listReviews, {
      ...this.repo,
      pull_number: pullNumber,
      per_page: 100,
    })) as ExistingReview[];
  }

  async createReview(pullNumber: number, commitId: string, body: string, comments: ReviewComment[]) {
    await this.octokit.rest.pulls.createReview({
      ...this.repo,
      pull_number: pullNumber,
      commit_id: commitId,
      event: "COMMENT",
      body,
      ...(comments.length > 0 ? { comments } : {}),
    });
  }

  async replyToReviewComment(pullNumber: number, rootId: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.createReplyForReviewComment({
      ...this.repo,
      pull_number: pullNumber,
      comment_id: rootId,
      body,
    });
  }

  async createIssueComment(pullNumber: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: pullNumber, body });
  }

  async addEyes(where: CommentKind, commentId: number): Promise<void> {
    const params = { ...this.repo, comment_id: commentId, content: "eyes" as const };
    if (where === "issue") await this.octokit.rest.reactions.createForIssueComment(params);
    else await this.octokit.rest.reactions.createForPullRequestReviewComment(params);
  }

  async listMergeQueue(branch: string): Promise<MergeQueueEntry[]> {
    const data = await this.octokit.graphql<MergeQueueAnswer>(MERGE_QUEUE_QUERY, {
      ...this.repo,
      branch,
      first: MAX_MERGE_QUEUE_ENTRIES,
    });
    return mergeQueueEntries(data);
  }

  async getRole(login: string): Promise<Role> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        ...this.repo,
        username: login,
      });
      return roleFrom(data as { permission?: string; role_name?: string });
    } catch (e) {
      // Not a collaborator (e.g. a fork's author on a public repository): no access.
      if (statusOf(e) === 404) return "none";
      throw e;
    }
  }
}

export const MERGE_QUEUE_QUERY = `query($owner: String!, $repo: String!, $branch: String!, $first: Int!) {
  repository(owner: $owner, name: $repo) {
    mergeQueue(branch: $branch) {
      entries(first: $first) { nodes { position headCommit { oid } pullRequest { number headRefOid } } }
    }
  }
}`;

type MergeQueueAnswer = {
  repository?: {
    mergeQueue?: {
      entries?: {
        nodes?: Array<{
          position: number;
          headCommit?: { oid: string } | null;
          pullRequest?: { number: number; headRefOid: string } | null;
        } | null>;
      };
    } | null;
  } | null;
};

/** The entries of a merge queue answer that name a pull request. */
export function mergeQueueEntries(answer: unknown): MergeQueueEntry[] {
  const nodes = (answer as MergeQueueAnswer).repository?.mergeQueue?.entries?.nodes ?? [];
  return nodes.flatMap((n) =>
    n?.pullRequest
      ? [
          {
            position: n.position,
            headSha: n.headCommit?.oid ?? null,
            pullNumber: n.pullRequest.number,
            pullHeadSha: n.pullRequest.headRefOid,
          },
        ]
      : [],
  );
}

/** Reads pages until `cap` items, and says whether the cap cut the list. */
async function bounded<T>(pages: AsyncIterable<{ data: unknown }>, cap: number): Promise<Listed<T>> {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...(page.data as T[]));
    if (items.length >= cap) return { items: items.slice(0, cap), capped: true };
  }
  return { items, capped: false };
}

/**
 * Reads a response body up to `limit + 1` bytes and stops there, so a 100 MB
 * blob costs at most the limit in memory; the engine then reports the file as
 * too large.
 */
export async function readBounded(body: unknown, limit: number): Promise<Uint8Array> {
  if (body == null) return new Uint8Array(0);
  if (body instanceof ArrayBuffer) return new Uint8Array(body).subarray(0, limit + 1);
  if (typeof body === "string") return new TextEncoder().encode(body).subarray(0, limit + 1);
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (size > limit) await reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  const out = new Uint8Array(Math.min(size, limit + 1));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
    if (offset >= out.length) break;
  }
  return out;
}
