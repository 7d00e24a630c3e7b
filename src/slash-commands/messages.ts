import { distance } from "fastest-levenshtein";
import { escapeInline } from "../report/escape.js";
import { DEFAULT_DOCS_BASE_URL, ruleDocUrl } from "../report/links.js";
import type { Config } from "../review/config.js";
import type { RuleCatalog, RuleMeta } from "../review/rules.js";
import { FAMILIES, type Severity, type SuppressedFinding } from "../review/types.js";
import { IGNORE_SYNTAX } from "./parse.js";

/**
 * The words Tollgate answers with. Everything a commenter typed is escaped
 * before it is echoed, so a reply can never ping people or inject links.
 */

const FAMILY_NAMES: Record<(typeof FAMILIES)[number], string> = {
  docker: "Dockerfiles",
  k8s: "Kubernetes manifests",
  compose: "Docker Compose files",
  tf: "Terraform",
  cfn: "CloudFormation and SAM templates",
  actions: "GitHub Actions workflows",
  ci: "other CI pipelines (GitLab, CircleCI, Jenkins, …)",
  ansible: "Ansible",
  "config-mgmt": "Chef, Puppet, Salt, Vagrant and Packer",
  deps: "dependency manifests and lockfiles",
  secrets: "secrets pasted into any file",
  meta: "changes to Tollgate's own guard rails",
};

/** The severity a rule reports with in this repository, or `off`. */
export function effectiveSeverity(rule: RuleMeta, config: Config): Severity | "off" {
  const setting = config.rules[rule.id] ?? rule.aliases.map((a) => config.rules[a]).find(Boolean);
  if (setting) return setting;
  return rule.severity;
}

export function helpText(catalog: RuleCatalog, config: Config, intro?: string): string {
  const enabled = new Map<string, number>();
  for (const rule of catalog.rules) {
    if (effectiveSeverity(rule, config) === "off") continue;
    enabled.set(rule.family, (enabled.get(rule.family) ?? 0) + 1);
  }
  const families = FAMILIES.filter((f) => enabled.has(f)).map(
    (f) => `- ${FAMILY_NAMES[f]} (${enabled.get(f)} rule${enabled.get(f) === 1 ? "" : "s"}, \`${f}/…\`)`,
  );
  const perm = config.commands["ignore-permission"];
  const author = config.commands["author-ignore-blocking"];
  const fourEyes =
    author === "allowed"
      ? "The pull request's author may ignore any finding on it."
      : author === "never"
        ? `The pull request's author may not ignore findings at or above ${config["fail-on"]} on it; someone else must.`
        : `The pull request's author may not ignore findings at or above ${config["fail-on"]} on it unless they are an admin; someone else must.`;
  return [
    ...(intro ? [intro, ""] : []),
    "**Tollgate** reviews what this pull request changes for security problems in:",
    ...(families.length > 0 ? families : ["- (no rules are enabled)"]),
    "",
    `The \`tollgate\` check fails on a new finding at or above **${config["fail-on"]}**.`,
    "",
    "| Command | Who | What it does |",
    "|---|---|---|",
    "| `/tollgate help` | anyone | this text |",
    "| `/tollgate explain <rule-id>` | anyone | why a rule matters and how to fix it |",
    "| `/tollgate recheck` | author, write | review the current head again |",
    `| \`${IGNORE_SYNTAX}\` | ${perm} or higher | suppress matching findings on this pull request; in a finding's own review thread, \`/tollgate ignore -- <reason>\` suppresses that finding |`,
    `| \`/tollgate unignore <rule-id \\| all>\` | ${perm} or higher | lift suppressions |`,
    "",
    `A reason is required. ${fourEyes} Suppressions are listed in the check run with who, when, why and a link, and keep applying on later pushes while the finding stays the same.`,
  ].join("\n");
}

export function explainText(rule: RuleMeta, config: Config, docsBaseUrl = DEFAULT_DOCS_BASE_URL): string {
  const severity = effectiveSeverity(rule, config);
  const sev =
    severity === "off"
      ? `off here (reports as ${rule["enabled-severity"] ?? "low"} when enabled)`
      : `${severity}${atLeastFailOn(severity, config) ? ` — fails the check (fail-on: ${config["fail-on"]})` : ""}`;
  const refs: string[] = [];
  for (const cwe of rule.references.cwe) {
    refs.push(`[${cwe}](https://cwe.mitre.org/data/definitions/${cwe.slice(4)}.html)`);
  }
  const equivalents = Object.entries(rule.references.equivalents)
    .filter(([, ids]) => ids.length > 0)
    .map(([tool, ids]) => `${tool}: ${ids.map((i) => `\`${i}\``).join(", ")}`);
  const links = rule.references.links.map((l) => `<${l}>`);
  return [
    `### \`${rule.id}\` — ${rule.title}`,
    "",
    `**Severity:** ${sev}`,
    "",
    "**Why it matters**",
    "",
    rule.description.trim(),
    "",
    "**How to fix**",
    "",
    rule.remediation.trim(),
    "",
    `**In one line:** ${rule.fix}`,
    ...(refs.length > 0 ? ["", `**References:** ${refs.join(", ")}`] : []),
    ...(equivalents.length > 0 ? ["", `**Same check elsewhere:** ${equivalents.join("; ")}`] : []),
    ...(links.length > 0 ? ["", ...links.map((l) => `- ${l}`)] : []),
    "",
    `[Full documentation](${ruleDocUrl(rule.id, docsBaseUrl)})`,
  ].join("\n");
}

function atLeastFailOn(severity: Severity, config: Config): boolean {
  const order: Severity[] = ["low", "medium", "high", "critical"];
  return order.indexOf(severity) >= order.indexOf(config["fail-on"]);
}

/** Quotes the command being answered, escaped, so the reply reads on its own. */
export function quoteCommand(text: string): string {
  return `> ${escapeInline(text.slice(0, 300))}`;
}

export function refusal(commandText: string, why: string): string {
  return [quoteCommand(commandText), "", `Not done: ${why} Nothing was changed.`].join("\n");
}

export function unknownRule(id: string, catalog: RuleCatalog): string {
  const close = nearestRuleIds(id, catalog);
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `\`${c}\``).join(" or ")}?` : "";
  return `\`${escapeInline(id.slice(0, 80))}\` is not a Tollgate rule id.${hint}`;
}

/** Rule ids within a few edits of what was typed: enough to catch a typo. */
function nearestRuleIds(id: string, catalog: RuleCatalog): string[] {
  const typed = id.slice(0, 80);
  return [...catalog.byId.keys()]
    .map((r) => ({ r, d: distance(typed, r) }))
    .filter(({ d }) => d <= 3)
    .sort((a, b) => a.d - b.d || a.r.localeCompare(b.r))
    .slice(0, 3)
    .map(({ r }) => r);
}

/** Describes what an ignore did, from the findings the re-run review suppressed with this comment. */
export function ignoredText(
  commandText: string,
  suppressed: readonly SuppressedFinding[],
  blocked: number,
): string {
  const lines = [quoteCommand(commandText), ""];
  const shown = suppressed
    .slice(0, 10)
    .map((f) => `- \`${f.ruleId}\` at \`${escapeInline(f.path)}:${f.line}\` (${f.severity})`);
  lines.push(
    `Suppressed ${suppressed.length} finding${suppressed.length === 1 ? "" : "s"} on this pull request; the \`tollgate\` check has been updated.`,
    ...shown,
  );
  if (suppressed.length > shown.length) lines.push(`- … and ${suppressed.length - shown.length} more`);
  if (blocked > 0) {
    lines.push(
      "",
      `${blocked} matching finding${blocked === 1 ? " is" : "s are"} at or above fail-on and still block${blocked === 1 ? "s" : ""}: the author of a pull request cannot wave through their own blocking findings; someone else with write access must.`,
    );
  }
  return lines.join("\n");
}

/** A review's outcome, as far as a reply talks about it (the app's ReviewOutcome fits). */
export type OutcomeForReply =
  | { kind: "skipped"; reason: string }
  | { kind: "superseded"; by: string }
  | { kind: "completed"; conclusion: string }
  | { kind: "failed"; message: string };

export function recheckText(outcome: OutcomeForReply): string {
  switch (outcome.kind) {
    case "completed":
      return `Reviewed the current head again: the \`tollgate\` check concluded **${outcome.conclusion}**.`;
    case "superseded":
      return `The pull request's head moved to \`${outcome.by.slice(0, 12)}\`; its review is the one that counts.`;
    default:
      return `Recheck: ${outcomeProblem(outcome)}`;
  }
}

export function outcomeProblem(outcome: OutcomeForReply): string {
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

/** An ignore that could not be answered because the review did not complete. */
export function ignoreNotApplied(commandText: string, outcome: OutcomeForReply): string {
  return `${quoteCommand(commandText)}\n\n${outcomeProblem(outcome)} Nothing was suppressed: post the command again once the review has finished.`;
}

export function ignoredAndConcluded(
  commandText: string,
  mine: readonly SuppressedFinding[],
  blocked: number,
  conclusion: string,
): string {
  return `${ignoredText(commandText, mine, blocked)}\n\nThe \`tollgate\` check now concludes **${conclusion}**.`;
}

export function fourEyesRule(config: Config): string {
  const unless = config.commands["author-ignore-blocking"] === "admin" ? " unless they are an admin" : "";
  return `The author cannot ignore their own blocking findings${unless}; someone else with ${config.commands["ignore-permission"]} access must (four eyes).`;
}

/** Why an author's ignore of a rule that always blocks is refused before anything runs. */
export function fourEyesWhy(login: string, ruleId: string, severity: Severity, config: Config): string {
  return `@${login} opened this pull request, and \`${ruleId}\` findings are ${severity}, at or above fail-on (${config["fail-on"]}). ${fourEyesRule(config)}`;
}

/** Why an author's ignore matched only findings at or above fail-on. */
export function fourEyesBlocked(blocked: number, failOn: Severity, config: Config): string {
  return `You opened this pull request, and the ${blocked === 1 ? "finding it matches is" : `${blocked} findings it matches are`} at or above fail-on (${failOn}). ${fourEyesRule(config)}`;
}

export function alreadySuppressed(count: number): string {
  return `The matching finding${count === 1 ? " is" : "s are"} already suppressed by an earlier command.`;
}

export function nothingMatches(described: string): string {
  return `No current finding on this pull request matches ${described}.`;
}

/** What an ignore was about, for "nothing matches". */
export function describeIgnoreTarget(
  target: { fingerprint?: string; ruleId?: string },
  path: string | undefined,
  fileLine: number | undefined,
): string {
  if (target.fingerprint) return "this thread's finding (it is no longer reported)";
  const where =
    path !== undefined ? ` at \`${escapeInline(path)}${fileLine !== undefined ? `:${fileLine}` : ""}\`` : "";
  return `\`${target.ruleId}\`${where}`;
}

export function liftedText(commandText: string, lifted: number): string {
  return lifted > 0
    ? `${quoteCommand(commandText)}\n\nLifted ${lifted} suppression${lifted === 1 ? "" : "s"}; matching findings count again in the \`tollgate\` check.`
    : refusal(commandText, "No active suppression on this pull request matches it.");
}

export function notACommand(typed: string): string {
  return `\`/tollgate ${escapeInline(typed)}\` is not a Tollgate command. Here is what is:`;
}

export function permissionUnknown(login: string, errorText: string): string {
  return `Tollgate could not check @${login}'s permission on this repository (GitHub answered ${escapeInline(errorText)}), so nothing changed. Try again in a moment.`;
}

export function couldNotFinish(message: string): string {
  return `Tollgate could not finish: ${escapeInline(message).slice(0, 300)}. Try \`/tollgate recheck\` in a moment.`;
}

export const CONFIG_PROBLEM_NOTE =
  "_Tollgate's configuration on the default branch is invalid, so these answers use the defaults; the check run lists the problems._";

/** Someone edited another person's command comment: nothing in it is applied. */
export function foreignEditWhy(editor: string, author: string): string {
  return `@${editor} edited @${author}'s comment. Tollgate acts on a comment's commands only as its author wrote them, so nothing in it was applied; @${editor} can post the command in a comment of their own.`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
