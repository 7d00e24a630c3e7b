import { mapEntry } from "../../formats/yaml.js";
import { defineCheck } from "../define.js";
import { at, describeObject, finding } from "./findings.js";
import { isFalse, k8sModelOf } from "./model.js";

/**
 * Off by default: a pod that does not set `automountServiceAccountToken:
 * false` gets an API token mounted, which most workloads never use.
 */
export const serviceAccountTokenAutomount = defineCheck({
  kind: "snapshot",
  name: "k8s/service-account-token-automount",
  families: ["k8s"],
  rules: ["k8s/service-account-token-automount"],
  run(file) {
    const { pods, src } = k8sModelOf(file);
    return pods.flatMap((pod) => {
      if (pod.partial) return [];
      const entry = mapEntry(pod.manifest.doc, pod.node, "automountServiceAccountToken");
      if (entry && isFalse(entry.value)) return [];
      return [
        finding({
          ruleId: "k8s/service-account-token-automount",
          position: entry ? at(src, entry.keyNode, pod.manifest.at) : pod.manifest.at,
          message: `${describeObject(pod.manifest)} mounts a Kubernetes API token into its pods; set \`automountServiceAccountToken: false\` unless they call the API.`,
          anchor: `${pod.manifest.id}|automountServiceAccountToken`,
        }),
      ];
    });
  },
});
