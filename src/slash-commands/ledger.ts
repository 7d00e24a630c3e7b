import type { CommandComment } from "./history.js";
import { type CommentKind, commentKey, parseBindings } from "./markers.js";
import type { GitHubComment, OwnCommentTest } from "./own-comments.js";
import { fingerprintFromBody } from "./parse.js";

/**
 * Turns the comments GitHub lists on a pull request into the ledger the
 * suppressions are rebuilt from: conversation comments, plus replies in
 * Tollgate's own review threads (whose root comment names the finding by its
 * hidden fingerprint marker).
 */

export { type GitHubComment, type OwnCommentTest, ownComments } from "./own-comments.js";

export function isBot(user: GitHubComment["user"]): boolean {
  // A deleted account ("ghost") has no user: nobody can be authorised for it.
  return !user || user.type === "Bot" || user.login.endsWith("[bot]");
}

export function fromComment(c: GitHubComment, thread?: CommandComment["thread"]): CommandComment {
  const out: CommandComment = {
    id: c.id,
    author: c.user?.login ?? "ghost",
    authorIsBot: isBot(c.user),
    body: c.body ?? "",
    createdAt: c.created_at,
    url: c.html_url,
  };
  if (c.updated_at && c.updated_at !== c.created_at) out.updatedAt = c.updated_at;
  if (thread) out.thread = thread;
  return out;
}

/** The finding a Tollgate review thread is about, read from its root comment; undefined for anyone else's thread. */
export function threadOf(
  root: GitHubComment | undefined,
  resolveRuleId: (id: string) => string | undefined,
  isOwn: OwnCommentTest,
): CommandComment["thread"] | undefined {
  if (!root || !isOwn(root)) return undefined;
  const fingerprint = fingerprintFromBody(root.body);
  if (!fingerprint) return undefined;
  const ruleId = ruleIdFromBody(root.body ?? "", resolveRuleId);
  return ruleId ? { fingerprint, ruleId } : { fingerprint };
}

/** The first `` `family/name` `` code span in a finding comment that is a known rule id. */
export function ruleIdFromBody(
  body: string,
  resolveRuleId: (id: string) => string | undefined,
): string | undefined {
  for (const m of body.slice(0, 4000).matchAll(/`([a-z0-9-]+\/[a-z0-9-]+)`/g)) {
    const id = resolveRuleId(m[1]!);
    if (id) return id;
  }
  return undefined;
}

export function buildLedger(
  issueComments: readonly GitHubComment[],
  reviewComments: readonly GitHubComment[],
  resolveRuleId: (id: string) => string | undefined,
  isOwn: OwnCommentTest,
): CommandComment[] {
  // What Tollgate recorded when it answered each ignore: by comment, then by command.
  const bindings = new Map<string, Map<string, string[]>>();
  for (const c of [...issueComments, ...reviewComments]) {
    if (!c.body?.includes("tollgate:bound=") || !isOwn(c)) continue;
    for (const b of parseBindings(c.body)) {
      const key = commentKey(b.kind, b.commentId);
      const commands = bindings.get(key) ?? new Map<string, string[]>();
      commands.set(b.command, b.fingerprints);
      bindings.set(key, commands);
    }
  }
  const withBindings = (c: GitHubComment, kind: CommentKind, out: CommandComment): CommandComment => {
    const bound = bindings.get(commentKey(kind, c.id));
    if (bound && !out.authorIsBot) out.bound = bound;
    return out;
  };

  const byId = new Map(reviewComments.map((c) => [c.id, c]));
  const ledger = issueComments.map((c) => withBindings(c, "issue", fromComment(c)));
  for (const c of reviewComments) {
    if (c.in_reply_to_id === undefined) continue;
    const thread = threadOf(byId.get(c.in_reply_to_id), resolveRuleId, isOwn);
    if (thread) ledger.push(withBindings(c, "review", fromComment(c, thread)));
  }
  return ledger;
}
