import { isMap, isScalar, type Node } from "yaml";
import { mapEntries, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { fieldLayers, inherited, serviceAnchor } from "./model.js";

/** What each option turns off. Docker accepts `:` and `=` between the option and its value. */
const UNCONFINED: Readonly<Record<string, string>> = {
  "seccomp=unconfined":
    "turns off the seccomp filter, so every system call (mount, kexec, bpf, …) reaches the host kernel",
  "apparmor=unconfined": "turns off the AppArmor profile that confines the container",
  "label=disable": "turns off SELinux separation of the container",
  "systempaths=unconfined": "unmasks `/proc` and `/sys` paths that the runtime hides from containers",
};

/** `security_opt:` entries that switch off seccomp, AppArmor, SELinux or masked paths. */
export const unconfinedSecurityOpt = defineCheck({
  kind: "snapshot",
  name: "compose/unconfined-security-opt",
  families: ["compose"],
  rules: ["compose/unconfined-security-opt"],
  run: onServices((input) => {
    const { service } = input;
    const seen = new Set<string>();
    const out: RawFinding[] = [];
    // Later layers (the service itself) first, so the line is the one closest to the service.
    for (const layer of fieldLayers(service, "security_opt").reverse()) {
      for (const item of seqItems(service.doc, layer.value)) {
        const option = optionOf(service.doc, item);
        if (!option || seen.has(option.normalised)) continue;
        const what = Object.hasOwn(UNCONFINED, option.normalised) ? UNCONFINED[option.normalised] : undefined;
        if (!what) continue;
        seen.add(option.normalised);
        out.push(
          finding(input, {
            ruleId: "compose/unconfined-security-opt",
            node: item,
            message: `Service \`${service.name}\` sets \`security_opt: ${option.written}\`${inherited(service, layer.from)}, which ${what}.`,
            anchor: `${serviceAnchor(service)}/security_opt/${option.normalised}`,
          }),
        );
      }
    }
    return out;
  }),
});

/** `seccomp:unconfined`, `seccomp=unconfined`, and the `seccomp: unconfined` a missing quote makes a mapping. */
function optionOf(
  doc: Parameters<typeof seqItems>[0],
  item: Node,
): { written: string; normalised: string } | undefined {
  let written: string | undefined;
  if (isScalar(item)) written = scalarText(item);
  else if (isMap(item)) {
    const [only] = mapEntries(doc, item);
    const value = scalarText(only?.value);
    if (only && value !== undefined) written = `${only.key}:${value}`;
  }
  if (written === undefined) return undefined;
  const m = /^\s*([A-Za-z-]+)\s*[:=]\s*(\S+?)\s*$/.exec(written);
  if (!m) return undefined;
  return { written: written.trim(), normalised: `${m[1]!.toLowerCase()}=${m[2]!.toLowerCase()}` };
}
