import { mapEntry } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, describeObject, finding } from "./findings.js";
import { isTrue, k8sModelOf } from "./model.js";

const WHAT: Readonly<Record<string, string>> = {
  hostNetwork:
    "the node's network stack: it can bind the node's ports and reach services listening on localhost, including the kubelet's",
  hostPID:
    "the node's process table: it can see and signal every process on the node, and read their environments",
  hostIPC: "the node's IPC namespace: it can read shared memory of every process on the node",
};

/** `hostNetwork`, `hostPID` or `hostIPC` true: the pod shares one of the node's namespaces. */
export const hostNamespaces = defineCheck({
  kind: "snapshot",
  name: "k8s/host-namespaces",
  families: ["k8s"],
  rules: ["k8s/host-namespaces"],
  run(file) {
    const { pods, src } = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const pod of pods) {
      for (const field of Object.keys(WHAT)) {
        const entry = mapEntry(pod.manifest.doc, pod.node, field);
        if (!entry || !isTrue(entry.value)) continue;
        out.push(
          finding({
            ruleId: "k8s/host-namespaces",
            position: at(src, entry.keyNode, pod.manifest.at),
            message: `${describeObject(pod.manifest)} sets \`${field}: true\`, so its pods share ${WHAT[field]}; remove it unless this is a node agent that truly needs it.`,
            anchor: `${pod.manifest.id}|${field}`,
            fix: `Remove \`${field}: true\`.`,
          }),
        );
      }
    }
    return out;
  },
});
