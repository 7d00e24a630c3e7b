import type { Node } from "yaml";
import { mapEntries, mapEntry, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, describeContainer, describeObject, finding } from "./findings.js";
import { k8sModelOf, type PodSpec } from "./model.js";
import { containerSecurityContext, effectiveSetting, podSecurityContext } from "./security-context.js";

const RULE = "k8s/unconfined-profile";

/**
 * The kernel's guard rails switched off: seccomp or AppArmor `Unconfined`
 * (fields or the legacy annotations), `procMount: Unmasked`, and sysctls
 * outside Kubernetes' safe set. A missing seccomp profile is not reported:
 * the runtime default applies on current clusters.
 */
export const unconfinedProfile = defineCheck({
  kind: "snapshot",
  name: "k8s/unconfined-profile",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const model = k8sModelOf(file);
    const { src } = model;
    const out: RawFinding[] = [];
    for (const c of model.containers) {
      const { doc } = c.pod.manifest;
      for (const field of ["seccompProfile", "appArmorProfile"]) {
        const s = effectiveSetting(c, field);
        const type = mapEntry(doc, s?.value, "type");
        if (!s || scalarText(type?.value) !== "Unconfined") continue;
        // Pod-level profiles are reported once per pod below, not per container.
        if (s.level === "pod") continue;
        out.push(
          finding({
            ruleId: RULE,
            position: at(src, type!.keyNode, c.at),
            message: `The ${describeContainer(c)} runs with ${field === "seccompProfile" ? "seccomp" : "AppArmor"} \`Unconfined\`: every system call (or file and capability use) the kernel allows is open to it; use \`RuntimeDefault\` or a custom profile.`,
            anchor: `${c.id}|${field}:Unconfined`,
          }),
        );
      }
      const proc = mapEntry(doc, containerSecurityContext(c), "procMount");
      if (proc && scalarText(proc.value) === "Unmasked") {
        out.push(
          finding({
            ruleId: RULE,
            position: at(src, proc.keyNode, c.at),
            message: `The ${describeContainer(c)} sets \`procMount: Unmasked\`: the node's /proc is visible unmasked, which helps an escape; remove it.`,
            anchor: `${c.id}|procMount:Unmasked`,
          }),
        );
      }
    }
    for (const pod of model.pods) out.push(...podLevel(pod));
    return out;
  },
});

/** Kubernetes' safe sysctls (namespaced, isolated): anything else needs the kubelet's allow-list for a reason. */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

function podLevel(pod: PodSpec): RawFinding[] {
  const { doc, src, id } = pod.manifest;
  const out: RawFinding[] = [];
  const context = podSecurityContext(pod);
  for (const field of ["seccompProfile", "appArmorProfile"]) {
    const type = mapEntry(doc, mapGet(doc, context, field), "type");
    if (scalarText(type?.value) !== "Unconfined") continue;
    out.push(
      finding({
        ruleId: RULE,
        position: at(src, type!.keyNode, pod.manifest.at),
        message: `${describeObject(pod.manifest)} runs its pods with ${field === "seccompProfile" ? "seccomp" : "AppArmor"} \`Unconfined\`; use \`RuntimeDefault\` or a custom profile.`,
        anchor: `${id}|pod.${field}:Unconfined`,
      }),
    );
  }
  for (const sysctl of seqItems(doc, mapGet(doc, context, "sysctls"))) {
    const nameEntry = mapEntry(doc, sysctl, "name");
    const name = scalarText(nameEntry?.value);
    if (name === undefined || SAFE_SYSCTLS.has(name)) continue;
    out.push(
      finding({
        ruleId: RULE,
        position: at(src, nameEntry!.value, pod.manifest.at),
        message: `${describeObject(pod.manifest)} sets the sysctl \`${name}\`, which is not in Kubernetes' safe set: it may change the node's kernel for every pod on it.`,
        anchor: `${id}|sysctl:${name}`,
      }),
    );
  }
  for (const e of mapEntries(doc, mapGet(doc, pod.metadata, "annotations"))) {
    const value = scalarText(e.value)?.toLowerCase();
    if (value !== "unconfined") continue;
    if (
      !/^(seccomp\.security\.alpha\.kubernetes\.io\/|container\.(apparmor|seccomp)\.security\.(alpha|beta)\.kubernetes\.io\/)/.test(
        e.key,
      )
    )
      continue;
    out.push(
      finding({
        ruleId: RULE,
        position: at(src, e.keyNode as Node, pod.manifest.at),
        message: `${describeObject(pod.manifest)} is annotated \`${e.key}: unconfined\`: the kernel's ${e.key.includes("apparmor") ? "AppArmor" : "seccomp"} filter is off; use \`runtime/default\` or a profile.`,
        anchor: `${id}|annotation:${e.key}`,
      }),
    );
  }
  return out;
}
