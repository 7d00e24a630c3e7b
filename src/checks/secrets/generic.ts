import { isSecretName, shannonEntropy } from "./detector.js";
import { isPlaceholderSecret } from "./placeholders.js";

/**
 * `secrets/generic-high-entropy`: a literal assigned to a secret-named key
 * (`password`, `api_key`, `client_secret`, …) that looks random. No provider
 * format vouches for it, so it is the low-confidence rule: it reports at
 * medium, and it refuses anything that reads like code, a path, a word or a
 * template rather than a credential.
 */

export const GENERIC_RULE_ID = "secrets/generic-high-entropy";

/** Lines without one of these cannot hold a secret-named assignment. */
export const GENERIC_KEYWORDS = [
  "pass",
  "pwd",
  "secret",
  "token",
  "key",
  "credential",
  "auth",
  "dsn",
  "connection",
];

/**
 * `name = value`, `name: value`, `"name": "value"`, `name := value`, `--name=value`.
 * The name starts after a non-name character (so a run is entered at few
 * places) and both runs are bounded: linear time on any input.
 */
export const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?\s{0,5}(?::=|=>|\?=|=|:)\s{0,5}(?<open>["'`]?)(?<value>[^\s"'`,;()[\]{}<>\\=][^\s"'`,;()[\]{}<>\\]{7,199})/g;

/** Names that end like a secret but hold something public or structural. */
const NOT_A_SECRET_NAME =
  /(?:csrf|xsrf|public|page|next|prev|continuation|cursor|pagination|sync|idempotency|cache|sort|partition|primary|foreign|hash)[_.-]?(?:token|key)$|(?:^|[_.-])(?:token|key|secret|password)[_.-]?(?:type|name|id|ids|path|file|url|uri|endpoint|length|len|size|count|field|param|header|prefix|label|ref|env|var|hint|policy|rotation)$/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `settings.API_KEY`, `credentials?.password`, `this.config!.token`. */
const DOTTED_IDENTIFIER = /^[A-Za-z_$#][\w$#]*(?:[?!]?\.[A-Za-z_$#][\w$#]*)+$/;
/** A word and a small number (`token123`, `hunter2`, `existingToken42`): a sample, not randomness. */
const WORD_AND_NUMBER = /^[A-Za-z_-]+\d{1,4}$|^\d{1,4}[A-Za-z_-]+$/;
/** A value that names what it stands for is a sample (`my-secret-token-1`, `apikey_for_tests2`). */
const NAMES_ITSELF = /token|secret|passw|apikey|api_key|api-key|credential/i;
const LETTERS_ONLY = /^[A-Za-z_.-]+$/;
const DIGITS_ONLY = /^[\d.:-]+$/;

/** What an unquoted value may be followed by; anything else means it was code (`f(`, `x[`, `a.b()`). */
const UNQUOTED_END = /^(?:$|[\s,;#}\]])/;

/**
 * Minimum entropy for a value of this length: a short value cannot reach the
 * 3.5 bits gitleaks asks of long ones, so the bar scales with log2(length).
 */
export function entropyThreshold(length: number): number {
  return Math.max(2.5, Math.min(3.5, 0.85 * Math.log2(length)));
}

export interface GenericCandidate {
  secret: string;
  name: string;
  /** 0-based span of the whole assignment and of the value. */
  start: number;
  end: number;
  valueStart: number;
}

/** Unquoted, these open a variable, a YAML tag/alias/anchor or a decorator; quoted, only the variables. */
const UNQUOTED_REFERENCE = /^[$%@&*!~]/;
const QUOTED_REFERENCE = /^(?:\$[A-Za-z_{(]|%[A-Za-z_])/;

/** Credentials are printable ASCII; an ellipsis or an accent means prose. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

function plausibleValue(value: string, quoted: boolean): boolean {
  if (!PRINTABLE_ASCII.test(value)) return false;
  if (isPlaceholderSecret(value)) return false;
  if (LETTERS_ONLY.test(value) || DIGITS_ONLY.test(value)) return false;
  // Without a digit, only a long and very random value counts: this keeps out
  // MIME types, enum names and sentences (`message/global-delivery-status`).
  if (!/\d/.test(value) && (value.length < 20 || shannonEntropy(value) < 4)) return false;
  if (UUID.test(value) || DOTTED_IDENTIFIER.test(value)) return false;
  if (WORD_AND_NUMBER.test(value) || NAMES_ITSELF.test(value)) return false;
  if ((quoted ? QUOTED_REFERENCE : UNQUOTED_REFERENCE).test(value)) return false;
  if (/^\.{0,2}\/|^~\/|:\/\//.test(value)) return false;
  return shannonEntropy(value) >= entropyThreshold(value.length);
}

/** Secret-named assignments of a random-looking literal on one line. */
export function findGenericSecrets(line: string): GenericCandidate[] {
  const out: GenericCandidate[] = [];
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(line); m; m = ASSIGNMENT.exec(line)) {
    const { name, open, value } = m.groups as { name: string; open: string; value: string };
    if (!isSecretName(name) || NOT_A_SECRET_NAME.test(name)) continue;
    const valueStart = m.index + m[0].length - value.length;
    const after = line.slice(valueStart + value.length);
    if (open ? !after.startsWith(open) : !UNQUOTED_END.test(after)) continue;
    if (!plausibleValue(value, open !== "")) continue;
    out.push({ secret: value, name, start: m.index, end: valueStart + value.length, valueStart });
  }
  return out;
}
