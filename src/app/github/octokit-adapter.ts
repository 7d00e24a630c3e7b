import { CHECK_NAME, RERUN_ACTION } from "../../report/check-run.js";
import { roleFrom } from "../../slash-commands/authorize.js";
import type { Octokit } from "../types.js";
import { statusOf } from "./errors.js";
import {
  type ConfigFile,
  type ExistingCheckRun,
  type ExistingReview,
  type GitHubPort,
  type Listed,
  MAX_LISTED_COMMENTS,
  MAX_LISTED_FILES,
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
  const ref = { owner: repo.owner, repo: repo.repo };
  const rawFile = async (params: Record<string, unknown>, maxBytes: number) => {
    try {
      const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...(params as { owner: string; repo: string; path: string }),
        headers: RAW,
        request: { parseSuccessResponseBody: false },
      });
      return await readBounded(response.data, maxBytes);
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  };
  const bounded = async <T>(pages: AsyncIterable<{ data: unknown }>, cap: number): Promise<Listed<T>> => {
    const items: T[] = [];
    for await (const page of pages) {
      items.push(...(page.data as T[]));
      if (items.length >= cap) return { items: items.slice(0, cap), capped: true };
    }
    return { items, capped: false };
  };
  const checkRunList = (data: { check_runs: unknown[] }) => data.check_runs as ExistingCheckRun[];

  return {
    repo: ref,
    async getPull(pullNumber) {
      const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: pullNumber });
      return data as PullSummary;
    },
    listPullFiles(pullNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
        ...ref,
        pull_number: pullNumber,
        per_page: PER_PAGE,
      });
      return bounded<PullFile>(pages, MAX_LISTED_FILES);
    },
    async getBlob(sha, maxBytes) {
      const response = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        ...ref,
        file_sha: sha,
        headers: RAW,
        request: { parseSuccessResponseBody: false },
      });
      return readBounded(response.data, maxBytes);
    },
    getFileAt: (path, commitSha, maxBytes) => rawFile({ ...ref, path, ref: commitSha }, maxBytes),
    getDefaultBranchFile: (repoName, path, maxBytes) =>
      rawFile({ owner: ref.owner, repo: repoName, path }, maxBytes),
    async getConfigChain(path) {
      const { files } = await octokit.config.get({ ...ref, path });
      return files as ConfigFile[];
    },
    async listCheckRunsForRef(sha, appId) {
      const { data } = await octokit.rest.checks.listForRef({
        ...ref,
        ref: sha,
        check_name: CHECK_NAME,
        filter: "all",
        per_page: 100,
        ...(appId ? { app_id: appId } : {}),
      });
      return checkRunList(data).filter((r) => !appId || r.app?.id === appId);
    },
    async listCheckRunsForSuite(suiteId) {
      const { data } = await octokit.rest.checks.listForSuite({
        ...ref,
        check_suite_id: suiteId,
        check_name: CHECK_NAME,
        filter: "latest",
        per_page: 100,
      });
      return checkRunList(data);
    },
    async createCheckRun(headSha, externalId, startedAt) {
      const { data } = await octokit.rest.checks.create({
        ...ref,
        name: CHECK_NAME,
        head_sha: headSha,
        status: "in_progress",
        external_id: externalId,
        started_at: startedAt.toISOString(),
        output: { title: "Reviewing…", summary: "Tollgate is reviewing the changes of this pull request." },
      });
      return { id: data.id };
    },
    async completeCheckRun(checkRunId, conclusion, output, completedAt) {
      await octokit.rest.checks.update({
        ...ref,
        check_run_id: checkRunId,
        status: "completed",
        conclusion,
        completed_at: completedAt.toISOString(),
        output,
        actions: [{ ...RERUN_ACTION }],
      });
    },
    async appendAnnotations(checkRunId, output, annotations) {
      await octokit.rest.checks.update({
        ...ref,
        check_run_id: checkRunId,
        output: { title: output.title, summary: output.summary, annotations },
      });
    },
    listReviewComments(pullNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, {
        ...ref,
        pull_number: pullNumber,
        per_page: PER_PAGE,
      });
      return bounded<PullComment>(pages, MAX_LISTED_COMMENTS);
    },
    listIssueComments(pullNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...ref,
        issue_number: pullNumber,
        per_page: PER_PAGE,
      });
      return bounded<PullComment>(pages, MAX_LISTED_COMMENTS);
    },
    async listReviews(pullNumber) {
      return (await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...ref,
        pull_number: pullNumber,
        per_page: 100,
      })) as ExistingReview[];
    },
    async createReview(pullNumber, commitId, body, comments) {
      await octokit.rest.pulls.createReview({
        ...ref,
        pull_number: pullNumber,
        commit_id: commitId,
        event: "COMMENT",
        body,
        ...(comments.length > 0 ? { comments } : {}),
      });
    },
    async replyToReviewComment(pullNumber, rootId, body) {
      await octokit.rest.pulls.createReplyForReviewComment({
        ...ref,
        pull_number: pullNumber,
        comment_id: rootId,
        body,
      });
    },
    async createIssueComment(pullNumber, body) {
      await octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body });
    },
    async addEyes(where, commentId) {
      const params = { ...ref, comment_id: commentId, content: "eyes" as const };
      if (where === "issue") await octokit.rest.reactions.createForIssueComment(params);
      else await octokit.rest.reactions.createForPullRequestReviewComment(params);
    },
    async getRole(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...ref, username: login });
        return roleFrom(data as { permission?: string; role_name?: string });
      } catch (e) {
        // Not a collaborator (e.g. a fork's author on a public repository): no access.
        if (statusOf(e) === 404) return "none";
        throw e;
      }
    },
  };
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
