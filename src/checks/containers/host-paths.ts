/**
 * Host paths a container must not mount: the sockets of container runtimes
 * (whoever talks to one starts privileged containers on the host) and the
 * directories whose contents are the host (its configuration, its processes,
 * the kubelet's credentials). Shared by the k8s family (`hostPath` volumes)
 * and the compose family (bind mounts).
 */

/** The runtime behind a socket path, for the message. */
const RUNTIME_SOCKETS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/(?:var\/)?run\/docker\.sock$/, "Docker"],
  [/^\/(?:var\/)?run\/docker(?:\/|$)/, "Docker"],
  [/^\/(?:var\/)?run\/dockershim\.sock$/, "dockershim"],
  [/^\/(?:var\/)?run\/containerd(?:\/|$)/, "containerd"],
  [/^\/(?:var\/)?run\/crio(?:\/|$)/, "CRI-O"],
  [/^\/(?:var\/)?run\/podman(?:\/|$)/, "Podman"],
  [/^\/(?:var\/)?run\/user\/\d+\/(?:podman|docker)(?:\/|\.sock$)/, "Podman or rootless Docker"],
  [/^\/(?:var\/)?run\/cri-dockerd\.sock$/, "cri-dockerd"],
  [/^\/var\/lib\/docker(?:\/|$)/, "Docker"],
  [/^\/var\/lib\/containerd(?:\/|$)/, "containerd"],
];

/**
 * `//var/run/./docker.sock/` and `/var/run/docker.sock` are one path: the
 * kernel resolves `.`, `..` and repeated slashes, so a check must too. Paths
 * that are not absolute (a Compose named volume, a relative bind) are
 * returned as they are.
 */
export function normalizeHostPath(path: string): string {
  const p = path.trim();
  if (!p.startsWith("/")) return p;
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The container runtime whose socket (or state directory) `path` is, or `undefined`. */
export function runtimeSocketOf(path: string): string | undefined {
  const p = normalizeHostPath(path);
  for (const [pattern, runtime] of RUNTIME_SOCKETS) if (pattern.test(p)) return runtime;
  return undefined;
}

/** Directories whose contents are the host itself; mounting them or anything above them is sensitive. */
const SENSITIVE_DIRECTORIES: ReadonlyMap<string, string> = new Map([
  ["/", "the host's whole filesystem"],
  ["/etc", "the host's configuration (users, sudoers, cron, kubelet and SSH settings)"],
  ["/root", "root's home (SSH keys, shell history, cloud credentials)"],
  ["/proc", "every host process and kernel tunable"],
  ["/sys", "kernel and device settings"],
  ["/dev", "the host's devices"],
  ["/boot", "the host's kernel and boot loader"],
  ["/lib/modules", "the host's kernel modules"],
  ["/usr", "the host's programs"],
  ["/bin", "the host's programs"],
  ["/sbin", "the host's programs"],
  ["/lib", "the host's libraries"],
  ["/var/lib/kubelet", "the kubelet's state: every pod's secrets and service-account tokens"],
  ["/var/lib/etcd", "etcd's data: every object and secret of the cluster"],
  ["/etc/kubernetes", "the control plane's configuration and credentials"],
  ["/var/run/secrets", "service-account tokens of the host's pods"],
  ["/run/secrets", "service-account tokens of the host's pods"],
  ["/var/lib/docker", "Docker's state: every container's filesystem"],
  ["/var/lib/containerd", "containerd's state: every container's filesystem"],
]);

/**
 * Why mounting `path` from the host is sensitive, or `undefined` when it is
 * not one of the known places. A path below a sensitive directory
 * (`/etc/ssl/certs`) is sensitive as well, except for a few read-mostly
 * places workloads commonly need.
 */
export function sensitiveHostPath(path: string): string | undefined {
  const p = normalizeHostPath(path);
  if (!p.startsWith("/")) return undefined;
  if (COMMON_READ_ONLY.some((allowed) => p === allowed || p.startsWith(`${allowed}/`))) return undefined;
  for (let at = p; ; at = parentOf(at)) {
    const why = SENSITIVE_DIRECTORIES.get(at);
    if (why !== undefined && (at === p || at !== "/")) return why;
    if (at === "/") return undefined;
  }
}

/**
 * Host paths that node agents and workloads mount routinely and that reveal
 * no secret: certificates bundles, the time zone, the machine id.
 */
const COMMON_READ_ONLY = [
  "/etc/ssl/certs",
  "/etc/pki/tls/certs",
  "/etc/ca-certificates",
  "/usr/share/ca-certificates",
  "/etc/localtime",
  "/usr/share/zoneinfo",
  "/etc/machine-id",
  "/dev/shm",
  "/dev/null",
  "/dev/fuse",
];

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}
