import { defineCheck } from "../define.js";
import { bindingsOf } from "./bindings.js";
import { at, describeObject, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

/** A (Cluster)RoleBinding to `cluster-admin`: full control of the cluster (or the namespace) for its subjects. */
export const clusterAdminBinding = defineCheck({
  kind: "snapshot",
  name: "k8s/cluster-admin-binding",
  families: ["k8s"],
  rules: ["k8s/cluster-admin-binding"],
  run(file) {
    const model = k8sModelOf(file);
    return bindingsOf(model).flatMap((b) => {
      if (b.roleKind !== "ClusterRole" || b.roleName !== "cluster-admin") return [];
      const who = b.subjects.map((s) => `${s.kind} \`${s.name}\``).join(", ") || "its subjects";
      const scope =
        b.binding.kind === "ClusterRoleBinding"
          ? "every resource of the cluster"
          : "everything in its namespace";
      return [
        finding({
          ruleId: "k8s/cluster-admin-binding",
          position: at(model.src, b.roleNode, b.binding.at),
          message: `${describeObject(b.binding)} grants \`cluster-admin\` to ${who}: full control of ${scope}, including its Secrets and RBAC; bind a role with only the verbs and resources needed.`,
          anchor: `${b.binding.id}|roleRef:cluster-admin`,
        }),
      ];
    });
  },
});
