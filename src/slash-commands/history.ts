import type { Config } from "../review/config.js";
import type { ExternalSuppression } from "../review/types.js";
import { type Actor, authorize, type Role } from "./authorize.js";
import { commandKey } from "./markers.js";
import { type Command, parseCommands } from "./parse.js";

/**
 * The pull request's comments are the database: the active suppressions are
 * whatever the `ignore` and `unignore` commands in them add up to, read in
 * order, each authorised again with the commenter's role as it is now. A
 * deleted comment is simply not listed any more; an edited one is read as it
 * reads now.
 */

export interface CommandComment {
  id: number;
  author: string;
  authorIsBot: boolean;
  body: string;
  createdAt: string;
  updatedAt?: string;
  url: string;
  /** Set for a reply in one of Tollgate's own review threads: the finding that thread is about. */
  thread?: { fingerprint: string; ruleId?: string };
  /**
   * Per command (by `commandKey`): the fingerprints Tollgate recorded that this
   * ignore matched when it was answered (see markers.ts); empty = it matched
   * nothing and was refused.
   */
  bound?: ReadonlyMap<string, readonly string[]>;
}

export interface Rejected {
  commentId: number;
  url: string;
  by: string;
  command: string;
  why: string;
}

export interface RebuildInput {
  comments: readonly CommandComment[];
  prAuthor: string;
  config: Config;
  /** The commenter's repository role; called once per login. */
  roleOf: (login: string) => Promise<Role>;
  /** Canonical rule id for an id or alias; undefined when unknown. */
  resolveRuleId: (id: string) => string | undefined;
  /**
   * The comments being answered right now: their ignores apply as typed, so
   * the review that answers them can record what they match. Every other
   * ignore applies only through the findings Tollgate recorded when it
   * answered it.
   */
  answering?: ReadonlySet<number>;
}

export interface RebuildResult {
  suppressions: ExternalSuppression[];
  rejected: Rejected[];
  /** Per unignore comment id: how many active suppressions it lifted. */
  lifted: Map<number, number>;
  /** Comments whose every ignore Tollgate has already answered (bindings recorded): a redelivered event. */
  answered: Set<number>;
}

export const UNANSWERED =
  "Tollgate has no record of answering it (it was posted while Tollgate was unavailable, or edited since); post the command again";

/** More suppressions than this on one pull request is abuse, not review. */
export const MAX_SUPPRESSIONS = 200;

export async function rebuildSuppressions(input: RebuildInput): Promise<RebuildResult> {
  const active: ExternalSuppression[] = [];
  const rejected: Rejected[] = [];
  const lifted = new Map<number, number>();
  const answered = new Set<number>();
  // ISO-8601 UTC timestamps order as plain strings (localeCompare would be far slower).
  const ordered = [...input.comments].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id,
  );
  const prAuthor = input.prAuthor.toLowerCase();
  // One lookup per person per review, however many commands they wrote.
  const roles = new Map<string, Promise<Role>>();
  const roleOf = (login: string) => {
    const key = login.toLowerCase();
    let role = roles.get(key);
    if (!role) {
      role = input.roleOf(login);
      roles.set(key, role);
    }
    return role;
  };

  for (const comment of ordered) {
    if (comment.authorIsBot) continue;
    const commands = parseCommands(comment.body).filter(
      (c): c is Extract<Command, { kind: "ignore" | "unignore" }> =>
        c.kind === "ignore" || c.kind === "unignore",
    );
    if (commands.length === 0) continue;
    const ignores = commands.filter((c) => c.kind === "ignore");
    if (ignores.length > 0 && ignores.every((c) => comment.bound?.has(commandKey(c.text))))
      answered.add(comment.id);
    const actor: Actor = {
      login: comment.author,
      role: await roleOf(comment.author),
      isAuthor: comment.author.toLowerCase() === prAuthor,
    };
    const reject = (command: Command, why: string) =>
      rejected.push({
        commentId: comment.id,
        url: comment.url,
        by: comment.author,
        command: command.text,
        why,
      });

    for (const command of commands) {
      const decision = authorize(command, actor, input.config);
      if (!decision.allowed) {
        reject(command, decision.why);
        continue;
      }
      const resolved = resolveTarget(command, comment, input.resolveRuleId);
      if ("why" in resolved) {
        reject(command, resolved.why);
        continue;
      }
      if (command.kind === "unignore") {
        const n = removeMatching(active, resolved, input.resolveRuleId);
        lifted.set(comment.id, (lifted.get(comment.id) ?? 0) + n);
        continue;
      }
      const base: ExternalSuppression = {
        ruleId: resolved.ruleId ?? "*",
        reason: command.reason,
        by: comment.author,
        at: comment.updatedAt ?? comment.createdAt,
        url: comment.url,
        commentId: comment.id,
      };
      if (decision.onlyBelow) base.onlyBelow = decision.onlyBelow;
      const bound = comment.bound?.get(commandKey(command.text));
      let fresh: ExternalSuppression[];
      if (bound?.length === 0) {
        reject(command, "it matched no finding when it was posted");
        continue;
      } else if (bound) {
        // Bound to the findings it matched when answered: a changed finding is no longer covered.
        fresh = bound.map((fingerprint) => ({ ...base, fingerprint }));
      } else if (!input.answering?.has(comment.id)) {
        // Fail closed: an ignore Tollgate never answered (posted while it was away, or edited since)
        // could have been written by anyone who can edit the comment, and names no findings.
        reject(command, UNANSWERED);
        continue;
      } else {
        const s = { ...base };
        if (resolved.fingerprint) s.fingerprint = resolved.fingerprint;
        if (command.path !== undefined) s.path = command.path;
        if (command.fileLine !== undefined) s.line = command.fileLine;
        fresh = [s];
      }
      if (active.length + fresh.length > MAX_SUPPRESSIONS) {
        reject(
          command,
          `this pull request already has ${active.length} suppressions (at most ${MAX_SUPPRESSIONS})`,
        );
        continue;
      }
      active.push(...fresh);
    }
  }
  return { suppressions: active, rejected, lifted, answered };
}

export interface Target {
  all?: boolean;
  ruleId?: string;
  fingerprint?: string;
}

/**
 * What a command is about: a rule (by canonical id), the finding of the review
 * thread it was posted in, or everything (`unignore all`).
 */
export function resolveTarget(
  command: Extract<Command, { kind: "ignore" | "unignore" }>,
  comment: Pick<CommandComment, "thread">,
  resolveRuleId: (id: string) => string | undefined,
): Target | { why: string } {
  const named = command.kind === "ignore" ? command.ruleId : command.target;
  if (named === "all" && command.kind === "unignore") return { all: true };
  if (named !== undefined) {
    const ruleId = resolveRuleId(named);
    if (!ruleId) return { why: `unknown rule id \`${named}\`` };
    return { ruleId };
  }
  if (!comment.thread) {
    return {
      why:
        command.kind === "ignore"
          ? "say which rule to ignore (`/tollgate ignore <rule-id> -- <reason>`), or reply in the finding's own review thread"
          : "say which rule to unignore (`/tollgate unignore <rule-id>` or `all`), or reply in the finding's own review thread",
    };
  }
  const target: Target = { fingerprint: comment.thread.fingerprint };
  const ruleId = comment.thread.ruleId ? resolveRuleId(comment.thread.ruleId) : undefined;
  if (ruleId) target.ruleId = ruleId;
  return target;
}

function removeMatching(
  active: ExternalSuppression[],
  target: Target,
  resolveRuleId: (id: string) => string | undefined,
): number {
  let removed = 0;
  for (let i = active.length - 1; i >= 0; i--) {
    const s = active[i]!;
    let drop: boolean;
    if (target.all) drop = true;
    else if (target.fingerprint) drop = s.fingerprint === target.fingerprint;
    else drop = (resolveRuleId(s.ruleId) ?? s.ruleId) === target.ruleId;
    if (drop) {
      active.splice(i, 1);
      removed++;
    }
  }
  return removed;
}
