import { runtimeSocketOf, sensitiveHostPath } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { at, describeObject, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { hostPathVolumes } from "./volumes.js";

/**
 * A `hostPath` volume of a place that is the node itself (`/`, `/etc`,
 * `/proc`, the kubelet's directory, …). Runtime sockets are
 * `k8s/docker-socket-mount`'s. Mounted read-only everywhere it is mounted,
 * the finding is medium: reading the node is less than writing it.
 */
export const sensitiveHostPathMount = defineCheck({
  kind: "snapshot",
  name: "k8s/sensitive-host-path",
  families: ["k8s"],
  rules: ["k8s/sensitive-host-path"],
  run(file) {
    const model = k8sModelOf(file);
    return hostPathVolumes(model).flatMap((v) => {
      if (runtimeSocketOf(v.path)) return [];
      const why = sensitiveHostPath(v.path);
      if (!why) return [];
      const how = v.readOnly ? "read-only" : "writable";
      return [
        finding({
          ruleId: "k8s/sensitive-host-path",
          position: at(model.src, v.node, v.pod.manifest.at),
          message: `${describeObject(v.pod.manifest)} mounts the node's \`${v.path}\` (volume \`${v.name}\`, ${how}): ${why}; mount only the file or directory it needs, read-only, or use a ConfigMap, Secret or CSI volume instead.`,
          anchor: `${v.pod.manifest.id}|volume:${v.name}|hostPath:${v.path}`,
          ...(v.readOnly ? { severity: "medium" as const } : {}),
        }),
      ];
    });
  },
});
