import { isPlaceholderValue } from "./detector.js";

/**
 * Values shaped like a credential that are not one: documentation examples,
 * masked or templated values, keyboard runs. A strong provider format says
 * "this is a token"; these say "but nobody could use it".
 */

/** AWS documents its example keys with this suffix; most vendors' docs do the same. */
const DOC_MARKER =
  /EXAMPLE|example|SAMPLE|sample|PLACEHOLDER|placeholder|DUMMY|dummy|REDACTED|redacted|your[_-]?|YOUR[_-]?/;

/** Eight of the same character (`xxxxxxxx`, `00000000`, `********`) is a mask, not randomness. */
const REPEATED_RUN = /(.)\1{7}/;

/** Template or variable syntax anywhere inside the value. */
const TEMPLATE = /\$\{|\{\{|\$\(|<[A-Za-z_][^>]*>|%[A-Za-z_]+%|\{[A-Za-z_]+\}/;

const ASCENDING_RUNS = ["abcdefgh", "bcdefghi", "01234567", "12345678", "23456789", "qwertyui", "asdfghjk"];
const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/** Characters of `lower` inside an ascending (`abcd`, `1234`) or keyboard-row (`qwer`) run of at least 4. */
function runCoverage(lower: string): number {
  let covered = 0;
  let start = 0;
  const close = (end: number) => {
    if (end - start >= 4) covered += end - start;
  };
  for (let i = 1; i <= lower.length; i++) {
    const prev = lower.charCodeAt(i - 1);
    const cur = i < lower.length ? lower.charCodeAt(i) : -1;
    const sameClass = isDigit(prev) === isDigit(cur) && isAlnum(cur) && isAlnum(prev);
    const ascending = sameClass && cur === prev + 1;
    const keyboard = sameClass && KEYBOARD_ROWS.some((row) => row.includes(lower.slice(i - 1, i + 1)));
    if (!ascending && !keyboard) {
      close(i);
      start = i;
    }
  }
  return covered;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAlnum(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 122);
}

/**
 * A keyboard run in the random part of a token (`ghp_…abcdefgh…`) is a made-up
 * value: eight ascending characters do not happen by chance. Numeric id
 * segments are different: Slack's `xoxb-<team id>-<user id>-<random>` ids are
 * counters, and counters contain `12345678`. A run there only counts when
 * runs are most of the whole token (`my-api-key-12345678`, `12345678`).
 */
function hasKeyboardRun(value: string): boolean {
  const lower = value.toLowerCase();
  if (!ASCENDING_RUNS.some((run) => lower.includes(run))) return false;
  const segments = lower.split(/[-_.:/]/);
  if (segments.some((s) => !/^\d+$/.test(s) && ASCENDING_RUNS.some((run) => s.includes(run)))) return true;
  const alnum = lower.replace(/[^a-z0-9]/g, "").length;
  return runCoverage(lower) * 2 >= alnum;
}

/**
 * For values a provider pattern matched: masks, templates, documented examples
 * and keyboard runs are placeholders; everything else is treated as real.
 */
export function isPlaceholderSecret(secret: string): boolean {
  if (isPlaceholderValue(secret)) return true;
  if (DOC_MARKER.test(secret)) return true;
  if (REPEATED_RUN.test(secret)) return true;
  if (TEMPLATE.test(secret)) return true;
  return hasKeyboardRun(secret);
}

/** Passwords that only ever mean "fill this in" or a local default nobody guards. */
const PLACEHOLDER_PASSWORDS = new Set([
  "pass",
  "password",
  "passwd",
  "pwd",
  "secret",
  "changeme",
  "changeit",
  "change_me",
  "admin",
  "root",
  "user",
  "username",
  "test",
  "testing",
  "guest",
  "postgres",
  "mysql",
  "redis",
  "mongo",
  "rabbitmq",
  "example",
  "sample",
  "dummy",
  "placeholder",
  "foo",
  "bar",
  "foobar",
  "token",
  "xxx",
  "x",
  "p",
  "pw",
]);

/**
 * A password made only of the words that say what it is (`authpassword`,
 * `mysecretpassword`, `db_pass_1`): a sample. Only the whole value counts, so
 * a real password that happens to contain one (`S3cr3tPassw0rd9`) is reported.
 */
const SAYS_WHAT_IT_IS =
  /^(?:(?:my|your|the|some|auth|db|app|admin|user|super|very|default|dev|local|test|prod|root|api|change|me|secret|secure|strong|pass(?:word|wd|phrase)?|pwd|pw)[-_.]?){1,6}\d{0,3}$/i;

/**
 * The password part of `scheme://user:password@host`: a placeholder when it is
 * a template, a mask, a well-known default, or simply the user name again.
 */
export function isPlaceholderPassword(password: string, user: string): boolean {
  const p = safeDecode(password);
  if (p.length < 3) return true;
  if (PLACEHOLDER_PASSWORDS.has(p.toLowerCase())) return true;
  if (p.toLowerCase() === safeDecode(user).toLowerCase()) return true;
  if (SAYS_WHAT_IT_IS.test(p)) return true;
  if (/^[*x.•-]+$/i.test(p)) return true;
  if (/^\$[A-Za-z_]/.test(p) || TEMPLATE.test(p)) return true;
  return isPlaceholderSecret(p);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Credentials that are public by design, by the sha256 of their value (so the
 * value itself is not in this repository): they unlock nothing anybody guards.
 */
const PUBLIC_SECRET_HASHES = new Set([
  // The Azurite / Azure Storage Emulator account key of `devstoreaccount1`, printed in Microsoft's docs.
  "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",
]);

export function isPublicSecret(hash: string): boolean {
  return PUBLIC_SECRET_HASHES.has(hash);
}
