import type { Node } from "yaml";
import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { isFalse, isTrue, k8sModelOf } from "./model.js";
import { containerSecurityContext, effectiveSetting, isWindowsPod } from "./security-context.js";

const RULE = "k8s/run-as-root";
const FIX =
  "Set `runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 10001) in the pod's or the container's `securityContext`.";

/**
 * A container that runs as uid 0, or may: `runAsUser: 0` (medium, at the
 * key), `runAsNonRoot: false` without a non-zero `runAsUser` (medium), or
 * neither `runAsNonRoot: true` nor a non-zero `runAsUser` at pod or container
 * level (low, at the container's `name:`, only for containers the change
 * adds). The image's own `USER` is not known here, which is why a missing
 * setting is low. Windows pods and patches are left alone.
 */
export const runAsRoot = defineCheck({
  kind: "snapshot",
  name: "k8s/run-as-root",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    return containers.flatMap((c) => {
      if (isWindowsPod(c.pod)) return [];
      const user = effectiveSetting(c, "runAsUser");
      const uid = userId(user?.value);
      if (user && uid === 0) {
        return [
          finding({
            ruleId: RULE,
            position: at(src, user.key, c.at),
            message: `The ${describeContainer(c)} runs as root (\`runAsUser: 0\`${user.level === "pod" ? ", from the pod's securityContext" : ""}): a compromise of the process is root in the container, one kernel bug from the node; run it as a non-zero user.`,
            anchor: `${c.id}|runAsUser:0`,
            fix: FIX,
          }),
        ];
      }
      if (uid !== undefined && uid > 0) return [];
      const nonRoot = effectiveSetting(c, "runAsNonRoot");
      if (nonRoot && isTrue(nonRoot.value)) return [];
      if (nonRoot && isFalse(nonRoot.value)) {
        return [
          finding({
            ruleId: RULE,
            position: at(src, nonRoot.key, c.at),
            message: `The ${describeContainer(c)} sets \`runAsNonRoot: false\` and no non-zero \`runAsUser\`, so it runs as root whenever its image does.`,
            anchor: `${c.id}|runAsNonRoot:false`,
            fix: FIX,
          }),
        ];
      }
      if (c.pod.partial) return [];
      const bare = containerSecurityContext(c)
        ? ""
        : "; it has no securityContext at all, so it may also gain privileges through setuid binaries and write to its root filesystem (add one with `runAsNonRoot: true`, `allowPrivilegeEscalation: false` and `readOnlyRootFilesystem: true`)";
      return [
        finding({
          ruleId: RULE,
          position: c.at,
          message: `The ${describeContainer(c)} sets neither \`runAsNonRoot: true\` nor a non-zero \`runAsUser\` (pod or container), so it runs as root whenever its image does${bare}.`,
          anchor: `${c.id}|runAsNonRoot:unset`,
          severity: "low",
          fix: FIX,
        }),
      ];
    });
  },
});

function userId(node: Node | undefined): number | undefined {
  if (!node || !("value" in node)) return undefined;
  const n = Number((node as { value: unknown }).value);
  return Number.isInteger(n) ? n : undefined;
}
