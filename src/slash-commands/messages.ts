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
