import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { aggregationNote, describeRule, rbacRules } from "./rbac.js";

const VERBS: Readonly<Record<string, string>> = {
  escalate: "grant itself permissions it does not have",
  bind: "bind any role, including cluster-admin, to itself",
  impersonate: "act as any user, group or service account",
};

const SUBRESOURCES: Readonly<Record<string, string>> = {
  "pods/exec": "run commands in any pod it can see, with that pod's service account",
  "pods/attach": "attach to running containers",
  "nodes/proxy": "talk to the kubelet API directly, which runs commands in any pod of the node",
};

/** escalate, bind, impersonate, and exec/attach/proxy subresources: ways to become someone with more rights. */
export const rbacPrivilegeEscalationVerbs = defineCheck({
  kind: "snapshot",
  name: "k8s/rbac-privilege-escalation-verbs",
  families: ["k8s"],
  rules: ["k8s/rbac-privilege-escalation-verbs"],
  run(file) {
    const model = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const rule of rbacRules(model)) {
      rule.verbs.values.forEach((verb, i) => {
        const what = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
        if (!what) return;
        out.push(
          finding({
            ruleId: "k8s/rbac-privilege-escalation-verbs",
            position: at(model.src, rule.verbs.items[i], rule.role.at),
            message: `The \`${verb}\` verb in ${describeRule(rule)} lets its holder ${what}${aggregationNote(rule.role)}.`,
            anchor: `${rule.id}|verb:${verb}`,
          }),
        );
      });
      if (rule.verbs.values.length === 0) continue;
      rule.resources.values.forEach((resource, i) => {
        const what = Object.hasOwn(SUBRESOURCES, resource) ? SUBRESOURCES[resource] : undefined;
        if (!what) return;
        out.push(
          finding({
            ruleId: "k8s/rbac-privilege-escalation-verbs",
            position: at(model.src, rule.resources.items[i], rule.role.at),
            message: `\`${resource}\` in ${describeRule(rule)} lets its holder ${what}${aggregationNote(rule.role)}.`,
            anchor: `${rule.id}|resource:${resource}`,
          }),
        );
      });
    }
    return out;
  },
});
