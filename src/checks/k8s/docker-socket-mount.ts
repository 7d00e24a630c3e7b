import { runtimeSocketOf } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { at, describeObject, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";
import { hostPathVolumes } from "./volumes.js";

/** A `hostPath` volume of a container runtime's socket (Docker, containerd, CRI-O, Podman): root on the node. */
export const dockerSocketMount = defineCheck({
  kind: "snapshot",
  name: "k8s/docker-socket-mount",
  families: ["k8s"],
  rules: ["k8s/docker-socket-mount"],
  run(file) {
    const model = k8sModelOf(file);
    return hostPathVolumes(model).flatMap((v) => {
      const runtime = runtimeSocketOf(v.path);
      if (!runtime) return [];
      return [
        finding({
          ruleId: "k8s/docker-socket-mount",
          position: at(model.src, v.node, v.pod.manifest.at),
          message: `${describeObject(v.pod.manifest)} mounts \`${v.path}\` from the node (volume \`${v.name}\`): whoever talks to the ${runtime} runtime starts privileged containers on the node, read-only mount or not; build images with a rootless builder (Kaniko, BuildKit rootless) instead.`,
          anchor: `${v.pod.manifest.id}|volume:${v.name}|hostPath:${v.path}`,
        }),
      ];
    });
  },
});
