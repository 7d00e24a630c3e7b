import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { isFalse, isTrue, k8sModelOf } from "./model.js";
import { containerSecurityContext, effectiveSetting } from "./security-context.js";

const RULE = "k8s/allow-privilege-escalation";
const FIX = "Set `securityContext.allowPrivilegeEscalation: false` on the container.";

/**
 * `allowPrivilegeEscalation` not `false`: a setuid binary or file capability
 * in the image can raise the process above its user. Written `true`, it is
 * medium at the key; left out, it is low at the container's `name:` — and
 * only on a container the change adds (the anchor is the container's, so an
 * existing container without the key is not new). A privileged container is
 * `k8s/privileged-container`'s, and a patch leaves the key to its target.
 */
export const allowPrivilegeEscalation = defineCheck({
  kind: "snapshot",
  name: "k8s/allow-privilege-escalation",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    return containers.flatMap((c) => {
      if (isTrue(effectiveSetting(c, "privileged")?.value)) return [];
      const setting = effectiveSetting(c, "allowPrivilegeEscalation");
      if (setting && isFalse(setting.value)) return [];
      if (setting && isTrue(setting.value)) {
        return [
          finding({
            ruleId: RULE,
            position: at(src, setting.key, c.at),
            message: `The ${describeContainer(c)} sets \`allowPrivilegeEscalation: true\`: a setuid binary in the image can gain privileges its user does not have; set it to \`false\`.`,
            anchor: `${c.id}|allowPrivilegeEscalation:true`,
            fix: FIX,
          }),
        ];
      }
      // A container without any securityContext of its own is one finding (k8s/run-as-root's), not three.
      if (c.pod.partial || !containerSecurityContext(c)) return [];
      return [
        finding({
          ruleId: RULE,
          position: c.at,
          message: `The ${describeContainer(c)} does not set \`allowPrivilegeEscalation: false\`, so a setuid binary in the image can gain privileges its user does not have.`,
          anchor: `${c.id}|allowPrivilegeEscalation:unset`,
          severity: "low",
          fix: FIX,
        }),
      ];
    });
  },
});
