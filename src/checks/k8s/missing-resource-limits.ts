import { mapGet } from "../../formats/yaml.js";
import { defineCheck } from "../define.js";
import { describeContainer, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

/** Off by default: a container without CPU and memory limits can starve its node's other pods. */
export const missingResourceLimits = defineCheck({
  kind: "snapshot",
  name: "k8s/missing-resource-limits",
  families: ["k8s"],
  rules: ["k8s/missing-resource-limits"],
  run(file) {
    const { containers } = k8sModelOf(file);
    return containers.flatMap((c) => {
      if (c.pod.partial || c.group === "ephemeralContainers") return [];
      const { doc } = c.pod.manifest;
      const limits = mapGet(doc, mapGet(doc, c.node, "resources"), "limits");
      const missing = ["cpu", "memory"].filter((r) => mapGet(doc, limits, r) === undefined);
      if (missing.length === 0) return [];
      return [
        finding({
          ruleId: "k8s/missing-resource-limits",
          position: c.at,
          message: `The ${describeContainer(c)} has no ${missing.join(" or ")} limit: one runaway process can starve the node's other pods.`,
          anchor: `${c.id}|limits:${missing.join(",")}`,
        }),
      ];
    });
  },
});
