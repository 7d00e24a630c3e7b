import { createHash } from "node:crypto";
import { redactSecret } from "../../review/redact.js";
import { isSecretAssignment } from "../secrets/detector.js";

/**
 * A literal secret in a container's environment (a pod's `env[].value`, a
 * Compose `environment:` entry, a Kustomize generator literal). The decision
 * is the secrets family's (`isSecretAssignment`), so every family agrees on
 * what a secret-looking name and a placeholder are; the evidence is its
 * redaction, never the value.
 */
export interface LiteralSecret {
  /** `DB_PASSWORD=hunt…(24 chars)`: safe to show. */
  evidence: string;
  /** A digest of the value, for anchors: a changed secret is a new finding, the value never leaves. */
  digest: string;
}

export function literalSecret(name: string, value: string | undefined | null): LiteralSecret | undefined {
  if (value == null || !isSecretAssignment(name, value) || namesItself(name, value)) return undefined;
  return { evidence: `${name}=${redactSecret(value)}`, digest: secretDigest(value) };
}

/** A short digest of a secret value, for anchors: it identifies the value without revealing it. */
export function secretDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * Sample manifests fill secret slots with their own name or a shouted
 * placeholder (`HF_TOKEN: "HF_TOKEN"`, `NGC_API_KEY: "nvapi-NVKEY"`,
 * `YOUR_API_KEY`): no digits, and what is not a vendor prefix is upper case.
 */
function namesItself(name: string, value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, "");
  if (v.toLowerCase().includes(name.toLowerCase())) return true;
  return /^(?:[a-z]+[-_])?[A-Z][A-Z_-]*$/.test(v);
}
