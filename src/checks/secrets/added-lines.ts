import { redactSecret } from "../../review/redact.js";
import type { RawFinding, Severity } from "../../review/types.js";
import { lowerSeverity } from "../../review/verdict.js";
import { defineCheck } from "../define.js";
import type { CheckContext, FileChange } from "../types.js";
import { SECRET_RULE_IDS, type SecretMatch, scanLines } from "./scanner.js";
import { isTestPath } from "./test-paths.js";

/**
 * Secrets in the lines a change adds, in any text file of any family. A
 * secret that the same change removes elsewhere in the file was moved, not
 * added; a rotated one (different value) is new.
 */

/** Past this many, a file is a dump of credentials and more comments add nothing. */
const MAX_FINDINGS_PER_FILE = 100;

function severityFor(ruleId: string, ctx: CheckContext, lowered: boolean): Severity | undefined {
  if (!lowered) return undefined;
  const meta = ctx.catalog.get(ruleId);
  if (!meta) return undefined;
  const base = meta.severity === "off" ? meta["enabled-severity"] : meta.severity;
  return base ? lowerSeverity(base) : undefined;
}

/** "an npm token", "an RSA private key", "an AWS key", but "a GitHub token", "a unique…". */
export function article(label: string): string {
  if (/^(?:npm\b|[FHLMNRSX][A-Z0-9]{1,6}\b)/.test(label)) return "an";
  return /^[aeiou]/i.test(label) && !/^(?:one|use|uni)/i.test(label) ? "an" : "a";
}

export function secretMessage(match: SecretMatch, inTests: boolean): string {
  const what = `${article(match.label)} ${match.label} (${redactSecret(match.secret)})`;
  const where = inTests ? " in a test path" : "";
  return `Adds ${what}${where}. Anyone who can read the repository can use it: revoke and rotate it, then load it from a secret store.`;
}

/** Hashes of the secrets on removed lines, counted, so that a moved secret is not reported as new. */
function removedSecrets(change: FileChange): Map<string, number> {
  const counts = new Map<string, number>();
  if (change.removed.size === 0) return counts;
  for (const m of scanLines(change.removed))
    counts.set(`${m.ruleId}:${m.hash}`, (counts.get(`${m.ruleId}:${m.hash}`) ?? 0) + 1);
  return counts;
}

export const addedSecrets = defineCheck({
  kind: "change",
  name: "secrets/added-lines",
  families: "all",
  rules: SECRET_RULE_IDS,
  linesOnly: true,
  run(change, ctx) {
    if (change.added.size === 0) return [];
    const policy = ctx.config.secrets["test-paths"];
    const inTests = isTestPath(change.path);
    if (inTests && policy === "ignore") return [];
    const lowered = inTests && policy === "lower";

    const matches = scanLines(change.added);
    if (matches.length === 0) return [];
    const moved = removedSecrets(change);

    const out: RawFinding[] = [];
    for (const match of matches) {
      const key = `${match.ruleId}:${match.hash}`;
      const left = moved.get(key) ?? 0;
      if (left > 0) {
        moved.set(key, left - 1);
        continue;
      }
      if (out.length === MAX_FINDINGS_PER_FILE) {
        ctx.note({
          level: "warning",
          path: change.path,
          message: `more than ${MAX_FINDINGS_PER_FILE} secrets added in this file: only the first ${MAX_FINDINGS_PER_FILE} are reported`,
        });
        break;
      }
      const finding: RawFinding = {
        ruleId: match.ruleId,
        line: match.line,
        column: match.column,
        message: secretMessage(match, inTests),
        // The hash of the secret, never the secret: a moved secret keeps its fingerprint, a rotated one gets a new one.
        anchor: `secret:${match.hash}`,
        evidence: redactSecret(match.secret),
      };
      // A key block ends on another line, where the header's end column means nothing.
      if (match.endLine !== undefined) finding.endLine = match.endLine;
      else finding.endColumn = match.endColumn;
      const severity = severityFor(match.ruleId, ctx, lowered);
      if (severity) finding.severity = severity;
      out.push(finding);
    }
    return out;
  },
});
