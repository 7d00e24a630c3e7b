import type { RawFinding } from "../../review/types.js";
import { normalizeHostPath, runtimeSocketOf, sensitiveHostPath } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { secretFileKind } from "../docker/secrets.js";
import { finding, onServices } from "./common.js";
import { inherited, serviceAnchor } from "./model.js";
import { hostMounts } from "./volumes.js";

/**
 * Why a host path is sensitive: the shared list of host directories, and
 * under the home directory (`~/.ssh`, `~/.aws`, `~/.docker/config.json`) the
 * credential files the docker family recognises in `COPY`.
 */
function whySensitive(source: string): string | undefined {
  if (source === "~" || source === "~/")
    return "the user's whole home directory (SSH keys, cloud credentials)";
  if (source.startsWith("~/")) {
    const kind = secretFileKind(source.slice(2));
    return kind ? `${kind} from the user's home` : undefined;
  }
  return sensitiveHostPath(source);
}

/** A bind mount of `/`, `/etc`, `/proc`, `/root`, `~/.ssh`, …: the host's configuration or credentials. */
export const sensitiveHostVolume = defineCheck({
  kind: "snapshot",
  name: "compose/sensitive-host-volume",
  families: ["compose"],
  rules: ["compose/sensitive-host-volume"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const mount of hostMounts(input)) {
      const key = normalizeHostPath(mount.source);
      // Runtime sockets and state directories are compose/docker-socket-mount's.
      if (seen.has(key) || runtimeSocketOf(key)) continue;
      const why = whySensitive(key);
      if (!why) continue;
      seen.add(key);
      const via = mount.volume ? ` through the named volume \`${mount.volume}\`` : "";
      const mode = mount.readOnly ? "read-only" : "writable";
      out.push(
        finding(input, {
          ruleId: "compose/sensitive-host-volume",
          node: mount.node,
          message: `Service \`${service.name}\` mounts the host's \`${mount.source}\`${via} ${mode}${inherited(service, mount.from)}: ${why}${mount.readOnly ? " can be read" : " can be read and changed"} by whoever controls the container.`,
          anchor: `${serviceAnchor(service)}/volumes/${key}`,
        }),
      );
    }
    return out;
  }),
});
