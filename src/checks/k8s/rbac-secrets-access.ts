import { defineCheck } from "../define.js";
import { at, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { aggregationNote, describeRule, rbacRules } from "./rbac.js";

const READ = new Set(["get", "list", "watch", "*"]);

/**
 * Reading `secrets` (get, list, watch): every credential of the namespace —
 * or of the cluster, in a ClusterRole. A rule limited by `resourceNames` is
 * left alone; `*` resources are `k8s/rbac-wildcard`'s.
 */
export const rbacSecretsAccess = defineCheck({
  kind: "snapshot",
  name: "k8s/rbac-secrets-access",
  families: ["k8s"],
  rules: ["k8s/rbac-secrets-access"],
  run(file) {
    const model = k8sModelOf(file);
    return rbacRules(model).flatMap((rule) => {
      const i = rule.resources.values.indexOf("secrets");
      const verbs = rule.verbs.values.filter((v) => READ.has(v));
      if (i < 0 || verbs.length === 0 || rule.scoped) return [];
      const where =
        rule.role.kind === "ClusterRole" ? "in every namespace it is bound for" : "in its namespace";
      return [
        finding({
          ruleId: "k8s/rbac-secrets-access",
          position: at(model.src, rule.resources.items[i], rule.role.at),
          message: `${describeRule(rule)} can ${verbs.join("/")} Secrets ${where}: every token and password there${aggregationNote(rule.role)}; limit it with \`resourceNames\` to the Secrets it needs.`,
          anchor: `${rule.id}|secrets`,
        }),
      ];
    });
  },
});
