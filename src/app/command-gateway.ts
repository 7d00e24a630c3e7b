import { type Role, roleFrom } from "../slash-commands/authorize.js";
import type { Octokit } from "./types.js";

/**
 * The GitHub calls slash commands need, one documented operation each:
 * permission lookup, the PR's comments (the suppression ledger), reactions and
 * replies. Comment lists are bounded: a pull request with more than
 * MAX_LISTED_COMMENTS comments of a kind is read up to that many.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

const PER_PAGE = 100;
export const MAX_LISTED_COMMENTS = 3000;

/** A comment as both the issue-comment and review-comment APIs return it (the fields we read). */
export interface ListedComment {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
  created_at: string;
  updated_at: string;
  html_url: string;
  /** Review comments only. */
  in_reply_to_id?: number;
}

/**
 * The commenter's role now. A 404 means they are not a collaborator (e.g. a
 * fork's author on a public repository): no access.
 */
export async function getRole(octokit: Octokit, ref: RepoRef, username: string): Promise<Role> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...ref, username });
    return roleFrom(data as { permission?: string; role_name?: string });
  } catch (e) {
    if ((e as { status?: number }).status === 404) return "none";
    throw e;
  }
}

async function collectBounded(
  pages: AsyncIterable<{ data: unknown }>,
): Promise<{ comments: ListedComment[]; capped: boolean }> {
  const comments: ListedComment[] = [];
  for await (const page of pages) {
    comments.push(...(page.data as ListedComment[]));
    if (comments.length >= MAX_LISTED_COMMENTS) {
      return { comments: comments.slice(0, MAX_LISTED_COMMENTS), capped: true };
    }
  }
  return { comments, capped: false };
}

/** The pull request's conversation comments, oldest first. */
export function listIssueComments(octokit: Octokit, ref: RepoRef, pullNumber: number) {
  return collectBounded(
    octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...ref,
      issue_number: pullNumber,
      per_page: PER_PAGE,
    }),
  );
}

/** The pull request's review (line) comments, oldest first. */
export function listPullReviewComments(octokit: Octokit, ref: RepoRef, pullNumber: number) {
  return collectBounded(
    octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, {
      ...ref,
      pull_number: pullNumber,
      per_page: PER_PAGE,
    }),
  );
}

/** 👀: "seen, working on it". */
export async function reactEyes(
  octokit: Octokit,
  ref: RepoRef,
  where: "issue" | "review",
  commentId: number,
): Promise<void> {
  if (where === "issue") {
    await octokit.rest.reactions.createForIssueComment({ ...ref, comment_id: commentId, content: "eyes" });
  } else {
    await octokit.rest.reactions.createForPullRequestReviewComment({
      ...ref,
      comment_id: commentId,
      content: "eyes",
    });
  }
}

export async function postIssueComment(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body });
}

/** A reply in a review thread; `rootId` must be the thread's top-level comment. */
export async function postThreadReply(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  rootId: number,
  body: string,
): Promise<void> {
  await octokit.rest.pulls.createReplyForReviewComment({
    ...ref,
    pull_number: pullNumber,
    comment_id: rootId,
    body,
  });
}
