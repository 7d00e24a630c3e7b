/**
 * Hidden markers in Tollgate's replies: the only state slash commands keep,
 * and it lives on the pull request. When Tollgate answers an `ignore`, it
 * writes which findings (by fingerprint) the command matched at that moment.
 * Later reviews bind the suppression to exactly those findings, so it keeps
 * applying while a finding is unchanged and stops when the finding changes.
 * An empty list records that the command matched nothing and was refused.
 *
 * The key carries the command comment's `updated_at`: an edited command is a
 * new command, and the old binding no longer applies to it.
 */

export type CommentKind = "issue" | "review";

export interface Binding {
  kind: CommentKind;
  commentId: number;
  /** 1-based line of the command inside the comment. */
  line: number;
  /** The command comment's `updated_at` when Tollgate answered it. */
  at: string;
  fingerprints: string[];
}

const MAX_BOUND = 100;
const BINDING =
  /<!-- tollgate:bound=([ir])(\d{1,20}):(\d{1,5})@([0-9TZ:.+-]{10,40})=([0-9a-f,]{0,2000}) -->/g;

export function bindingKey(kind: CommentKind, commentId: number, line: number, at: string): string {
  return `${kind === "issue" ? "i" : "r"}${commentId}:${line}@${at}`;
}

export function bindingMarker(b: Binding): string {
  const fps = b.fingerprints.slice(0, MAX_BOUND).join(",");
  return `<!-- tollgate:bound=${bindingKey(b.kind, b.commentId, b.line, b.at)}=${fps} -->`;
}

export function parseBindings(body: string | null | undefined): Binding[] {
  if (!body) return [];
  const out: Binding[] = [];
  for (const m of body.slice(0, 65_536).matchAll(BINDING)) {
    out.push({
      kind: m[1] === "i" ? "issue" : "review",
      commentId: Number(m[2]),
      line: Number(m[3]),
      at: m[4]!,
      fingerprints: m[5] === "" ? [] : m[5]!.split(",").filter((f) => /^[0-9a-f]{8,64}$/.test(f)),
    });
  }
  return out;
}
