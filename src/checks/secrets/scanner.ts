import { createHash } from "node:crypto";
import type { RuleId } from "../../review/types.js";
import { shannonEntropy } from "./detector.js";
import { ASSIGNMENT, findGenericSecrets, GENERIC_KEYWORDS, GENERIC_RULE_ID } from "./generic.js";
import { isPlaceholderSecret, isPublicSecret } from "./placeholders.js";
import { KeywordPrefilter } from "./prefilter.js";
import { isRealKeyBody, readKeyBlock } from "./private-key.js";
import { PRIVATE_KEY_HEADER, PROVIDER_RULES, type ProviderRule } from "./providers.js";

/**
 * The line scanner every family can reuse: text in, secret matches out.
 * Callers get the raw secret so they can hash and redact it; they must never
 * print it (use `redactSecret`).
 */

export const PRIVATE_KEY_RULE_ID = "secrets/private-key";

/** Every rule id the scanner can report, in priority order. */
export const SECRET_RULE_IDS: readonly RuleId[] = [
  PRIVATE_KEY_RULE_ID,
  ...PROVIDER_RULES.map((r) => r.id),
  GENERIC_RULE_ID,
];

export interface SecretMatch {
  ruleId: RuleId;
  /** What was found, for messages ("GitHub personal access token (classic)"). */
  label: string;
  /** The raw credential. Hash it or redact it; never print it. */
  secret: string;
  /** sha256 hex of the credential's normalised form: the same key anywhere gives the same hash. */
  hash: string;
  /** 1-based. */
  line: number;
  /** 1-based column of the credential's first character. */
  column: number;
  /** 1-based column just after the credential (on `endLine` when set). */
  endColumn: number;
  /** Last line of a multi-line credential (a private key block). */
  endLine?: number;
}

/** Keyword groups: private keys, each provider in table order, then the generic rule. */
const PRIVATE_KEY_KEYWORDS = ["private key"];
const prefilter = new KeywordPrefilter([
  PRIVATE_KEY_KEYWORDS,
  ...PROVIDER_RULES.map((r) => r.keywords),
  GENERIC_KEYWORDS,
]);

/** Lockfile and requirements hashes are long random strings that are public by design. */
const INTEGRITY_HASH =
  /(?<![A-Za-z0-9])(?:sha(?:1|224|256|384|512)-[A-Za-z0-9+/]{20,200}={0,2}|h1:[A-Za-z0-9+/]{40,50}={0,2}|sha(?:1|256|384|512):[a-fA-F0-9]{32,128})/g;

function blankIntegrityHashes(line: string): string {
  if (!line.includes("sha") && !line.includes("h1:")) return line;
  return line.replace(INTEGRITY_HASH, (h) => " ".repeat(h.length));
}

export function hashSecret(identity: string): string {
  return createHash("sha256").update(identity).digest("hex");
}

function labelOf(rule: ProviderRule, secret: string): string {
  return typeof rule.label === "string" ? rule.label : rule.label(secret);
}

interface Span {
  start: number;
  end: number;
}

function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

/** Reads following lines for multi-line credentials; undefined when the line is not part of the input. */
export type NextLine = (offset: number) => string | undefined;

const noNextLine: NextLine = () => undefined;

interface LineResult {
  matches: SecretMatch[];
  /** Lines after this one that a private key block consumed. */
  consumed: number;
}

function scanOneLine(raw: string, lineNo: number, next: NextLine): LineResult {
  const result: LineResult = { matches: [], consumed: 0 };
  if (raw.length < 8 || !prefilter.test(raw)) return result;
  const line = blankIntegrityHashes(raw);
  const wanted = prefilter.groupsIn(line);
  const taken: Span[] = [];
  const push = (span: Span, match: SecretMatch) => {
    taken.push(span);
    result.matches.push(match);
  };

  // Provider rules first, so that the private key inside a service account file is reported as that.
  PROVIDER_RULES.forEach((rule, i) => {
    if (!wanted[i + 1]) return;
    if (rule.requires && !rule.requires(line)) return;
    for (const pattern of rule.patterns) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        const secret = m.groups?.secret ?? m[0];
        const start = m.index;
        const end = m.index + m[0].length;
        if (overlaps(taken, start, end)) continue;
        if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) continue;
        if (rule.accept && !rule.accept(secret, m, line)) continue;
        if (rule.placeholder ? rule.placeholder(secret, m) : isPlaceholderSecret(secret)) continue;
        const hash = hashSecret(rule.normalize ? rule.normalize(secret) : secret);
        if (isPublicSecret(hash)) continue;
        const column = start + m[0].lastIndexOf(secret) + 1;
        push(
          { start, end },
          {
            ruleId: rule.id,
            label: labelOf(rule, secret),
            secret,
            hash,
            line: lineNo,
            column,
            endColumn: column + secret.length,
          },
        );
      }
    }
  });

  if (wanted[0]) {
    PRIVATE_KEY_HEADER.lastIndex = 0;
    for (let m = PRIVATE_KEY_HEADER.exec(line); m; m = PRIVATE_KEY_HEADER.exec(line)) {
      const start = m.index;
      if (overlaps(taken, start, start + m[0].length)) continue;
      const rest = raw.slice(start + m[0].length);
      const block = readKeyBlock(rest, next);
      const kind = m.groups?.kind ?? "";
      if (!isRealKeyBody(kind, m.groups?.block !== undefined, block)) continue;
      result.consumed = Math.max(result.consumed, block.extraLines);
      const match: SecretMatch = {
        ruleId: PRIVATE_KEY_RULE_ID,
        label: `${kind.trim() ? `${kind.trim()} ` : ""}private key`,
        secret: block.body,
        hash: hashSecret(block.body),
        line: lineNo,
        column: start + 1,
        endColumn: start + m[0].length + 1,
      };
      if (block.extraLines > 0) match.endLine = lineNo + block.extraLines;
      // The rest of a one-line block is the key itself: nothing else to find there.
      push({ start, end: block.extraLines > 0 ? line.length : start + m[0].length + rest.length }, match);
    }
  }

  if (wanted[wanted.length - 1]) {
    for (const c of findGenericSecrets(line)) {
      if (overlaps(taken, c.start, c.end)) continue;
      push(
        { start: c.start, end: c.end },
        {
          ruleId: GENERIC_RULE_ID,
          label: `high-entropy value assigned to "${c.name}"`,
          secret: c.secret,
          hash: hashSecret(c.secret),
          line: lineNo,
          column: c.valueStart + 1,
          endColumn: c.valueStart + c.secret.length + 1,
        },
      );
    }
  }
  result.matches.sort((a, b) => a.column - b.column);
  return result;
}

/** Secrets on one line; a private key counts only if its whole block is on that line. */
export function scanLine(line: string, lineNo = 1): SecretMatch[] {
  return scanOneLine(line, lineNo, noNextLine).matches;
}

/**
 * Secrets in numbered lines (e.g. the added lines of a diff). A private key
 * block continues on the following line numbers only when they are present.
 */
export function scanLines(lines: ReadonlyMap<number, string>): SecretMatch[] {
  const out: SecretMatch[] = [];
  let skipUntil = 0;
  for (const [lineNo, text] of lines) {
    if (lineNo <= skipUntil) continue;
    const { matches, consumed } = scanOneLine(text, lineNo, (offset) => lines.get(lineNo + offset));
    out.push(...matches);
    if (consumed > 0) skipUntil = lineNo + consumed;
  }
  return out;
}

/** Secrets in a whole text (every line counts as new). */
export function scanText(text: string): SecretMatch[] {
  const lines = new Map<number, string>();
  text.split("\n").forEach((l, i) => {
    lines.set(i + 1, l.endsWith("\r") ? l.slice(0, -1) : l);
  });
  return scanLines(lines);
}

/** Every regex the scanner runs, for the linear-time (ReDoS) test. */
export function allPatterns(): Array<{
  ruleId: RuleId | "(integrity hashes)";
  pattern: RegExp;
  keywords: readonly string[];
}> {
  return [
    { ruleId: PRIVATE_KEY_RULE_ID, pattern: PRIVATE_KEY_HEADER, keywords: PRIVATE_KEY_KEYWORDS },
    ...PROVIDER_RULES.flatMap((r) =>
      r.patterns.map((pattern) => ({ ruleId: r.id, pattern, keywords: r.keywords })),
    ),
    { ruleId: GENERIC_RULE_ID, pattern: ASSIGNMENT, keywords: GENERIC_KEYWORDS },
    { ruleId: "(integrity hashes)", pattern: INTEGRITY_HASH, keywords: ["sha", "h1:"] },
  ];
}
