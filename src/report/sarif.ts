import { type RuleCatalog, type RuleMeta, ruleCatalog } from "../review/rules.js";
import type { Finding, Review, Severity, SuppressedFinding } from "../review/types.js";
import { TOLLGATE_VERSION } from "../version.js";
import { ruleDocUrl } from "./links.js";
import { visible } from "./visible.js";

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: rule metadata with
 * `security-severity`, results with relative locations and
 * `partialFingerprints`, suppressed findings as results with `suppressions`.
 */

export interface SarifOptions {
  catalog?: RuleCatalog;
  toolVersion?: string;
  docsBaseUrl?: string;
}

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "7.5",
  medium: "5.0",
  low: "2.0",
};
const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};

function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function sarifRule(rule: RuleMeta, docs?: string) {
  const severity: Severity = rule.severity === "off" ? rule["enabled-severity"]! : rule.severity;
  const refs = [
    ...rule.references.cwe,
    ...Object.entries(rule.references.equivalents).map(([tool, ids]) => `${tool}: ${ids.join(", ")}`),
  ];
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.trim() },
    helpUri: ruleDocUrl(rule.id, docs),
    help: {
      text: `${rule.description.trim()}\n\nHow to fix: ${rule.remediation.trim()}`,
      markdown: `${rule.description.trim()}\n\n**How to fix**\n\n${rule.remediation.trim()}${refs.length ? `\n\n**References**: ${refs.join("; ")}` : ""}`,
    },
    defaultConfiguration: { level: LEVEL[severity], enabled: rule.severity !== "off" },
    properties: {
      tags: ["security", rule.family, ...rule.references.cwe.map((c) => `external/cwe/${c.toLowerCase()}`)],
      "security-severity": SECURITY_SEVERITY[severity],
      precision: "high",
    },
  };
}

function result(f: Finding, ruleIndex: number, suppressed?: SuppressedFinding["suppression"]) {
  const region: Record<string, number> = { startLine: f.line };
  if (f.column !== undefined) region.startColumn = f.column;
  if (f.endLine !== undefined) region.endLine = f.endLine;
  if (f.endColumn !== undefined) region.endColumn = f.endColumn;
  const text = f.fix ? `${f.message} Fix: ${f.fix}` : f.message;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    // Code scanning shows message.text to people; locations and fingerprints stay exact.
    message: { text: visible(f.evidence ? `${text} (evidence: ${f.evidence})` : text) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.path), uriBaseId: "%SRCROOT%" },
          region,
        },
      },
    ],
    partialFingerprints: { "tollgate/v1": f.fingerprint },
    properties: { severity: f.severity, "security-severity": SECURITY_SEVERITY[f.severity] },
    ...(suppressed
      ? {
          suppressions: [
            {
              kind: suppressed.kind === "inline" ? "inSource" : "external",
              status: "accepted",
              justification: suppressed.reason,
            },
          ],
        }
      : {}),
  };
}

export function reviewToSarif(review: Review, options: SarifOptions = {}) {
  const catalog = options.catalog ?? ruleCatalog();
  const version = options.toolVersion ?? TOLLGATE_VERSION;
  const used = [...new Set([...review.findings, ...review.suppressed].map((f) => f.ruleId))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  const rules = used.map((id) => sarifRule(catalog.require(id), options.docsBaseUrl));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Tollgate",
            semanticVersion: version,
            version,
            informationUri: "https://github.com/tollgate-app/tollgate",
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        results: [
          ...review.findings.map((f) => result(f, index.get(f.ruleId)!)),
          ...review.suppressed.map((f) => result(f, index.get(f.ruleId)!, f.suppression)),
        ],
        invocations: [
          {
            executionSuccessful: !review.errors.some((e) => e.level === "error"),
            toolExecutionNotifications: review.errors.map((e) => ({
              level: e.level === "info" ? "note" : e.level,
              message: { text: visible(e.message) },
              ...(e.path
                ? {
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: { uri: encodeURI(e.path), uriBaseId: "%SRCROOT%" },
                          ...(e.line ? { region: { startLine: e.line } } : {}),
                        },
                      },
                    ],
                  }
                : {}),
            })),
          },
        ],
      },
    ],
  };
}

export function renderSarif(review: Review, options: SarifOptions = {}): string {
  return `${JSON.stringify(reviewToSarif(review, options), null, 2)}\n`;
}
