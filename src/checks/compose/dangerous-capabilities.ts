import { scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { dangerousCapability, normalizeCapability } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { fieldLayers, inherited, serviceAnchor } from "./model.js";

/**
 * Capabilities Docker grants every container unless `cap_drop` removes them:
 * adding one back changes nothing the default did not already allow, so it
 * is not reported here (Kubernetes runtimes differ, which is why the shared
 * list has them).
 */
const DOCKER_DEFAULT_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "NET_RAW",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** `cap_add` of a capability that reaches beyond the container (`SYS_ADMIN`, `ALL`, `NET_ADMIN`, …). */
export const dangerousCapabilities = defineCheck({
  kind: "snapshot",
  name: "compose/dangerous-capabilities",
  families: ["compose"],
  rules: ["compose/dangerous-capabilities"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const layer of fieldLayers(service, "cap_add").reverse()) {
      for (const item of seqItems(service.doc, layer.value)) {
        const written = scalarText(item);
        if (written === undefined) continue;
        const cap = normalizeCapability(written);
        const what = dangerousCapability(cap);
        if (!what || DOCKER_DEFAULT_CAPABILITIES.has(cap) || seen.has(cap)) continue;
        seen.add(cap);
        out.push(
          finding(input, {
            ruleId: "compose/dangerous-capabilities",
            node: item,
            message: `Service \`${service.name}\` adds the \`${cap}\` capability${inherited(service, layer.from)}, which lets it ${what}.`,
            anchor: `${serviceAnchor(service)}/cap_add/${cap}`,
          }),
        );
      }
    }
    return out;
  }),
});
