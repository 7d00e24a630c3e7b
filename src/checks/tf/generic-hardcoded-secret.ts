import type { RawFinding } from "../../review/types.js";
import { isSecretName, literalSecret } from "../cloud/secrets.js";
import { defineCheck } from "../define.js";
import { TfBlockView } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * A literal secret under a secret-looking attribute name (`password`,
 * `master_password`, `token`, `private_key`, …) of a resource, data source,
 * provider or module call, nested blocks included. A reference (`var.x`,
 * a random_password, a secrets manager data source) is the fix, not a finding.
 */
export const genericHardcodedSecret = defineCheck({
  kind: "review",
  name: "tf/generic-hardcoded-secret",
  families: ["tf"],
  rules: ["tf/generic-hardcoded-secret"],
  run: onModules((mod) => [
    ...[...mod.resources, ...mod.data].flatMap((r) => inBlock(r, r.address, 0)),
    ...mod.providers.flatMap((p) => inBlock(p, `provider.${p.block.labels[0] ?? ""}`, 0)),
    ...mod.calls.flatMap((m) => inBlock(m, `module.${m.block.labels[0] ?? ""}`, 0)),
  ]),
});

const MAX_NESTING = 8;

/**
 * `isSecretName` by attribute name, remembered: a module repeats a few dozen names thousands of
 * times, and the name's regular expressions were most of this rule's time on a 5 MB `.tf.json`.
 * Cleared when full, so distinct names an input invents cost memory only up to the bound.
 */
const secretNames = new Map<string, boolean>();
const MAX_NAMES = 10_000;

function secretName(name: string): boolean {
  let known = secretNames.get(name);
  if (known === undefined) {
    if (secretNames.size >= MAX_NAMES) secretNames.clear();
    known = isSecretName(name);
    secretNames.set(name, known);
  }
  return known;
}

function inBlock(block: TfBlockView, where: string, depth: number): RawFinding[] {
  const out: RawFinding[] = [];
  for (const a of block.block.body.attributes) {
    if (a.expr.kind !== "literal" || typeof a.expr.value !== "string" || !secretName(a.name)) continue;
    const secret = literalSecret(a.name, a.expr.value);
    if (!secret) continue;
    out.push(
      tfFinding(
        "tf/generic-hardcoded-secret",
        { path: block.path, line: a.line },
        `${where}:${a.name}:${secret.digest}`,
        `${where} has a literal secret in ${a.name}: it is in the repository and in the state for anyone who can read either.`,
        secret.evidence,
      ),
    );
  }
  if (depth >= MAX_NESTING) return out;
  for (const nested of block.block.body.blocks) {
    out.push(
      ...inBlock(new TfBlockView(block.mod, block.path, nested), `${where}.${nested.type}`, depth + 1),
    );
  }
  return out;
}
