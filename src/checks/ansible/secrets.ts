import type { Node } from "yaml";
import { isScalar } from "yaml";
import { scalarText } from "../../formats/yaml.js";
import { isSecretAssignment, isSecretName } from "../secrets/detector.js";
import { hashSecret } from "../secrets/scanner.js";
import { hasJinja, isVaulted, type ModuleArg } from "./model.js";

/**
 * What the two Ansible secret rules share: which names hold secrets (the
 * secrets family's detector decides), and when a value is a literal secret
 * rather than a Vault value, a Jinja expression or a placeholder.
 */

/** Arguments whose names end like a secret but hold a policy, not a secret. */
const NOT_SECRET_ARGS = new Set([
  "update_password",
  "password_lock",
  "password_expire_warn",
  "return_content",
]);

export function isSecretArgName(name: string): boolean {
  return !NOT_SECRET_ARGS.has(name) && isSecretName(name);
}

/** The literal secret a key holds, or undefined: vaulted, templated, a placeholder or not a scalar. */
export function literalSecret(name: string, value: Node | undefined): string | undefined {
  if (!isScalar(value) || isVaulted(value) || NOT_SECRET_ARGS.has(name)) return undefined;
  if (typeof value.value === "boolean" || value.value === null) return undefined;
  const text = scalarText(value);
  if (text === undefined || hasJinja(text)) return undefined;
  return isSecretAssignment(name, text) ? text : undefined;
}

/** The same for a module argument, free-form (`password=…`) included. */
export function literalSecretArg(arg: ModuleArg): string | undefined {
  if (!arg.freeForm) return literalSecret(arg.name, arg.value);
  const text = arg.freeForm.text;
  if (NOT_SECRET_ARGS.has(arg.name) || hasJinja(text)) return undefined;
  return isSecretAssignment(arg.name, text) ? text : undefined;
}

/** A short, stable digest of a secret for anchors: changing the secret is a new finding. */
export function secretDigest(secret: string): string {
  return hashSecret(secret).slice(0, 12);
}
