import type { Node } from "yaml";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { K8sModel, Manifest } from "./model.js";

/**
 * RBAC objects as the API server reads them: the rules of Roles and
 * ClusterRoles, and the role and subjects of (Cluster)RoleBindings. A rule's
 * identity is its normalised content (groups, resources, verbs), so
 * reordering rules or list items is not a change.
 */

export interface RbacRule {
  role: Manifest;
  node: Node;
  apiGroups: ListField;
  resources: ListField;
  verbs: ListField;
  /** The rule is limited to named objects. */
  scoped: boolean;
  /** `Kind/ns/name|rule:groups;resources;verbs`. */
  id: string;
}

export interface ListField {
  values: string[];
  items: Node[];
}

export function rbacRules(model: K8sModel): RbacRule[] {
  const out: RbacRule[] = [];
  for (const role of model.manifests) {
    if (!isRbac(role) || (role.kind !== "Role" && role.kind !== "ClusterRole")) continue;
    const { doc } = role;
    for (const node of seqItems(doc, mapGet(doc, role.node, "rules"))) {
      const apiGroups = listField(role, node, "apiGroups");
      const resources = listField(role, node, "resources");
      const verbs = listField(role, node, "verbs");
      const nonResource = listField(role, node, "nonResourceURLs");
      const sig = [apiGroups, resources, verbs, nonResource]
        .map((f) => [...f.values].sort().join(","))
        .join(";");
      const scoped = listField(role, node, "resourceNames").values.length > 0;
      out.push({ role, node, apiGroups, resources, verbs, scoped, id: `${role.id}|rule:${sig}` });
    }
  }
  return out;
}

function listField(role: Manifest, rule: Node, key: string): ListField {
  const items = seqItems(role.doc, mapGet(role.doc, rule, key));
  const values: string[] = [];
  const kept: Node[] = [];
  for (const item of items) {
    const v = scalarText(item);
    if (v === undefined) continue;
    values.push(v);
    kept.push(item);
  }
  return { values, items: kept };
}

export function isRbac(m: Manifest): boolean {
  return m.apiVersion.startsWith("rbac.authorization.k8s.io/");
}

/** The built-in roles a ClusterRole's rules are added to by its aggregation labels (`aggregate-to-view`, …). */
export function aggregatedInto(role: Manifest): string[] {
  const labels = mapGet(role.doc, mapGet(role.doc, role.node, "metadata"), "labels");
  return mapEntries(role.doc, labels)
    .filter((e) => scalarText(e.value) === "true")
    .flatMap((e) => {
      const m = /^rbac\.authorization\.k8s\.io\/aggregate-to-(admin|edit|view)$/.exec(e.key);
      return m ? [m[1]!] : [];
    });
}

/** ", and its rules are added to the built-in `view` role" for an aggregated role, else "". */
export function aggregationNote(role: Manifest): string {
  const into = aggregatedInto(role);
  return into.length === 0
    ? ""
    : ` (its rules are aggregated into the built-in ${into.map((r) => `\`${r}\``).join(", ")} role${into.length > 1 ? "s" : ""}, so everyone bound to ${into.length > 1 ? "them" : "it"} gets them too)`;
}

/** `ClusterRole \`x\``, or "a rule of …" with its resources. */
export function describeRule(rule: RbacRule): string {
  const resources = rule.resources.values.length > 0 ? rule.resources.values.join(", ") : "non-resource URLs";
  return `a rule of ${rule.role.kind} \`${rule.role.name}\` (${resources})`;
}
