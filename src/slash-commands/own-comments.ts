/**
 * "Is this comment Tollgate's own?" — one answer for the review (which reads
 * back its fingerprint markers) and the slash commands (which trust only the
 * markers and review threads Tollgate wrote). Fail-closed: a comment counts
 * as Tollgate's when GitHub says this app posted it, or its author is the
 * app's bot account. Any other bot (a workflow posting as
 * `github-actions[bot]` included) could copy a marker, so it is not trusted;
 * and when neither the app id nor the bot account is known, nothing is.
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
  /** Set on issue comments an app posted. */
  performed_via_github_app?: { id: number } | null;
}

/** What the policy looks at: the author, and the app GitHub says posted it (issue comments only). */
export type Authored = Pick<GitHubComment, "user"> & Partial<Pick<GitHubComment, "performed_via_github_app">>;

/** Whether a comment (or review) is Tollgate's own: only its markers and review threads are trusted. */
export type OwnCommentTest = (c: Authored) => boolean;

export interface AppIdentity {
  /** `<slug>[bot]`, when it could be learned. */
  botLogin?: string;
  appId?: number;
}

export function ownComments(identity: AppIdentity): OwnCommentTest {
  const login = identity.botLogin?.toLowerCase();
  return (c) =>
    (identity.appId !== undefined && c.performed_via_github_app?.id === identity.appId) ||
    (login !== undefined && c.user?.type === "Bot" && c.user.login.toLowerCase() === login);
}
