import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { isFalse, isTrue, k8sModelOf } from "./model.js";
import { containerSecurityContext, effectiveSetting, isWindowsPod } from "./security-context.js";

const RULE = "k8s/writable-root-filesystem";
const FIX =
  "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the process must write.";

/**
 * `readOnlyRootFilesystem` not `true`: an intruder can drop tools and change
 * the program in place. Hygiene (low): written `false` it is reported at the
 * key, left out at the container's `name:` — only for containers the change
 * adds, and never in patches or Windows pods.
 */
export const writableRootFilesystem = defineCheck({
  kind: "snapshot",
  name: "k8s/writable-root-filesystem",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    return containers.flatMap((c) => {
      // A privileged container can remount anything: k8s/privileged-container says all there is to say.
      if (isWindowsPod(c.pod) || isTrue(effectiveSetting(c, "privileged")?.value)) return [];
      const setting = effectiveSetting(c, "readOnlyRootFilesystem");
      if (setting && isTrue(setting.value)) return [];
      if (setting && isFalse(setting.value)) {
        return [
          finding({
            ruleId: RULE,
            position: at(src, setting.key, c.at),
            message: `The ${describeContainer(c)} sets \`readOnlyRootFilesystem: false\`: whoever runs code in it can change its programs in place.`,
            anchor: `${c.id}|readOnlyRootFilesystem:false`,
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
          message: `The ${describeContainer(c)} does not set \`readOnlyRootFilesystem: true\`: whoever runs code in it can change its programs in place.`,
          anchor: `${c.id}|readOnlyRootFilesystem:unset`,
          fix: FIX,
        }),
      ];
    });
  },
});
