import type { Severity } from "../../review/types.js";
import type { Workflow } from "./model.js";

/**
 * Which events start a workflow decides what an attacker can reach: these run
 * in the base repository's context with its secrets and a write token, even
 * when a fork's pull request or an outsider's comment starts them.
 *
 * `pull_request_review` and `pull_request_review_comment` are not among them:
 * like `pull_request`, they run a fork's pull request with a read-only
 * `GITHUB_TOKEN` and no secrets (GitHub's "Events that trigger workflows").
 */
export const PRIVILEGED_TRIGGERS: ReadonlySet<string> = new Set([
  "pull_request_target",
  "workflow_run",
  "issue_comment",
  "issues",
  "discussion",
  "discussion_comment",
]);

/** Triggers where a pull request (possibly from a fork) runs the workflow. */
export const PULL_REQUEST_TRIGGERS: ReadonlySet<string> = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
]);

/** Triggers that run a fork's pull request with the base repository's secrets. */
export const DANGEROUS_TRIGGERS: ReadonlySet<string> = new Set(["pull_request_target", "workflow_run"]);

export function triggerNames(wf: Workflow): Set<string> {
  return new Set(wf.triggers.map((t) => t.name));
}

export function hasPrivilegedTrigger(wf: Workflow): boolean {
  return wf.triggers.some((t) => PRIVILEGED_TRIGGERS.has(t.name));
}

export function privilegedTriggerNames(wf: Workflow): string[] {
  return wf.triggers.filter((t) => PRIVILEGED_TRIGGERS.has(t.name)).map((t) => t.name);
}

/**
 * Triggers that run a fork's pull request without secrets and with a
 * read-only token: attacker text still runs code on the runner.
 */
export const UNPRIVILEGED_PR_TRIGGERS: ReadonlySet<string> = new Set([
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "merge_group",
]);

/**
 * Severity of running attacker-controlled text, graded by who can start the
 * workflow: critical with secrets and a write token, high for `pull_request`
 * and the review triggers (a fork gets no secrets and a read-only token, but
 * code still runs on the runner), medium when
 * only people with write access can trigger it (push, workflow_dispatch,
 * schedule). Reusable workflows and composite actions inherit their caller's
 * trigger, which this file cannot see: high.
 */
export function injectionSeverity(wf: Workflow): Severity {
  if (wf.kind !== "workflow") return "high";
  const names = triggerNames(wf);
  if ([...names].some((n) => PRIVILEGED_TRIGGERS.has(n))) return "critical";
  if (names.has("workflow_call") || [...names].some((n) => UNPRIVILEGED_PR_TRIGGERS.has(n))) return "high";
  return "medium";
}

/** A short human description of the riskiest trigger, for messages. */
export function triggerPhrase(wf: Workflow): string {
  if (wf.kind !== "workflow") return "in whatever workflow calls it";
  const privileged = privilegedTriggerNames(wf);
  if (privileged.length > 0)
    return `on \`${privileged[0]}\`, with the repository's secrets and a write token`;
  const pr = wf.triggers.find((t) => UNPRIVILEGED_PR_TRIGGERS.has(t.name) && t.name !== "merge_group");
  if (pr)
    return `on \`${pr.name}\`, on the runner (a fork's pull request gets a read-only token and no secrets)`;
  return "on the runner";
}
