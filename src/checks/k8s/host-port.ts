import { mapEntry, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

/** `ports[].hostPort`: the container listens on the node's own address, past NetworkPolicies and Services. */
export const hostPort = defineCheck({
  kind: "snapshot",
  name: "k8s/host-port",
  families: ["k8s"],
  rules: ["k8s/host-port"],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const c of containers) {
      const { doc } = c.pod.manifest;
      for (const port of seqItems(doc, mapGet(doc, c.node, "ports"))) {
        const entry = mapEntry(doc, port, "hostPort");
        const value = scalarText(entry?.value);
        if (!entry || value === undefined || Number(value) === 0) continue;
        out.push(
          finding({
            ruleId: "k8s/host-port",
            position: at(src, entry.keyNode, c.at),
            message: `The ${describeContainer(c)} binds port ${value} on the node itself (\`hostPort\`): it is reachable at the node's address, outside the Service and most NetworkPolicies, and pins the pod to nodes where the port is free; expose it through a Service instead.`,
            anchor: `${c.id}|hostPort:${value}`,
          }),
        );
      }
    }
    return out;
  },
});
