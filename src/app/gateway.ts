import type { CheckAnnotation, CheckConclusion, CheckOutput } from "../report/check-run.js";
import { CHECK_NAME, RERUN_ACTION } from "../report/check-run.js";
import type { ReviewComment } from "../report/review-comments.js";
import type { Octokit } from "./types.js";

/**
 * The only module that talks to GitHub's REST API for reviews. Each function
 * is one documented operation, so the request budget can be read off the code
 * and every request is validated against GitHub's OpenAPI description in tests.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

/** GitHub lists at most 3,000 files of a pull request, 100 per page. */
export const MAX_LISTED_FILES = 3000;
const PER_PAGE = 100;

export interface PullFile {
  filename: string;
  previous_filename?: string;
  status: string;
  sha: string | null;
  patch?: string;
  additions: number;
  deletions: number;
  changes: number;
}

export interface PullSummary {
  number: number;
  state: string;
  draft?: boolean;
  user: { login: string } | null;
  head: { sha: string };
  base: { sha: string; ref: string };
  changed_files?: number;
}

export async function getPull(octokit: Octokit, ref: RepoRef, pullNumber: number): Promise<PullSummary> {
  const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: pullNumber });
  return data as PullSummary;
}

/** Every listed file (⌈N/100⌉ requests), and whether GitHub's 3,000-file cap cut the list. */
export async function listPullFiles(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<{ files: PullFile[]; capped: boolean }> {
  const files: PullFile[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    ...ref,
    pull_number: pullNumber,
    per_page: PER_PAGE,
  })) {
    files.push(...(page.data as PullFile[]));
    if (files.length >= MAX_LISTED_FILES) break;
  }
  return { files: files.slice(0, MAX_LISTED_FILES), capped: files.length >= MAX_LISTED_FILES };
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

/** A blob's raw bytes by SHA: works for forks, and blobs never change. */
export async function getBlob(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const response = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
    ...ref,
    file_sha: sha,
    headers: { accept: "application/vnd.github.raw+json" },
    request: { parseSuccessResponseBody: false },
  });
  return readBounded(response.data, maxBytes);
}

/** A file's raw bytes at a commit; null when it does not exist there. */
export async function getFileAt(
  octokit: Octokit,
  ref: RepoRef,
  path: string,
  commitSha: string,
  maxBytes: number,
): Promise<Uint8Array | null> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...ref,
      path,
      ref: commitSha,
      headers: { accept: "application/vnd.github.raw+json" },
      request: { parseSuccessResponseBody: false },
    });
    return readBounded(response.data, maxBytes);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

/** A file's raw bytes on the repository's default branch; null when it does not exist there. */
export async function getDefaultBranchFile(
  octokit: Octokit,
  ref: RepoRef,
  path: string,
  maxBytes: number,
): Promise<Uint8Array | null> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...ref,
      path,
      headers: { accept: "application/vnd.github.raw+json" },
      request: { parseSuccessResponseBody: false },
    });
    return readBounded(response.data, maxBytes);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  external_id: string | null;
  head_sha: string;
  app: { id: number } | null;
  output?: { title: string | null };
}

/** Tollgate's runs on a commit (one request: a commit rarely has 100 of them). */
export async function listOwnCheckRuns(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  appId: number | undefined,
): Promise<ExistingCheckRun[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...ref,
    ref: sha,
    check_name: CHECK_NAME,
    filter: "all",
    per_page: 100,
    ...(appId ? { app_id: appId } : {}),
  });
  return (data.check_runs as ExistingCheckRun[]).filter((r) => !appId || r.app?.id === appId);
}

export async function listSuiteCheckRuns(
  octokit: Octokit,
  ref: RepoRef,
  suiteId: number,
): Promise<ExistingCheckRun[]> {
  const { data } = await octokit.rest.checks.listForSuite({
    ...ref,
    check_suite_id: suiteId,
    check_name: CHECK_NAME,
    filter: "latest",
    per_page: 100,
  });
  return data.check_runs as ExistingCheckRun[];
}

export async function createCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  externalId: string,
  now: Date,
): Promise<{ id: number; html_url: string | null }> {
  const { data } = await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    external_id: externalId,
    started_at: now.toISOString(),
    output: { title: "Reviewing…", summary: "Tollgate is reviewing the changes of this pull request." },
  });
  return { id: data.id, html_url: data.html_url };
}

export async function completeCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  checkRunId: number,
  conclusion: CheckConclusion,
  output: CheckOutput & { annotations?: CheckAnnotation[] },
  now: Date,
): Promise<void> {
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    status: "completed",
    conclusion,
    completed_at: now.toISOString(),
    output,
    actions: [{ ...RERUN_ACTION }],
  });
}

/** Annotations beyond the first 50 go in further updates; GitHub appends them. */
export async function appendAnnotations(
  octokit: Octokit,
  ref: RepoRef,
  checkRunId: number,
  output: CheckOutput,
  annotations: CheckAnnotation[],
): Promise<void> {
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    output: { title: output.title, summary: output.summary, annotations },
  });
}

export interface ExistingComment {
  id: number;
  body: string;
  path: string;
  in_reply_to_id?: number;
  user: { login: string; type: string } | null;
}

export async function listReviewComments(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<ExistingComment[]> {
  return (await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    ...ref,
    pull_number: pullNumber,
    per_page: 100,
  })) as ExistingComment[];
}

export interface ExistingReview {
  id: number;
  body: string | null;
  commit_id: string | null;
  user: { login: string; type: string } | null;
}

export async function listReviews(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
): Promise<ExistingReview[]> {
  return (await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...ref,
    pull_number: pullNumber,
    per_page: 100,
  })) as ExistingReview[];
}

export async function createReview(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  commitId: string,
  body: string,
  comments: ReviewComment[],
): Promise<void> {
  await octokit.rest.pulls.createReview({
    ...ref,
    pull_number: pullNumber,
    commit_id: commitId,
    event: "COMMENT",
    body,
    ...(comments.length > 0 ? { comments } : {}),
  });
}

export async function replyToComment(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  commentId: number,
  body: string,
): Promise<void> {
  await octokit.rest.pulls.createReplyForReviewComment({
    ...ref,
    pull_number: pullNumber,
    comment_id: commentId,
    body,
  });
}

/** GitHub's request id of a failed call, for the check run and the logs. */
export function requestIdOf(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, string> } })?.response?.headers;
  return headers?.["x-github-request-id"];
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}
