import { loadCommandSuppressions } from "../../src/app/suppressions-source.js";
import { contractErrors, matchTemplate } from "./support/contract.js";
import { BOT_LOGIN, FakeGitHub, OWNER, REPO } from "./support/fake-github.js";
import { example, testProbot } from "./support/probot.js";

/**
 * The fake GitHub of the app tests, plus what slash commands use: the
 * permission endpoint, the PR's conversation comments (paginated, with
 * created/updated times and links), reactions and issue-comment replies.
 * Every request still goes through the same OpenAPI contract check.
 */

export interface Permission {
  permission: "admin" | "write" | "read" | "none";
  role_name: string;
}

export const PERMISSIONS: Record<string, Permission> = {
  admin: { permission: "admin", role_name: "admin" },
  maintain: { permission: "write", role_name: "maintain" },
  write: { permission: "write", role_name: "write" },
  triage: { permission: "read", role_name: "triage" },
  read: { permission: "read", role_name: "read" },
  none: { permission: "none", role_name: "none" },
};

interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export class CommandsFake extends FakeGitHub {
  /**
   * The command tests need a blocking finding to ignore; runs-as-root is medium by default
   * (docs/severity.md), so the repository raises it, as a team that wants it blocking would.
   */
  override config: string | null = "rules:\n  docker/runs-as-root: high\n";
  /** login → permission; missing = not a collaborator (404). */
  roles = new Map<string, Permission>();
  issueComments: IssueComment[] = [];
  reactions: Array<{ on: "issue" | "review"; commentId: number; content: string }> = [];
  /** Answer listing the PR's conversation comments with a 500 (GitHub having a bad moment). */
  failCommentListing = false;
  private clock = 0;
  private commentId = 5000;

  /** A fresh timestamp, later than every earlier one. */
  tick(): string {
    this.clock++;
    const m = String(Math.floor(this.clock / 60)).padStart(2, "0");
    const s = String(this.clock % 60).padStart(2, "0");
    return `2026-11-28T10:${m}:${s}Z`;
  }

  /** A conversation comment by a person (as GitHub would list it). */
  addIssueComment(login: string, body: string, type = "User"): IssueComment {
    const at = this.tick();
    const id = this.commentId++;
    const c = {
      id,
      body,
      user: { login, type },
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${this.pull.number}#issuecomment-${id}`,
    };
    this.issueComments.push(c);
    return c;
  }

  /** A reply by a person in a review thread. */
  addThreadReply(login: string, rootId: number, body: string) {
    const at = this.tick();
    const reply = {
      id: this.commentId++,
      body,
      path: this.comments.find((c) => c.id === rootId)?.path ?? "",
      in_reply_to_id: rootId,
      pull_request_review_id: null,
      user: { login, type: "User" },
      commit_id: this.headSha,
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${this.pull.number}#discussion_r${this.commentId - 1}`,
    };
    this.comments.push(reply as never);
    return reply;
  }

  /** Replies Tollgate posted in the conversation. */
  botReplies(): IssueComment[] {
    return this.issueComments.filter((c) => c.user.login === BOT_LOGIN);
  }

  override handle(method: string, rawPath: string, rawBody: unknown, base: string) {
    const url = new URL(rawPath, "http://x");
    const pathname = url.pathname.replace(/^\/api\/v3/, "");
    const template = matchTemplate(decodeURIComponent(pathname)) ?? pathname;
    const key = `${method} ${template}`;
    const mine = [
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
    ];
    if (!mine.includes(key)) return super.handle(method, rawPath, rawBody, base);

    const body = typeof rawBody === "string" && rawBody !== "" ? JSON.parse(rawBody) : rawBody || undefined;
    this.requests.push({ method, template, path: pathname, query: url.searchParams, body });
    const violations = contractErrors(method, pathname, url.searchParams, body);
    if (violations.length > 0) {
      this.contractViolations.push(...violations);
      return { status: 422, body: { message: violations.join("; ") } };
    }
    const seg = decodeURIComponent(pathname).split("/");
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
      status,
      body: data,
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
    });
    switch (key) {
      case "GET /repos/{owner}/{repo}/collaborators/{username}/permission": {
        const login = seg[5]!;
        const p = this.roles.get(login);
        if (!p) return json(404, { message: "Not Found" });
        return json(200, { ...p, user: { login, type: "User" } });
      }
      case "GET /repos/{owner}/{repo}/issues/{issue_number}/comments":
        if (this.failCommentListing) return json(500, { message: "Server Error" });
        return this.paged(this.issueComments, url, pathname, base);
      case "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments":
        // Review comments the app fake stores lack times and links: give them the ones GitHub would.
        return this.paged(
          this.comments.map((c) => ({
            created_at: "2026-11-28T09:00:00Z",
            updated_at: "2026-11-28T09:00:00Z",
            html_url: `https://github.com/${OWNER}/${REPO}/pull/${this.pull.number}#discussion_r${c.id}`,
            ...c,
          })),
          url,
          pathname,
          base,
        );
      case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": {
        const c = this.addIssueComment(BOT_LOGIN, body.body, "Bot");
        return json(201, c);
      }
      case "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions":
      case "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions":
        this.reactions.push({
          on: seg[4] === "issues" ? "issue" : "review",
          commentId: Number(seg[6]),
          content: body.content,
        });
        return json(201, { id: 1, content: body.content });
      default:
        return json(404, { message: `not implemented: ${key}` });
    }
  }

  /** Pages of `per_page` with a Link header, as GitHub paginates. */
  private paged(items: unknown[], url: URL, pathname: string, base: string) {
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (page < last) {
      headers.link = `<${base}${pathname}?per_page=${perPage}&page=${page + 1}>; rel="next", <${base}${pathname}?per_page=${perPage}&page=${last}>; rel="last"`;
    }
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
  }
}

/** Probot with Tollgate loaded and the real, comment-based suppressions source. */
export function commandsProbot() {
  return testProbot({ loadSuppressions: loadCommandSuppressions });
}

/** `issue_comment.<action>` on the fake's pull request, from webhooks-examples. */
export function issueCommentEvent(
  fake: CommandsFake,
  comment: {
    id: number;
    body: string;
    user: { login: string; type: string };
    created_at: string;
    updated_at: string;
    html_url: string;
  },
  action: "created" | "edited" | "deleted" = "created",
  extra: Record<string, unknown> = {},
) {
  // GitHub's own payload for the action: `edited` carries `changes`, `deleted` the comment as it was.
  const payload = example("issue_comment", action);
  payload.issue.number = fake.pull.number;
  payload.issue.state = "open";
  payload.issue.user = { ...payload.issue.user, login: fake.pull.user.login };
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${fake.pull.number}`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${fake.pull.number}`,
  };
  payload.comment = { ...payload.comment, ...comment, user: { ...payload.comment.user, ...comment.user } };
  payload.sender = { ...payload.sender, login: comment.user.login, type: comment.user.type };
  Object.assign(payload, extra);
  // GitHub gives every delivery its own id; an edit is a new delivery (the queue drops a repeated id).
  return {
    id: `comment-${comment.id}-${action}-${comment.updated_at}`,
    name: "issue_comment" as const,
    payload: payload as never,
  };
}

/** `pull_request_review_comment.created` for a reply in a review thread. */
export function reviewReplyEvent(
  fake: CommandsFake,
  reply: {
    id: number;
    body: string;
    in_reply_to_id: number;
    user: { login: string; type: string };
    created_at: string;
    updated_at: string;
    html_url: string;
  },
) {
  const payload = example("pull_request_review_comment", "created");
  payload.pull_request.number = fake.pull.number;
  payload.pull_request.state = "open";
  payload.pull_request.head.sha = fake.headSha;
  payload.pull_request.base.sha = fake.pull.base.sha;
  payload.pull_request.user = { ...payload.pull_request.user, login: fake.pull.user.login };
  payload.comment = { ...payload.comment, ...reply, user: { ...payload.comment.user, ...reply.user } };
  payload.sender = { ...payload.sender, login: reply.user.login, type: reply.user.type };
  return {
    id: `review-comment-${reply.id}`,
    name: "pull_request_review_comment" as const,
    payload: payload as never,
  };
}
