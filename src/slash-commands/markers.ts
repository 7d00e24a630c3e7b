import { createHash } from "node:crypto";

/**
 * Hidden markers in Tollgate's replies: the only state slash commands keep,
 * and it lives on the pull request. When Tollgate answers an `ignore`, it
 * writes which findings (by fingerprint) the command matched at that moment.
 * Later reviews bind the suppression to exactly those findings, so it keeps
 * applying while a finding is unchanged and stops when the finding changes.
 * An empty list records that the command matched nothing and was refused.
 *
 * A binding names the command by a hash of its text, not by its line or the
 * comment's edit time: fixing a typo in the prose around a command keeps its
 * binding, while editing the command itself makes it a new command that
 * applies only once Tollgate has answered it. Only markers in Tollgate's own
 * comments count (see ledger.ts).
 */

export type CommentKind = "issue" | "review";

export interface Binding {
  kind: CommentKind;
  commentId: number;
  /** `commandKey` of the command line. */
  command: string;
  fingerprints: string[];
}

const MAX_BOUND = 100;
const BINDING = /<!-- tollgate:bound=([ir])(\d{1,20}):([0-9a-f]{16})=([0-9a-f,]{0,2000}) -->/g;

/** The identity of a command line: its text with white space folded. */
export function commandKey(text: string): string {
  return createHash("sha256").update(text.trim().replace(/\s+/g, " ")).digest("hex").slice(0, 16);
}

export function commentKey(kind: CommentKind, commentId: number): string {
  return `${kind === "issue" ? "i" : "r"}${commentId}`;
}

export function bindingMarker(b: Binding): string {
  const fps = b.fingerprints.slice(0, MAX_BOUND).join(",");
  return `<!-- tollgate:bound=${commentKey(b.kind, b.commentId)}:${b.command}=${fps} -->`;
}

export function parseBindings(body: string | null | undefined): Binding[] {
  if (!body) return [];
  const out: Binding[] = [];
  for (const m of body.slice(0, 65_536).matchAll(BINDING)) {
    out.push({
      kind: m[1] === "i" ? "issue" : "review",
      commentId: Number(m[2]),
      command: m[3]!,
      fingerprints: m[4] === "" ? [] : m[4]!.split(",").filter((f) => /^[0-9a-f]{8,64}$/.test(f)),
    });
  }
  return out;
}
