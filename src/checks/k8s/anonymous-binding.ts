import { defineCheck } from "../define.js";
import { bindingsOf } from "./bindings.js";
import { at, describeObject, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

const SUBJECTS: Readonly<Record<string, string>> = {
  "system:anonymous": "anyone who can reach the API server, without credentials",
  "system:unauthenticated": "every request that carries no credentials",
  "system:masters": "the group that bypasses RBAC entirely, which nothing can revoke",
};

/** Bindings to `system:anonymous`, `system:unauthenticated` or `system:masters`. */
export const anonymousBinding = defineCheck({
  kind: "snapshot",
  name: "k8s/anonymous-binding",
  families: ["k8s"],
  rules: ["k8s/anonymous-binding"],
  run(file) {
    const model = k8sModelOf(file);
    return bindingsOf(model).flatMap((b) =>
      b.subjects.flatMap((s) => {
        const who = Object.hasOwn(SUBJECTS, s.name) ? SUBJECTS[s.name] : undefined;
        if (!who) return [];
        return [
          finding({
            ruleId: "k8s/anonymous-binding",
            position: at(model.src, s.node, b.binding.at),
            message: `${describeObject(b.binding)} grants ${b.roleKind} \`${b.roleName}\` to \`${s.name}\`: ${who}; bind named users, groups or service accounts instead.`,
            anchor: `${b.binding.id}|subject:${s.name}`,
          }),
        ];
      }),
    );
  },
});
