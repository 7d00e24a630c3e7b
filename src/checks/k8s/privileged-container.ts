import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { isTrue, k8sModelOf } from "./model.js";
import { effectiveSetting } from "./security-context.js";

/** `securityContext.privileged: true`: the container has every capability and every host device. */
export const privilegedContainer = defineCheck({
  kind: "snapshot",
  name: "k8s/privileged-container",
  families: ["k8s"],
  rules: ["k8s/privileged-container"],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    return containers.flatMap((c) => {
      const setting = effectiveSetting(c, "privileged");
      if (!setting || !isTrue(setting.value)) return [];
      return [
        finding({
          ruleId: "k8s/privileged-container",
          position: at(src, setting.key, c.at),
          message: `The ${describeContainer(c)} is privileged: it gets every Linux capability and the host's devices, so any code running in it controls the node; remove \`privileged: true\` and add only the capabilities it needs.`,
          anchor: `${c.id}|privileged`,
        }),
      ];
    });
  },
});
