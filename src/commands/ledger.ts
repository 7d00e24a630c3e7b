import type { CommandComment } from "./history.js";
import { bindingKey, type CommentKind, parseBindings } from "./markers.js";
import { fingerprintFromBody } from "./parse.js";

/**
 * Turns the comments GitHub lists on a pull request into the ledger the
 * suppressions are rebuilt from: conversation comments, plus replies in
 * Tollgate's own review threads (whose root comment names the finding by its
 * hidden fingerprint marker).
 */

/** The fields of an issue or review comment that the ledger reads. */
export interface GitHubComment {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
  created_at: string;
  updated_at?: string;
  html_url: string;
  in_reply_to_id?: number;
}

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
): CommandComment["thread"] | undefined {
  if (!root || !isBot(root.user) || !root.user) return undefined;
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
): CommandComment[] {
  // What Tollgate recorded when it answered each ignore, by comment and edit time, then by line.
  const bindings = new Map<string, Map<number, string[]>>();
  for (const c of [...issueComments, ...reviewComments]) {
    if (!isBot(c.user) || !c.body?.includes("tollgate:bound=")) continue;
    for (const b of parseBindings(c.body)) {
      const key = bindingKey(b.kind, b.commentId, 0, b.at);
      const lines = bindings.get(key) ?? new Map<number, string[]>();
      lines.set(b.line, b.fingerprints);
      bindings.set(key, lines);
    }
  }
  const withBindings = (c: GitHubComment, kind: CommentKind, out: CommandComment): CommandComment => {
    const bound = bindings.get(bindingKey(kind, c.id, 0, c.updated_at ?? c.created_at));
    if (bound && !out.authorIsBot) out.bound = bound;
    return out;
  };

  const byId = new Map(reviewComments.map((c) => [c.id, c]));
  const ledger = issueComments.map((c) => withBindings(c, "issue", fromComment(c)));
  for (const c of reviewComments) {
    if (c.in_reply_to_id === undefined) continue;
    const thread = threadOf(byId.get(c.in_reply_to_id), resolveRuleId);
    if (thread) ledger.push(withBindings(c, "review", fromComment(c, thread)));
  }
  return ledger;
}
