import { isScalar } from "yaml";
import type { RawFinding, Severity } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { field, inherited, serviceAnchor } from "./model.js";

/**
 * Fields that put a container in one of the host's namespaces, and what it
 * then reaches. `uts` (the hostname) and `cgroup` are graded lower: they
 * widen what a compromise sees, they do not hand it the host.
 */
const NAMESPACES: ReadonlyArray<{ key: string; reach: string; severity?: Severity }> = [
  {
    key: "network_mode",
    reach:
      "the host's network stack: every port bound to localhost on the host, and traffic of other processes",
  },
  { key: "pid", reach: "every process of the host, which it can signal and, with `SYS_PTRACE`, inspect" },
  { key: "ipc", reach: "the host's shared memory and semaphores" },
  { key: "userns_mode", reach: "the host's user namespace, so root in the container is root on the host" },
  { key: "uts", reach: "the host's hostname, which it can change", severity: "medium" },
  { key: "cgroup", reach: "the host's cgroup namespace and its hierarchy", severity: "medium" },
];

/** `network_mode: host`, `pid: host`, `ipc: host`, `userns_mode: host`, `uts: host`, `cgroup: host`. */
export const hostNamespaces = defineCheck({
  kind: "snapshot",
  name: "compose/host-namespaces",
  families: ["compose"],
  rules: ["compose/host-namespaces"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    for (const ns of NAMESPACES) {
      const f = field(service, ns.key);
      if (!f || !isScalar(f.value) || String(f.value.value).trim().toLowerCase() !== "host") continue;
      const spec = {
        ruleId: "compose/host-namespaces" as const,
        node: f.keyNode,
        message: `Service \`${service.name}\` shares the host's namespace with \`${ns.key}: host\`${inherited(service, f.from)}: the container reaches ${ns.reach}.`,
        anchor: `${serviceAnchor(service)}/${ns.key}`,
        fix: `Remove \`${ns.key}: host\`${ns.key === "network_mode" ? " and publish the ports the service needs (bound to 127.0.0.1 when only the host uses them)" : ""}.`,
      };
      out.push(finding(input, ns.severity ? { ...spec, severity: ns.severity } : spec));
    }
    return out;
  }),
});
