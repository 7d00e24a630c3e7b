import { mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { dangerousCapability, normalizeCapability } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { containerSecurityContext } from "./security-context.js";

/** `securityContext.capabilities.add` of `SYS_ADMIN`, `NET_ADMIN`, `ALL`, …: one finding per capability, at its item. */
export const dangerousCapabilities = defineCheck({
  kind: "snapshot",
  name: "k8s/dangerous-capabilities",
  families: ["k8s"],
  rules: ["k8s/dangerous-capabilities"],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const c of containers) {
      const { doc } = c.pod.manifest;
      const add = mapGet(doc, mapGet(doc, containerSecurityContext(c), "capabilities"), "add");
      for (const item of seqItems(doc, add)) {
        const name = scalarText(item);
        const why = name === undefined ? undefined : dangerousCapability(name);
        if (!why) continue;
        const cap = normalizeCapability(name!);
        out.push(
          finding({
            ruleId: "k8s/dangerous-capabilities",
            position: at(src, item, c.at),
            message: `The ${describeContainer(c)} adds the \`${cap}\` capability: ${why}; drop it (and \`drop: [ALL]\`), or add only the narrow capability the program needs.`,
            anchor: `${c.id}|capabilities.add:${cap}`,
            fix: `Remove \`${cap}\` from \`capabilities.add\`.`,
          }),
        );
      }
    }
    return out;
  },
});
