/**
 * Linux capabilities that hand a container a way out of itself or over its
 * host: what Kubernetes' `securityContext.capabilities.add` and Compose's
 * `cap_add` must not grant without a reason. Shared by the k8s and compose
 * families so that both answer the same for the same name.
 */

/** Each dangerous capability, with what it lets the container do (for the message). */
export const DANGEROUS_CAPABILITIES: ReadonlyMap<string, string> = new Map([
  ["ALL", "every capability, which is root on the host in all but name"],
  ["SYS_ADMIN", "mount filesystems and reach the host through cgroups: the usual container escape"],
  ["SYS_MODULE", "load kernel modules into the host kernel"],
  ["SYS_PTRACE", "trace and inject code into other processes"],
  ["SYS_RAWIO", "raw access to devices and I/O ports"],
  ["SYS_BOOT", "reboot the host"],
  ["SYS_TIME", "set the host's clock"],
  ["NET_ADMIN", "reconfigure the network: interfaces, routes, firewall rules"],
  ["NET_RAW", "craft raw packets: spoofing and ARP poisoning of neighbours"],
  ["DAC_READ_SEARCH", "open any file by handle, bypassing permission checks (the shocker escape)"],
  ["DAC_OVERRIDE", "ignore file permissions"],
  ["BPF", "load eBPF programs into the host kernel"],
  ["PERFMON", "observe every process through performance monitoring"],
  ["MAC_ADMIN", "change the host's mandatory access control (AppArmor, SELinux)"],
  ["MAC_OVERRIDE", "bypass mandatory access control"],
  ["SYSLOG", "read kernel messages and addresses"],
  ["MKNOD", "create device nodes"],
  ["SETFCAP", "grant capabilities to files"],
  ["LINUX_IMMUTABLE", "change immutable files"],
  ["CHECKPOINT_RESTORE", "checkpoint and restore other processes"],
]);

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` name one capability: `SYS_ADMIN`. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, "");
}

/** What a dangerous capability allows, or `undefined` for one that is not (`NET_BIND_SERVICE`, `CHOWN`). */
export function dangerousCapability(name: string): string | undefined {
  return DANGEROUS_CAPABILITIES.get(normalizeCapability(name));
}
