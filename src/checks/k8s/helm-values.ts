import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { YamlSource } from "../../formats/yaml.js";
import { scalarText } from "../../formats/yaml.js";
import type { RawFinding, RuleId } from "../../review/types.js";
import { dangerousCapability, normalizeCapability } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { at, finding } from "./findings.js";
import { isTrue, k8sModelOf } from "./model.js";

/**
 * A Helm chart's `values.yaml` (and `values-*.yaml`) decides what its
 * templates render, and Tollgate never runs Helm: the values that feed a pod's
 * security are checked as values, by the conventional key names charts use
 * (`securityContext`, `podSecurityContext`, `containerSecurityContext`,
 * `hostNetwork`, `image.tag`). Only what is written is reported — a value a
 * template may default is not known — so nothing here is a "missing" finding.
 */

const RULES: RuleId[] = [
  "k8s/privileged-container",
  "k8s/allow-privilege-escalation",
  "k8s/run-as-root",
  "k8s/host-namespaces",
  "k8s/dangerous-capabilities",
  "k8s/unpinned-image",
];

/** Values read; a values file larger than this is not one a person maintains by hand. */
const MAX_NODES = 50_000;

export const helmValues = defineCheck({
  kind: "snapshot",
  name: "k8s/helm-values",
  families: ["k8s"],
  rules: RULES,
  run(file) {
    if (!/(^|\/)values(-[^/]*)?\.ya?ml$/i.test(file.path)) return [];
    const { src } = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const doc of src.documents) {
      if (doc.errors.length > 0) continue;
      walk(doc.contents as Node | null, (pair, path) => out.push(...judge(src, pair, path)));
    }
    return out;
  },
});

/** Every key/value pair with its key path, iteratively and bounded; aliases are not followed. */
function walk(root: Node | null, visit: (pair: Pair, path: string[]) => void): void {
  const stack: Array<{ node: unknown; path: string[] }> = [{ node: root, path: [] }];
  let budget = MAX_NODES;
  while (stack.length > 0 && budget-- > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = scalarText(pair.key);
        if (key === undefined) continue;
        visit(pair as Pair, [...path, key]);
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        stack.push({ node: item, path: [...path, String(i)] });
      });
    }
  }
}

const SECURITY_CONTEXT = /securitycontext$/i;

function judge(src: YamlSource, pair: Pair, path: string[]): RawFinding[] {
  const key = path[path.length - 1]!;
  const parent = path[path.length - 2] ?? "";
  const value = pair.value as Node | null;
  const where = path.join(".");
  const keyNode = pair.key as Node;
  const position = at(src, keyNode, { line: 1, column: 1 });
  const anchor = `values:${where}`;
  const make = (ruleId: RuleId, message: string) => [finding({ ruleId, position, message, anchor })];
  const inContext = SECURITY_CONTEXT.test(parent);
  if (inContext && key === "privileged" && isTrue(value ?? undefined))
    return make(
      "k8s/privileged-container",
      `The Helm value \`${where}: true\` makes the chart's container privileged: every capability and the node's devices; set it to \`false\`.`,
    );
  if (inContext && key === "allowPrivilegeEscalation" && isTrue(value ?? undefined))
    return make(
      "k8s/allow-privilege-escalation",
      `The Helm value \`${where}: true\` lets the chart's container gain privileges through setuid binaries; set it to \`false\`.`,
    );
  if (inContext && key === "runAsUser" && isScalar(value) && Number(value.value) === 0)
    return make(
      "k8s/run-as-root",
      `The Helm value \`${where}: 0\` runs the chart's container as root; use a non-zero user.`,
    );
  if (/^host(Network|PID|IPC)$/.test(key) && isTrue(value ?? undefined))
    return make(
      "k8s/host-namespaces",
      `The Helm value \`${where}: true\` puts the chart's pods in the node's ${key.slice(4)} namespace; set it to \`false\` unless this is a node agent.`,
    );
  if (key === "tag" && /image$/i.test(parent) && scalarText(value)?.toLowerCase() === "latest")
    return make(
      "k8s/unpinned-image",
      `The Helm value \`${where}: latest\` deploys whatever was pushed last; pin a version (an empty tag lets the chart use its appVersion).`,
    );
  if (key === "add" && parent === "capabilities" && isSeq(value)) {
    return value.items.flatMap((item) => {
      const name = scalarText(item);
      const why = name === undefined ? undefined : dangerousCapability(name);
      if (!why) return [];
      const cap = normalizeCapability(name!);
      return [
        finding({
          ruleId: "k8s/dangerous-capabilities",
          position: at(src, item as Node, position),
          message: `The Helm value \`${where}\` adds \`${cap}\` to the chart's container: ${why}.`,
          anchor: `${anchor}:${cap}`,
        }),
      ];
    });
  }
  return [];
}
