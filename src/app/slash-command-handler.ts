import { truncate } from "../report/check-run.js";
import { GITHUB_TEXT_LIMIT } from "../report/markdown.js";
import type { Config } from "../review/config.js";
import type { Actor } from "../slash-commands/authorize.js";
import { authorize } from "../slash-commands/authorize.js";
import { type GitHubComment, isBot, threadOf } from "../slash-commands/ledger.js";
import { type CommentKind, commandKey } from "../slash-commands/markers.js";
import {
  CONFIG_PROBLEM_NOTE,
  couldNotFinish,
  foreignEditWhy,
  liftedText,
  permissionUnknown,
  recheckText,
  refusal,
} from "../slash-commands/messages.js";
import { type Command, parseCommands } from "../slash-commands/parse.js";
import {
  answerIgnore,
  type CommandPlan,
  changesSuppressions,
  needsRole,
  planCommands,
} from "../slash-commands/plan.js";
import type { ReviewDeps } from "./deps.js";
import { pullRequestContext } from "./event-context.js";
import type { EventSource } from "./event-router.js";
import type { PullSummary } from "./github/port.js";
import type { PullRequestContext } from "./pull-request-context.js";
import { reviewPullRequest } from "./review-flow.js";

/**
 * `/tollgate` commands on pull requests: conversation comments and replies in
 * Tollgate's own review threads. A comment is parsed (slash-commands/parse.ts),
 * planned without I/O (slash-commands/plan.ts, its words in messages.ts), then
 * executed here: 👀, the suppression ledger, a re-run of the review through
 * the same path as a push (sharing the event's context), and one reply that
 * says what changed or why nothing did.
 */

export function registerSlashCommands(app: EventSource, deps: ReviewDeps): void {
  app.on(["issue_comment.created", "issue_comment.edited"], async (context) => {
    const { issue, comment } = context.payload;
    if (!issue.pull_request || context.isBot) return;
    const event = commandEvent("issue", context.payload, comment as GitHubComment);
    const ctx = pullRequestContext(deps, context, issue.number, { prAuthor: issue.user?.login ?? "" });
    await handleCommandComment(ctx, event);
  });

  app.on(["pull_request_review_comment.created", "pull_request_review_comment.edited"], async (context) => {
    const { pull_request: pr, comment } = context.payload;
    if (context.isBot || comment.in_reply_to_id === undefined) return;
    const event = commandEvent("review", context.payload, comment as unknown as GitHubComment);
    const seed = { pull: pr as unknown as PullSummary, prAuthor: pr.user?.login ?? "" };
    await handleCommandComment(pullRequestContext(deps, context, pr.number, seed), event);
  });

  // A deleted ignore no longer applies: review again so the check run says so now, not at the next push.
  app.on(["issue_comment.deleted", "pull_request_review_comment.deleted"], async (context) => {
    const payload = context.payload as {
      comment: GitHubComment;
      issue?: { number: number; pull_request?: unknown };
      pull_request?: { number: number };
    };
    const pullNumber = payload.issue?.pull_request ? payload.issue.number : payload.pull_request?.number;
    if (pullNumber === undefined || isBot(payload.comment.user)) return;
    const ctx = pullRequestContext(deps, context, pullNumber);
    const commands = parseCommands(payload.comment.body).filter(changesSuppressions);
    if (!(await couldHaveApplied(ctx, payload.comment.user?.login ?? "", commands))) return;
    ctx.log.info({ commentId: payload.comment.id }, "a suppression command was deleted; reviewing again");
    await reviewPullRequest(ctx, { reason: "ignore" });
  });
}

export interface CommandEvent {
  kind: CommentKind;
  comment: GitHubComment;
  /** For `edited`: the body before the edit. */
  previousBody?: string;
  /** Who caused the event (`sender`): for an edit, whoever edited, who need not be the comment's author. */
  actor?: string;
}

function commandEvent(
  kind: CommentKind,
  payload: { action: string; sender: { login: string } },
  comment: GitHubComment,
): CommandEvent {
  const previous = (payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
  return {
    kind,
    comment,
    ...(payload.action === "edited" ? { previousBody: previous ?? "" } : {}),
    actor: payload.sender.login,
  };
}

/** What a comment (or an edit of one) asks for, before anything is looked up. Pure. */
type Reading =
  | { kind: "nothing" }
  | { kind: "foreign-edit"; editor: string; commands: Command[]; suppressionsEdited: boolean }
  | { kind: "edited-away"; earlier: Command[]; suppressionsEdited: boolean }
  | { kind: "commands"; commands: Command[]; suppressionsEdited: boolean };

export function readComment(event: CommandEvent): Reading {
  const commands = parseCommands(event.comment.body);
  const login = event.comment.user!.login;
  if (event.previousBody === undefined)
    return commands.length === 0
      ? { kind: "nothing" }
      : { kind: "commands", commands, suppressionsEdited: false };
  // An edit that leaves the commands as they were (a typo fixed in prose) is not a new request.
  const earlier = parseCommands(event.previousBody);
  const texts = (list: Command[]) => list.map((c) => commandKey(c.text)).join("\n");
  if (texts(earlier) === texts(commands)) return { kind: "nothing" };
  // The edit took an ignore or unignore away or changed it: the check must stop reflecting the old one now.
  const suppressionsEdited =
    earlier.some(changesSuppressions) &&
    texts(earlier.filter(changesSuppressions)) !== texts(commands.filter(changesSuppressions));
  const editor = event.actor ?? login;
  if (editor.toLowerCase() !== login.toLowerCase())
    return { kind: "foreign-edit", editor, commands, suppressionsEdited };
  if (commands.length === 0)
    return { kind: "edited-away", earlier: earlier.filter(changesSuppressions), suppressionsEdited };
  return { kind: "commands", commands, suppressionsEdited };
}

export async function handleCommandComment(ctx: PullRequestContext, event: CommandEvent): Promise<void> {
  const { comment } = event;
  if (isBot(comment.user)) return;
  const reading = readComment(event);
  switch (reading.kind) {
    case "nothing":
      return;
    case "foreign-edit":
      return answerForeignEdit(ctx, event, reading);
    case "edited-away":
      if (reading.suppressionsEdited && (await couldHaveApplied(ctx, comment.user!.login, reading.earlier))) {
        ctx.log.info({ commentId: comment.id }, "a suppression command was edited away; reviewing again");
        await reviewPullRequest(ctx, { reason: "ignore" });
      }
      return;
    case "commands":
      return answerCommands(ctx, event, reading.commands, reading.suppressionsEdited);
  }
}

async function answerCommands(
  ctx: PullRequestContext,
  event: CommandEvent,
  commands: Command[],
  suppressionsEdited: boolean,
): Promise<void> {
  const { comment } = event;
  let thread: { rootId: number; fingerprint: string; ruleId?: string } | undefined;
  if (event.kind === "review") {
    if (comment.in_reply_to_id == null) return;
    thread = await findThread(ctx, comment.in_reply_to_id);
    if (!thread) return; // someone else's review thread: not Tollgate's to answer
  }
  await ctx.github
    .addEyes(event.kind, comment.id)
    .catch((e: unknown) => ctx.log.warn({ err: e, commentId: comment.id }, "could not add the 👀 reaction"));
  const { config, configProblem } = await ctx.commandConfig();
  const { actor, roleUnknown } = needsRole(commands)
    ? await lookUpActor(ctx, comment.user!.login)
    : { actor: undefined, roleUnknown: undefined };
  const plan = planCommands({
    commands,
    catalog: ctx.catalog(),
    config,
    ...(ctx.deps.docsBaseUrl !== undefined ? { docsBaseUrl: ctx.deps.docsBaseUrl } : {}),
    ...(actor ? { actor } : {}),
    ...(roleUnknown ? { roleUnknown } : {}),
    ...(thread ? { thread } : {}),
    comment: { kind: event.kind, id: comment.id },
    suppressionsEdited,
  });
  if ((await execute(ctx, event, plan, config, suppressionsEdited)) === "answered-before") return;
  if (configProblem) plan.parts.push(CONFIG_PROBLEM_NOTE);
  const marks = plan.markers.join("\n");
  const body = truncate(plan.parts.filter(Boolean).join("\n\n---\n\n"), GITHUB_TEXT_LIMIT - marks.length - 2);
  await reply(ctx, event, thread?.rootId, marks ? `${body}\n\n${marks}` : body);
}

/** The commenter and their role now; a failed lookup counts as no access, with a reason to say. */
async function lookUpActor(
  ctx: PullRequestContext,
  login: string,
): Promise<{ actor: Actor; roleUnknown?: string }> {
  const isAuthor = login.toLowerCase() === (await ctx.prAuthor()).toLowerCase();
  try {
    return { actor: { login, role: await ctx.role(login), isAuthor } };
  } catch (e) {
    ctx.log.warn({ err: e, login }, "permission lookup failed; treating as no access");
    ctx.rememberRole(login, "none");
    return { actor: { login, role: "none", isAuthor }, roleUnknown: permissionUnknown(login, errorText(e)) };
  }
}

/** Applies the plan: the ledger (for ignores and unignores), then the review; fills the reply's slots. */
async function execute(
  ctx: PullRequestContext,
  event: CommandEvent,
  plan: CommandPlan,
  config: Config,
  suppressionsEdited: boolean,
): Promise<"answered-before" | undefined> {
  if (!plan.rerun) return undefined;
  try {
    if (plan.rerun === "ignore") {
      ctx.answering = event.comment.id;
      const ledger = await ctx.ledger(config);
      if (
        ledger.answered.has(event.comment.id) &&
        plan.unignores.length === 0 &&
        plan.recheckSlot === undefined
      ) {
        // A redelivered event: the reply with this comment's bindings is already on the PR.
        ctx.log.info({ commentId: event.comment.id }, "command already answered; nothing to do");
        return "answered-before";
      }
      const lifted = ledger.lifted.get(event.comment.id) ?? 0;
      for (const u of plan.unignores) plan.parts[u.slot] = liftedText(u.command.text, lifted);
      if (plan.ignores.length === 0 && lifted === 0 && plan.recheckSlot === undefined && !suppressionsEdited)
        return undefined;
    }
    const outcome = await reviewPullRequest(ctx, { reason: plan.rerun });
    if (plan.recheckSlot !== undefined) plan.parts[plan.recheckSlot] = recheckText(outcome);
    for (const ig of plan.ignores) {
      const answer = answerIgnore(ig, outcome, { kind: event.kind, id: event.comment.id }, config);
      plan.parts[ig.slot] = answer.text;
      if (answer.marker) plan.markers.push(answer.marker);
    }
  } catch (e) {
    // The gate itself is unchanged (or completed by the review flow's own error path): say so, don't go quiet.
    ctx.log.error({ err: e, commentId: event.comment.id }, "slash command could not be applied");
    const why = couldNotFinish(e instanceof Error ? e.message : String(e));
    for (let i = 0; i < plan.parts.length; i++) if (plan.parts[i] === "") plan.parts[i] = why;
  }
  return undefined;
}

async function reply(ctx: PullRequestContext, event: CommandEvent, rootId: number | undefined, body: string) {
  if (event.kind === "review" && rootId !== undefined)
    await ctx.github.replyToReviewComment(ctx.pullNumber, rootId, body);
  else await ctx.github.createIssueComment(ctx.pullNumber, body);
}

/** The Tollgate finding a review-thread reply is about; undefined for anyone else's thread. */
async function findThread(
  ctx: PullRequestContext,
  inReplyTo: number,
): Promise<{ rootId: number; fingerprint: string; ruleId?: string } | undefined> {
  const [{ items: comments }, isOwn] = await Promise.all([ctx.reviewComments(), ctx.isOwn()]);
  const byId = new Map(comments.map((c) => [c.id, c]));
  let root = byId.get(inReplyTo);
  // GitHub points replies at the thread's first comment, but be tolerant of a reply to a reply.
  if (root?.in_reply_to_id != null) root = byId.get(root.in_reply_to_id);
  const catalog = ctx.catalog();
  const thread = threadOf(root, (id) => catalog.get(id)?.id, isOwn);
  return root && thread ? { rootId: root.id, ...thread } : undefined;
}

/**
 * Someone edited another person's command comment (GitHub lets writers edit
 * any comment). Its commands are not theirs to issue in the author's name,
 * and not the author's, who never wrote them: nothing is applied, the editor
 * is told, and if the edit changed a suppression the check is brought up to
 * date (an ignore that was edited stops applying: it has no answer recorded).
 */
async function answerForeignEdit(
  ctx: PullRequestContext,
  event: CommandEvent,
  reading: Extract<Reading, { kind: "foreign-edit" }>,
): Promise<void> {
  const author = event.comment.user!.login;
  const { editor, commands } = reading;
  ctx.log.info(
    { commentId: event.comment.id, editor, author },
    "commands edited in by someone else; not applied",
  );
  if (reading.suppressionsEdited) await reviewPullRequest(ctx, { reason: "ignore" });
  if (commands.length === 0) return;
  const why = foreignEditWhy(editor, author);
  const body = truncate(commands.map((c) => refusal(c.text, why)).join("\n\n---\n\n"), GITHUB_TEXT_LIMIT);
  const rootId = event.kind === "review" ? (event.comment.in_reply_to_id ?? undefined) : undefined;
  await reply(ctx, event, rootId, body);
}

/**
 * Whether deleting or editing away these commands can change the check: only
 * if their author may ignore at all. Anyone else's commands never applied, and
 * re-reviewing for them would let anyone trigger reviews at will.
 */
async function couldHaveApplied(
  ctx: PullRequestContext,
  login: string,
  commands: Command[],
): Promise<boolean> {
  if (commands.length === 0) return false;
  const { config } = await ctx.commandConfig();
  let role: Actor["role"];
  try {
    role = await ctx.role(login);
  } catch (e) {
    ctx.log.warn({ err: e, login }, "permission lookup failed; reviewing again to be safe");
    return true;
  }
  // The PR's author counts as a non-author here: an author's ignore can still apply below fail-on.
  const actor: Actor = { login, role, isAuthor: false };
  return commands.some((c) => authorize(c, actor, config).allowed);
}

function errorText(e: unknown): string {
  const status = (e as { status?: number }).status;
  const message = e instanceof Error ? e.message : String(e);
  return (status ? `${status}: ${message}` : message).slice(0, 200);
}
