import type { Context, Probot } from "probot";
import { type Actor, authorize, type Decision, type Role } from "../slash-commands/authorize.js";
import { resolveTarget, type Target } from "../slash-commands/history.js";
import { type GitHubComment, isBot, type OwnCommentTest, threadOf } from "../slash-commands/ledger.js";
import { bindingMarker, type CommentKind, commandKey } from "../slash-commands/markers.js";
import {
  effectiveSeverity,
  explainText,
  helpText,
  ignoredText,
  quoteCommand,
  refusal,
  unknownRule,
} from "../slash-commands/messages.js";
import { type Command, parseCommands } from "../slash-commands/parse.js";
import { truncate } from "../report/check-run.js";
import { escapeInline } from "../report/escape.js";
import { GITHUB_TEXT_LIMIT } from "../report/markdown.js";
import { type Config, defaultConfig } from "../review/config.js";
import { type RuleCatalog, ruleCatalog } from "../review/rules.js";
import type { Finding, Review, Severity } from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import {
  getRole,
  listPullReviewComments,
  postIssueComment,
  postThreadReply,
  type RepoRef,
  reactEyes,
} from "./command-gateway.js";
import { loadRepoConfig } from "./config-loader.js";
import type { PullSummary } from "./gateway.js";
import { ownCommentTest, type ReviewDeps, type ReviewOutcome, reviewPullRequest } from "./review-flow.js";
import { loadSuppressionLedger, type SuppressionLedger } from "./suppressions-source.js";
import type { Log, Octokit } from "./types.js";

/**
 * `/tollgate` commands on pull requests: conversation comments and replies in
 * Tollgate's own review threads. Every command is acknowledged with 👀, then
 * answered with one reply that says what changed or why nothing did. Ignores
 * and rechecks re-run the review through the same path as a push, so the
 * check run reflects them at once.
 */

export function registerCommands(app: Probot, deps: ReviewDeps): void {
  app.on(["issue_comment.created", "issue_comment.edited"], async (context) => {
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request || context.isBot) return;
    const previous = (context.payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
    await handleCommandComment(
      context.octokit,
      {
        kind: "issue",
        ref: { owner: repository.owner.login, repo: repository.name },
        pullNumber: issue.number,
        prAuthor: issue.user?.login ?? "",
        comment: comment as GitHubComment,
        previousBody: context.payload.action === "edited" ? (previous ?? "") : undefined,
        actor: context.payload.sender.login,
      },
      withLog(deps, context),
    );
  });

  app.on(["pull_request_review_comment.created", "pull_request_review_comment.edited"], async (context) => {
    const { pull_request: pr, comment, repository } = context.payload;
    if (context.isBot || comment.in_reply_to_id === undefined) return;
    const previous = (context.payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
    await handleCommandComment(
      context.octokit,
      {
        kind: "review",
        ref: { owner: repository.owner.login, repo: repository.name },
        pullNumber: pr.number,
        prAuthor: pr.user?.login ?? "",
        pull: pr as unknown as PullSummary,
        comment: comment as unknown as GitHubComment,
        previousBody: context.payload.action === "edited" ? (previous ?? "") : undefined,
        actor: context.payload.sender.login,
      },
      withLog(deps, context),
    );
  });

  // A deleted ignore no longer applies: review again so the check run says so now, not at the next push.
  app.on(["issue_comment.deleted", "pull_request_review_comment.deleted"], async (context) => {
    const payload = context.payload as {
      comment: GitHubComment;
      issue?: { number: number; pull_request?: unknown };
      pull_request?: { number: number };
      repository: { name: string; owner: { login: string } };
    };
    const pullNumber = payload.issue?.pull_request ? payload.issue.number : payload.pull_request?.number;
    if (pullNumber === undefined || isBot(payload.comment.user)) return;
    const ref = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const scoped = withLog(deps, context);
    const commands = parseCommands(payload.comment.body).filter(changesSuppressions);
    if (
      !(await couldHaveApplied(context.octokit, ref, payload.comment.user?.login ?? "", commands, scoped.log))
    )
      return;
    scoped.log.info({ commentId: payload.comment.id }, "a suppression command was deleted; reviewing again");
    await reviewPullRequest(context.octokit, { ...ref, pullNumber, reason: "ignore" }, scoped);
  });
}

export interface CommandEvent {
  kind: CommentKind;
  ref: RepoRef;
  pullNumber: number;
  prAuthor: string;
  /** The pull request, when the payload carries it (review comments). */
  pull?: PullSummary;
  comment: GitHubComment;
  /** For `edited`: the body before the edit. */
  previousBody?: string;
  /** Who caused the event (`sender`): for an edit, whoever edited, who need not be the comment's author. */
  actor?: string;
}

interface PendingIgnore {
  command: Extract<Command, { kind: "ignore" }>;
  target: Target;
  decision: Extract<Decision, { allowed: true }>;
  slot: number;
}

interface PendingUnignore {
  command: Extract<Command, { kind: "unignore" }>;
  slot: number;
}

export async function handleCommandComment(
  octokit: Octokit,
  event: CommandEvent,
  deps: ReviewDeps,
): Promise<void> {
  const log = deps.log;
  const { comment, ref } = event;
  if (isBot(comment.user)) return;
  const commands = parseCommands(comment.body);
  const login = comment.user!.login;
  // The edit took an ignore or unignore away or changed it: the check must stop reflecting the old one now.
  let suppressionsEdited = false;
  if (event.previousBody !== undefined) {
    // An edit that leaves the commands as they were (a typo fixed in prose) is not a new request.
    const earlier = parseCommands(event.previousBody);
    const texts = (list: Command[]) => list.map((c) => commandKey(c.text)).join("\n");
    if (texts(earlier) === texts(commands)) return;
    suppressionsEdited =
      earlier.some(changesSuppressions) &&
      texts(earlier.filter(changesSuppressions)) !== texts(commands.filter(changesSuppressions));
    const editor = event.actor ?? login;
    if (editor.toLowerCase() !== login.toLowerCase()) {
      await answerForeignEdit(octokit, event, editor, commands, suppressionsEdited, deps);
      return;
    }
    if (commands.length === 0) {
      if (
        suppressionsEdited &&
        (await couldHaveApplied(octokit, ref, login, earlier.filter(changesSuppressions), log))
      ) {
        log.info({ commentId: comment.id }, "a suppression command was edited away; reviewing again");
        await reviewPullRequest(octokit, { ...ref, pullNumber: event.pullNumber, reason: "ignore" }, deps);
      }
      return;
    }
  }
  if (commands.length === 0) return;

  const catalog = ruleCatalog();
  const resolveRuleId = (id: string) => catalog.get(id)?.id;
  const isOwn = await ownCommentTest(deps, log);
  let thread: { rootId: number; fingerprint: string; ruleId?: string } | undefined;
  if (event.kind === "review") {
    if (comment.in_reply_to_id == null) return;
    thread = await findThread(octokit, ref, event.pullNumber, comment.in_reply_to_id, resolveRuleId, isOwn);
    if (!thread) return; // someone else's review thread: not Tollgate's to answer
  }

  await reactEyes(octokit, ref, event.kind, comment.id).catch((e: unknown) =>
    log.warn({ err: e, commentId: comment.id }, "could not add the 👀 reaction"),
  );
  const { config, configProblem } = await loadConfig(octokit, ref, catalog, log);

  let role: Role | undefined;
  let roleUnknown: string | undefined;
  const actor = async (): Promise<Actor> => {
    role ??= await getRole(octokit, ref, login).catch((e: unknown) => {
      log.warn({ err: e, login }, "permission lookup failed; treating as no access");
      roleUnknown = `Tollgate could not check @${login}'s permission on this repository (GitHub answered ${escapeInline(errorText(e))}), so nothing changed. Try again in a moment.`;
      return "none" as const;
    });
    return { login, role, isAuthor: login.toLowerCase() === event.prAuthor.toLowerCase() };
  };

  const parts: string[] = [];
  const markers: string[] = [];
  const ignores: PendingIgnore[] = [];
  const unignores: PendingUnignore[] = [];
  let rerun: "recheck" | "ignore" | undefined;
  let recheckSlot: number | undefined;

  for (const command of commands) {
    switch (command.kind) {
      case "help":
        parts.push(
          helpText(
            catalog,
            config,
            command.unknown
              ? `\`/tollgate ${escapeInline(command.unknown)}\` is not a Tollgate command. Here is what is:`
              : undefined,
          ),
        );
        break;
      case "explain": {
        const rule = catalog.get(command.ruleId);
        parts.push(rule ? explainText(rule, config, deps.docsBaseUrl) : unknownRule(command.ruleId, catalog));
        break;
      }
      case "invalid":
        parts.push(refusal(command.text, command.problem));
        break;
      case "recheck": {
        const decision = authorize(command, await actor(), config);
        if (!decision.allowed) parts.push(refusal(command.text, roleUnknown ?? decision.why));
        else {
          rerun ??= "recheck";
          recheckSlot ??= parts.push("") - 1;
        }
        break;
      }
      case "ignore":
      case "unignore": {
        const who = await actor();
        const decision = authorize(command, who, config);
        if (!decision.allowed) {
          parts.push(refusal(command.text, roleUnknown ?? decision.why));
          break;
        }
        const target = resolveTarget(command, { thread }, resolveRuleId);
        if ("why" in target) {
          const named = command.kind === "ignore" ? command.ruleId : command.target;
          const why =
            named && !resolveRuleId(named) && named !== "all"
              ? unknownRule(named, catalog)
              : `${capitalise(target.why)}.`;
          parts.push(refusal(command.text, why));
          break;
        }
        if (command.kind === "ignore") {
          const blocked = blockedByFourEyes(target, decision, catalog, config);
          if (blocked) {
            parts.push(refusal(command.text, fourEyesWhy(who, target.ruleId!, blocked, config)));
            markers.push(bindingMarker(binding(event, command, [])));
            break;
          }
          ignores.push({ command, target, decision, slot: parts.push("") - 1 });
        } else {
          unignores.push({ command, slot: parts.push("") - 1 });
        }
        rerun = "ignore";
        break;
      }
    }
  }
  // An ignore edited into something else stops applying: the check must show that now.
  if (suppressionsEdited) rerun ??= "ignore";

  async function applyAndReview(): Promise<void> {
    let ledger: SuppressionLedger | undefined;
    if (rerun === "ignore") {
      ledger = await loadSuppressionLedger(
        {
          octokit,
          ...ref,
          pullNumber: event.pullNumber,
          prAuthor: event.prAuthor,
          config,
          log,
          isOwn,
          answering: comment.id,
        },
        new Map(role ? [[login, role]] : []),
      );
      if (ledger.answered.has(comment.id) && unignores.length === 0 && recheckSlot === undefined) {
        // A redelivered event: the reply with this comment's bindings is already on the PR.
        log.info({ commentId: comment.id }, "command already answered; nothing to do");
        answeredBefore = true;
        return;
      }
      const lifted = ledger.lifted.get(comment.id) ?? 0;
      for (const u of unignores) {
        parts[u.slot] =
          lifted > 0
            ? `${quoteCommand(u.command.text)}\n\nLifted ${lifted} suppression${lifted === 1 ? "" : "s"}; matching findings count again in the \`tollgate\` check.`
            : refusal(u.command.text, "No active suppression on this pull request matches it.");
      }
      if (ignores.length === 0 && lifted === 0 && recheckSlot === undefined && !suppressionsEdited)
        rerun = undefined;
    }
    if (rerun) {
      const replayed = ledger ? { suppressions: ledger.suppressions, notes: ledger.notes } : undefined;
      const outcome = await reviewPullRequest(
        octokit,
        { ...ref, pullNumber: event.pullNumber, reason: rerun, ...(event.pull ? { pull: event.pull } : {}) },
        replayed ? { ...deps, loadSuppressions: async () => replayed } : deps,
      );
      if (recheckSlot !== undefined) parts[recheckSlot] = recheckText(outcome);
      for (const ig of ignores) {
        const answer = answerIgnore(ig, outcome, event, comment.id, config);
        parts[ig.slot] = answer.text;
        if (answer.marker) markers.push(answer.marker);
      }
    }
  }

  let answeredBefore = false;
  if (rerun) {
    try {
      await applyAndReview();
    } catch (e) {
      // The gate itself is unchanged (or completed by the review flow's own error path): say so, don't go quiet.
      log.error({ err: e, commentId: comment.id }, "slash command could not be applied");
      const why = `Tollgate could not finish: ${escapeInline(e instanceof Error ? e.message : String(e)).slice(0, 300)}. Try \`/tollgate recheck\` in a moment.`;
      for (let i = 0; i < parts.length; i++) if (parts[i] === "") parts[i] = why;
    }
  }

  if (answeredBefore) return;
  if (configProblem) {
    parts.push(
      "_Tollgate's configuration on the default branch is invalid, so these answers use the defaults; the check run lists the problems._",
    );
  }
  const marks = markers.join("\n");
  const body = truncate(parts.filter(Boolean).join("\n\n---\n\n"), GITHUB_TEXT_LIMIT - marks.length - 2);
  const reply = marks ? `${body}\n\n${marks}` : body;
  if (event.kind === "review" && thread)
    await postThreadReply(octokit, ref, event.pullNumber, thread.rootId, reply);
  else await postIssueComment(octokit, ref, event.pullNumber, reply);
}

async function loadConfig(
  octokit: Octokit,
  ref: RepoRef,
  catalog: RuleCatalog,
  log: Log,
): Promise<{ config: Config; configProblem: boolean }> {
  try {
    const loaded = await loadRepoConfig(octokit, ref, catalog.ids());
    if (loaded.ok) return { config: loaded.config, configProblem: false };
  } catch (e) {
    log.warn({ err: e }, "could not read the configuration for a command");
  }
  return { config: defaultConfig, configProblem: true };
}

/** The Tollgate finding a review-thread reply is about; undefined for anyone else's thread. */
async function findThread(
  octokit: Octokit,
  ref: RepoRef,
  pullNumber: number,
  inReplyTo: number,
  resolveRuleId: (id: string) => string | undefined,
  isOwn: OwnCommentTest,
): Promise<{ rootId: number; fingerprint: string; ruleId?: string } | undefined> {
  const { comments } = await listPullReviewComments(octokit, ref, pullNumber);
  const byId = new Map(comments.map((c) => [c.id, c]));
  let root = byId.get(inReplyTo);
  // GitHub points replies at the thread's first comment, but be tolerant of a reply to a reply.
  if (root?.in_reply_to_id != null) root = byId.get(root.in_reply_to_id);
  const thread = threadOf(root, resolveRuleId, isOwn);
  return root && thread ? { rootId: root.id, ...thread } : undefined;
}

/**
 * Four eyes, decided before anything runs when a rule's severity is fixed: an
 * author's ignore of a rule that always blocks would match nothing.
 */
function blockedByFourEyes(
  target: Target,
  decision: Extract<Decision, { allowed: true }>,
  catalog: RuleCatalog,
  config: Config,
): Severity | undefined {
  if (!decision.onlyBelow || !target.ruleId || target.fingerprint) return undefined;
  const rule = catalog.get(target.ruleId);
  if (!rule) return undefined;
  const overridden = config.rules[rule.id] !== undefined;
  // Severities that vary per finding: an advisory's own, or secrets lowered in test paths.
  if (!overridden && rule.id === "deps/known-vulnerability") return undefined;
  if (!overridden && rule.family === "secrets" && config.secrets["test-paths"] === "lower") return undefined;
  const severity = effectiveSeverity(rule, config);
  if (severity === "off") return undefined;
  return atOrAbove(severity, decision.onlyBelow) ? severity : undefined;
}

function fourEyesWhy(who: Actor, ruleId: string, severity: Severity, config: Config): string {
  return `@${who.login} opened this pull request, and \`${ruleId}\` findings are ${severity}, at or above fail-on (${config["fail-on"]}). ${fourEyesRule(config)}`;
}

function fourEyesRule(config: Config): string {
  const unless = config.commands["author-ignore-blocking"] === "admin" ? " unless they are an admin" : "";
  return `The author cannot ignore their own blocking findings${unless}; someone else with ${config.commands["ignore-permission"]} access must (four eyes).`;
}

function answerIgnore(
  ig: PendingIgnore,
  outcome: ReviewOutcome,
  event: CommandEvent,
  commentId: number,
  config: Config,
): { text: string; marker?: string } {
  if (outcome.kind !== "completed" || !outcome.review) {
    return {
      text: `${quoteCommand(ig.command.text)}\n\n${outcomeProblem(outcome)} Nothing was suppressed: post the command again once the review has finished.`,
    };
  }
  const review: Review = outcome.review;
  const matches = (f: Finding) => targetMatches(f, ig);
  const mine = review.suppressed.filter(
    (f) => f.suppression.kind === "command" && f.suppression.commentId === commentId && matches(f),
  );
  const onlyBelow = ig.decision.onlyBelow;
  const blocked = onlyBelow
    ? review.findings.filter((f) => matches(f) && atOrAbove(f.severity, onlyBelow))
    : [];
  const mark = (fps: string[]) => bindingMarker(binding(event, ig.command, fps));
  if (mine.length > 0) {
    return {
      text: `${ignoredText(ig.command.text, mine, blocked.length)}\n\nThe \`tollgate\` check now concludes **${outcome.conclusion}**.`,
      marker: mark(mine.map((f) => f.fingerprint)),
    };
  }
  if (blocked.length > 0) {
    return {
      text: refusal(
        ig.command.text,
        `You opened this pull request, and the ${blocked.length === 1 ? "finding it matches is" : `${blocked.length} findings it matches are`} at or above fail-on (${review.verdict.failOn}). ${fourEyesRule(config)}`,
      ),
      marker: mark([]),
    };
  }
  const elsewhere = review.suppressed.filter((f) => matches(f));
  const why =
    elsewhere.length > 0
      ? `The matching finding${elsewhere.length === 1 ? " is" : "s are"} already suppressed by an earlier command.`
      : `No current finding on this pull request matches ${describeTarget(ig)}.`;
  return { text: refusal(ig.command.text, why), marker: mark([]) };
}

function targetMatches(f: Finding, ig: PendingIgnore): boolean {
  if (ig.target.fingerprint) return f.fingerprint === ig.target.fingerprint;
  if (f.ruleId !== ig.target.ruleId) return false;
  if (ig.command.path !== undefined && f.path !== ig.command.path) return false;
  if (ig.command.fileLine !== undefined && f.line !== ig.command.fileLine) return false;
  return true;
}

function describeTarget(ig: PendingIgnore): string {
  if (ig.target.fingerprint) return "this thread's finding (it is no longer reported)";
  const where =
    ig.command.path !== undefined
      ? ` at \`${escapeInline(ig.command.path)}${ig.command.fileLine !== undefined ? `:${ig.command.fileLine}` : ""}\``
      : "";
  return `\`${ig.target.ruleId}\`${where}`;
}

function recheckText(outcome: ReviewOutcome): string {
  switch (outcome.kind) {
    case "completed":
      return `Reviewed the current head again: the \`tollgate\` check concluded **${outcome.conclusion}**.`;
    case "superseded":
      return `The pull request's head moved to \`${outcome.by.slice(0, 12)}\`; its review is the one that counts.`;
    default:
      return `Recheck: ${outcomeProblem(outcome)}`;
  }
}

function outcomeProblem(outcome: ReviewOutcome): string {
  switch (outcome.kind) {
    case "skipped":
      return `The review did not run: ${escapeInline(outcome.reason)}.`;
    case "failed":
      return `The review failed: ${escapeInline(outcome.message)}.`;
    case "superseded":
      return `The pull request's head moved to \`${outcome.by.slice(0, 12)}\` during the review.`;
    case "completed":
      return "";
  }
}

function binding(event: CommandEvent, command: Command, fingerprints: string[]) {
  return { kind: event.kind, commentId: event.comment.id, command: commandKey(command.text), fingerprints };
}

/**
 * Someone edited another person's command comment (GitHub lets writers edit
 * any comment). Its commands are not theirs to issue in the author's name,
 * and not the author's, who never wrote them: nothing is applied, the editor
 * is told, and if the edit changed a suppression the check is brought up to
 * date (an ignore that was edited stops applying: it has no answer recorded).
 */
async function answerForeignEdit(
  octokit: Octokit,
  event: CommandEvent,
  editor: string,
  commands: Command[],
  suppressionsEdited: boolean,
  deps: ReviewDeps,
): Promise<void> {
  const author = event.comment.user!.login;
  deps.log.info(
    { commentId: event.comment.id, editor, author },
    "commands edited in by someone else; not applied",
  );
  if (suppressionsEdited) {
    await reviewPullRequest(octokit, { ...event.ref, pullNumber: event.pullNumber, reason: "ignore" }, deps);
  }
  if (commands.length === 0) return;
  const why = `@${editor} edited @${author}'s comment. Tollgate acts on a comment's commands only as its author wrote them, so nothing in it was applied; @${editor} can post the command in a comment of their own.`;
  const reply = commands.map((c) => refusal(c.text, why)).join("\n\n---\n\n");
  const body = truncate(reply, GITHUB_TEXT_LIMIT);
  if (event.kind === "review" && event.comment.in_reply_to_id != null)
    await postThreadReply(octokit, event.ref, event.pullNumber, event.comment.in_reply_to_id, body);
  else await postIssueComment(octokit, event.ref, event.pullNumber, body);
}

/**
 * Whether deleting or editing away these commands can change the check: only
 * if their author may ignore at all. Anyone else's commands never applied, and
 * re-reviewing for them would let anyone trigger reviews at will.
 */
async function couldHaveApplied(
  octokit: Octokit,
  ref: RepoRef,
  login: string,
  commands: Command[],
  log: Log,
): Promise<boolean> {
  if (commands.length === 0) return false;
  const catalog = ruleCatalog();
  const { config } = await loadConfig(octokit, ref, catalog, log);
  let role: Role;
  try {
    role = await getRole(octokit, ref, login);
  } catch (e) {
    log.warn({ err: e, login }, "permission lookup failed; reviewing again to be safe");
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

function changesSuppressions(c: Command): boolean {
  return c.kind === "ignore" || c.kind === "unignore";
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function withLog(deps: ReviewDeps, context: Context): ReviewDeps {
  return { ...deps, log: context.log.child({ delivery: context.id }) };
}
