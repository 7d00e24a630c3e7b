import type { Config } from "../review/config.js";
import type { RuleCatalog } from "../review/rules.js";
import type { Finding, Review, Severity } from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import { type Actor, authorize, type Decision } from "./authorize.js";
import { resolveTarget, type Target } from "./history.js";
import { bindingMarker, type CommentKind, commandKey } from "./markers.js";
import {
  alreadySuppressed,
  capitalise,
  describeIgnoreTarget,
  effectiveSeverity,
  explainText,
  fourEyesBlocked,
  fourEyesWhy,
  helpText,
  ignoredAndConcluded,
  ignoreNotApplied,
  notACommand,
  nothingMatches,
  type OutcomeForReply,
  refusal,
  unknownRule,
} from "./messages.js";
import type { Command } from "./parse.js";

/**
 * What a command comment asks for, decided without any I/O: the reply's parts
 * (texts from messages.ts; empty slots are filled once the review has run),
 * the ignores and unignores to apply, and whether the review runs again. The
 * app (src/app/slash-command-handler.ts) looks up what the plan needs, then
 * executes it.
 */

export interface PendingIgnore {
  command: Extract<Command, { kind: "ignore" }>;
  target: Target;
  decision: Extract<Decision, { allowed: true }>;
  slot: number;
}

export interface PendingUnignore {
  command: Extract<Command, { kind: "unignore" }>;
  slot: number;
}

export interface CommandPlan {
  /** The reply, one part per command; "" marks a slot filled after the review. */
  parts: string[];
  /** Binding markers recorded now (refused ignores). */
  markers: string[];
  ignores: PendingIgnore[];
  unignores: PendingUnignore[];
  rerun?: "recheck" | "ignore";
  recheckSlot?: number;
}

export interface PlanInput {
  commands: readonly Command[];
  catalog: RuleCatalog;
  config: Config;
  docsBaseUrl?: string;
  /** The commenter with their role; required when `needsRole(commands)`. */
  actor?: Actor;
  /** Set when the role lookup failed: every command that needs it is refused with this. */
  roleUnknown?: string;
  /** The Tollgate finding of the review thread the comment was posted in. */
  thread?: { fingerprint: string; ruleId?: string };
  /** The comment being answered (binding markers name it). */
  comment: { kind: CommentKind; id: number };
  /** An edit changed the comment's ignores or unignores: the review must run again. */
  suppressionsEdited: boolean;
}

/** Whether any of the commands is authorised by the commenter's role (so it must be looked up). */
export function needsRole(commands: readonly Command[]): boolean {
  return commands.some((c) => c.kind === "recheck" || c.kind === "ignore" || c.kind === "unignore");
}

export function changesSuppressions(c: Command): boolean {
  return c.kind === "ignore" || c.kind === "unignore";
}

export function planCommands(input: PlanInput): CommandPlan {
  const plan: CommandPlan = { parts: [], markers: [], ignores: [], unignores: [] };
  const { catalog, config } = input;
  for (const command of input.commands) {
    switch (command.kind) {
      case "help":
        plan.parts.push(
          helpText(catalog, config, command.unknown ? notACommand(command.unknown) : undefined),
        );
        break;
      case "explain": {
        const rule = catalog.get(command.ruleId);
        plan.parts.push(
          rule ? explainText(rule, config, input.docsBaseUrl) : unknownRule(command.ruleId, catalog),
        );
        break;
      }
      case "invalid":
        plan.parts.push(refusal(command.text, command.problem));
        break;
      case "recheck": {
        const decision = authorize(command, input.actor!, config);
        if (!decision.allowed) plan.parts.push(refusal(command.text, input.roleUnknown ?? decision.why));
        else {
          plan.rerun ??= "recheck";
          plan.recheckSlot ??= plan.parts.push("") - 1;
        }
        break;
      }
      case "ignore":
      case "unignore":
        planSuppression(plan, command, input);
        break;
    }
  }
  // An ignore edited into something else stops applying: the check must show that now.
  if (input.suppressionsEdited) plan.rerun ??= "ignore";
  return plan;
}

function planSuppression(
  plan: CommandPlan,
  command: Extract<Command, { kind: "ignore" | "unignore" }>,
  input: PlanInput,
): void {
  const { catalog, config } = input;
  const who = input.actor!;
  const decision = authorize(command, who, config);
  if (!decision.allowed) {
    plan.parts.push(refusal(command.text, input.roleUnknown ?? decision.why));
    return;
  }
  const resolveRuleId = (id: string) => catalog.get(id)?.id;
  const target = resolveTarget(command, { thread: input.thread }, resolveRuleId);
  if ("why" in target) {
    const named = command.kind === "ignore" ? command.ruleId : command.target;
    const why =
      named && !resolveRuleId(named) && named !== "all"
        ? unknownRule(named, catalog)
        : `${capitalise(target.why)}.`;
    plan.parts.push(refusal(command.text, why));
    return;
  }
  if (command.kind === "ignore") {
    const blocked = blockedByFourEyes(target, decision, catalog, config);
    if (blocked) {
      plan.parts.push(refusal(command.text, fourEyesWhy(who.login, target.ruleId!, blocked, config)));
      plan.markers.push(bindingFor(input.comment, command, []));
      return;
    }
    plan.ignores.push({ command, target, decision, slot: plan.parts.push("") - 1 });
  } else {
    plan.unignores.push({ command, slot: plan.parts.push("") - 1 });
  }
  plan.rerun = "ignore";
}

export function bindingFor(comment: PlanInput["comment"], command: Command, fingerprints: string[]): string {
  return bindingMarker({
    kind: comment.kind,
    commentId: comment.id,
    command: commandKey(command.text),
    fingerprints,
  });
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

/** The answer to one ignore once the review ran with it: what it suppressed, or why nothing. */
export function answerIgnore(
  ig: PendingIgnore,
  outcome: OutcomeForReply & { review?: Review },
  comment: PlanInput["comment"],
  config: Config,
): { text: string; marker?: string } {
  if (outcome.kind !== "completed" || !outcome.review)
    return { text: ignoreNotApplied(ig.command.text, outcome) };
  const review = outcome.review;
  const matches = (f: Finding) => targetMatches(f, ig);
  const mine = review.suppressed.filter(
    (f) => f.suppression.kind === "command" && f.suppression.commentId === comment.id && matches(f),
  );
  const onlyBelow = ig.decision.onlyBelow;
  const blocked = onlyBelow
    ? review.findings.filter((f) => matches(f) && atOrAbove(f.severity, onlyBelow))
    : [];
  const mark = (fps: string[]) => bindingFor(comment, ig.command, fps);
  if (mine.length > 0) {
    return {
      text: ignoredAndConcluded(ig.command.text, mine, blocked.length, outcome.conclusion),
      marker: mark(mine.map((f) => f.fingerprint)),
    };
  }
  if (blocked.length > 0) {
    return {
      text: refusal(ig.command.text, fourEyesBlocked(blocked.length, review.verdict.failOn, config)),
      marker: mark([]),
    };
  }
  const elsewhere = review.suppressed.filter((f) => matches(f));
  const why =
    elsewhere.length > 0
      ? alreadySuppressed(elsewhere.length)
      : nothingMatches(describeIgnoreTarget(ig.target, ig.command.path, ig.command.fileLine));
  return { text: refusal(ig.command.text, why), marker: mark([]) };
}

function targetMatches(f: Finding, ig: PendingIgnore): boolean {
  if (ig.target.fingerprint) return f.fingerprint === ig.target.fingerprint;
  if (f.ruleId !== ig.target.ruleId) return false;
  if (ig.command.path !== undefined && f.path !== ig.command.path) return false;
  if (ig.command.fileLine !== undefined && f.line !== ig.command.fileLine) return false;
  return true;
}
