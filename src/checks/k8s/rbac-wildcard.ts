import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { aggregationNote, describeRule, rbacRules } from "./rbac.js";

/** `*` in a rule's verbs, resources or API groups: it grants whatever exists now and whatever is added later. */
export const rbacWildcard = defineCheck({
  kind: "snapshot",
  name: "k8s/rbac-wildcard",
  families: ["k8s"],
  rules: ["k8s/rbac-wildcard"],
  run(file) {
    const model = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const rule of rbacRules(model)) {
      for (const field of ["verbs", "resources", "apiGroups"] as const) {
        const i = rule[field].values.indexOf("*");
        if (i < 0) continue;
        out.push(
          finding({
            ruleId: "k8s/rbac-wildcard",
            position: at(model.src, rule[field].items[i], rule.role.at),
            message: `\`${field}: ["*"]\` in ${describeRule(rule)} grants every ${field === "verbs" ? "verb" : field === "resources" ? "resource" : "API group"}, including ones added later${aggregationNote(rule.role)}; list exactly what is needed.`,
            anchor: `${rule.id}|*:${field}`,
          }),
        );
      }
    }
    return out;
  },
});
