import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { field, inherited, isTrue, serviceAnchor } from "./model.js";

/** `privileged: true`: every capability, every device, no seccomp or AppArmor — root on the host. */
export const privileged = defineCheck({
  kind: "snapshot",
  name: "compose/privileged",
  families: ["compose"],
  rules: ["compose/privileged"],
  run: onServices((input) => {
    const { service } = input;
    const f = field(service, "privileged");
    if (!f || !isTrue(f.value)) return [];
    return [
      finding(input, {
        ruleId: "compose/privileged",
        node: f.keyNode,
        message: `Service \`${service.name}\` runs privileged${inherited(service, f.from)}: it gets every capability and every host device, without seccomp or AppArmor, so whoever controls the container controls the host.`,
        anchor: `${serviceAnchor(service)}/privileged`,
      }),
    ];
  }),
});
