import type { Node } from "yaml";
import { mapEntry, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { K8sModel, Manifest } from "./model.js";
import { isRbac } from "./rbac.js";

/** A RoleBinding or ClusterRoleBinding: the role it grants and to whom. */
export interface Binding {
  binding: Manifest;
  roleKind: string;
  roleName: string;
  /** The `name:` value under `roleRef`. */
  roleNode: Node | undefined;
  subjects: Array<{ kind: string; name: string; node: Node }>;
}

export function bindingsOf(model: K8sModel): Binding[] {
  const out: Binding[] = [];
  for (const m of model.manifests) {
    if (!isRbac(m) || (m.kind !== "RoleBinding" && m.kind !== "ClusterRoleBinding")) continue;
    const { doc } = m;
    const roleRef = mapGet(doc, m.node, "roleRef");
    const nameEntry = mapEntry(doc, roleRef, "name");
    const subjects = seqItems(doc, mapGet(doc, m.node, "subjects")).flatMap((node) => {
      const name = scalarText(mapGet(doc, node, "name"));
      const kind = scalarText(mapGet(doc, node, "kind")) ?? "";
      const nameNode = mapEntry(doc, node, "name")?.value;
      return name === undefined || !nameNode ? [] : [{ kind, name, node: nameNode }];
    });
    out.push({
      binding: m,
      roleKind: scalarText(mapGet(doc, roleRef, "kind")) ?? "",
      roleName: scalarText(nameEntry?.value) ?? "",
      roleNode: nameEntry?.value,
      subjects,
    });
  }
  return out;
}
