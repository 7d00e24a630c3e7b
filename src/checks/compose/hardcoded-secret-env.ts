import { isMap, isScalar, isSeq, type Node } from "yaml";
import { hasInterpolation } from "../../formats/compose.js";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { literalSecret } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { finding, onServices, type ServiceInput } from "./common.js";
import { fieldLayers, inherited, type Service, serviceAnchor } from "./model.js";

interface Variable {
  name: string;
  value: string | undefined;
  node: Node;
  from: string;
}

/**
 * A secret-looking literal in `environment:` (list or map) or in
 * `build.args`. `${VAR}` is decided at run time and is never a secret here;
 * `env_file:` names files that are not read.
 */
export const hardcodedSecretEnv = defineCheck({
  kind: "snapshot",
  name: "compose/hardcoded-secret-env",
  families: ["compose"],
  rules: ["compose/hardcoded-secret-env"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    for (const v of effective(service, "environment", (n) => n)) out.push(...judge(input, v, "environment"));
    const args = effective(service, "build", (build) => mapGet(service.doc, build, "args"));
    for (const v of args) out.push(...judge(input, v, "build.args"));
    return out;
  }),
});

function judge(input: ServiceInput, v: Variable, where: "environment" | "build.args"): RawFinding[] {
  if (v.value === undefined || hasInterpolation(v.value)) return [];
  const secret = literalSecret(v.name, v.value);
  if (!secret) return [];
  const { service } = input;
  const kind =
    where === "environment"
      ? "environment variable, readable by anyone with the repository and by `docker inspect`"
      : "build argument, recorded in the image history (`docker history`)";
  return [
    finding(input, {
      ruleId: "compose/hardcoded-secret-env",
      node: v.node,
      message: `Service \`${service.name}\` sets \`${v.name}\` to a literal secret in its ${kind}${inherited(service, v.from)}.`,
      anchor: `${serviceAnchor(service)}/${where}/${v.name}/${secret.digest}`,
      evidence: secret.evidence,
      fix:
        where === "environment"
          ? `Use \`${v.name}: \${${v.name}}\` with the value in an untracked \`.env\`, or a Compose \`secrets:\` file; rotate the committed one.`
          : "Pass build secrets with `build.secrets` and `RUN --mount=type=secret`; rotate the committed one.",
    }),
  ];
}

/** The variables a service ends up with along its `extends:` chain: by name, the nearest definition wins. */
function effective(
  service: Service,
  key: string,
  pick: (node: Node | undefined) => Node | undefined,
): Variable[] {
  const byName = new Map<string, Variable>();
  for (const layer of fieldLayers(service, key)) {
    for (const v of variables(service, pick(layer.value), layer.from)) byName.set(v.name, v);
  }
  return [...byName.values()];
}

/** `- NAME=value`, `- NAME` (taken from the shell), or `NAME: value`. */
function variables(service: Service, node: Node | undefined, from: string): Variable[] {
  const out: Variable[] = [];
  if (isSeq(node)) {
    for (const item of seqItems(service.doc, node)) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const eq = text.indexOf("=");
      const name = (eq === -1 ? text : text.slice(0, eq)).trim();
      if (name) out.push({ name, value: eq === -1 ? undefined : text.slice(eq + 1), node: item, from });
    }
  } else if (isMap(node)) {
    for (const e of mapEntries(service.doc, node)) {
      const value = isScalar(e.value) ? scalarText(e.value) : undefined;
      out.push({ name: e.key, value, node: e.keyNode, from });
    }
  }
  return out;
}
