import type { RawFinding } from "../../review/types.js";
import { normalizeHostPath, runtimeSocketOf } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { inherited, serviceAnchor } from "./model.js";
import { hostMounts } from "./volumes.js";

/** Docker Desktop on Windows serves the Engine API on a named pipe instead of a socket. */
const WINDOWS_PIPE = /^(?:\\\\|\/\/)\.[\\/]pipe[\\/]docker_engine$/i;

/**
 * The runtime socket a mount hands to the container: the socket itself, the
 * runtime's state directory, or a directory that holds the socket
 * (`/var/run`, `/run`).
 */
function runtimeOf(source: string): string | undefined {
  if (WINDOWS_PIPE.test(source.trim())) return "Docker";
  const path = normalizeHostPath(source);
  if (!path.startsWith("/")) return undefined;
  return runtimeSocketOf(path) ?? (path === "/" ? undefined : runtimeSocketOf(`${path}/docker.sock`));
}

/** A bind mount of the Docker (or containerd, CRI-O, Podman) socket: control of the host's runtime. */
export const dockerSocketMount = defineCheck({
  kind: "snapshot",
  name: "compose/docker-socket-mount",
  families: ["compose"],
  rules: ["compose/docker-socket-mount"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const mount of hostMounts(input)) {
      const runtime = runtimeOf(mount.source);
      const key = normalizeHostPath(mount.source);
      if (!runtime || seen.has(key)) continue;
      seen.add(key);
      const via = mount.volume ? ` through the named volume \`${mount.volume}\`` : "";
      out.push(
        finding(input, {
          ruleId: "compose/docker-socket-mount",
          node: mount.node,
          message: `Service \`${service.name}\` mounts the ${runtime} socket \`${mount.source}\`${via}${inherited(service, mount.from)}: whoever controls the container can start a privileged container with the host's disk mounted, which is root on the host${mount.readOnly ? " (`:ro` does not help: the API is used over the socket, not by writing the file)" : ""}.`,
          anchor: `${serviceAnchor(service)}/volumes/${key}`,
        }),
      );
    }
    return out;
  }),
});
