import { createHash } from "node:crypto";
import { redactSecret } from "../../review/redact.js";
import { isSecretAssignment, isSecretName } from "../secrets/detector.js";
import { isPlaceholderSecret } from "../secrets/placeholders.js";
import { type CloudValue, knownString } from "./value.js";

/**
 * Literal secrets in cloud resource properties and attributes, decided by the
 * secrets family's shared detector (one definition of "looks like a secret")
 * and shown only in its redacted form.
 */

export { isSecretName };

export interface LiteralSecret {
  /** `Name=abcd…(24 chars)`: never the value. */
  evidence: string;
  /** A short digest of the value, for anchors that must change when the secret does. */
  digest: string;
}

/** Interpolation left in a string (`${Var}`, `{{resolve:…}}`): the value is assembled elsewhere, not written here. */
const INTERPOLATED = /\$\{|\{\{\s*resolve:/;

/**
 * A known, literal, non-placeholder value under a secret-looking name; `undefined`
 * for unknown values (a `!Ref`, a Terraform variable), interpolated strings,
 * dynamic references and placeholders.
 */
export function literalSecret(name: string, value: CloudValue | undefined): LiteralSecret | undefined {
  const text = knownString(value);
  if (text === undefined || INTERPOLATED.test(text)) return undefined;
  if (!isSecretAssignment(name, text) || isPlaceholderSecret(text.trim())) return undefined;
  return { evidence: `${name}=${redactSecret(text)}`, digest: secretDigest(text) };
}

/** Is this value written out (a known string with no interpolation) rather than referenced? */
export function isLiteralText(value: CloudValue | undefined): boolean {
  const text = knownString(value);
  return text !== undefined && !INTERPOLATED.test(text);
}

export function secretDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
