import type { Node } from "yaml";
import { mapEntry, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { isTrue, type K8sModel, type PodSpec } from "./model.js";

/** A `hostPath` volume of a pod, and whether every container that mounts it mounts it read-only. */
export interface HostPathVolume {
  pod: PodSpec;
  name: string;
  path: string;
  /** The `path:` value, for the finding's line. */
  node: Node;
  readOnly: boolean;
}

export function hostPathVolumes(model: K8sModel): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  for (const pod of model.pods) {
    const { doc } = pod.manifest;
    for (const volume of seqItems(doc, mapGet(doc, pod.node, "volumes"))) {
      const entry = mapEntry(doc, mapGet(doc, volume, "hostPath"), "path");
      const path = scalarText(entry?.value);
      if (!entry?.value || path === undefined) continue;
      const name = scalarText(mapGet(doc, volume, "name")) ?? "";
      out.push({ pod, name, path, node: entry.value, readOnly: mountedReadOnly(model, pod, name) });
    }
  }
  return out;
}

/** True when the volume is mounted, and every mount of it is `readOnly: true`. */
function mountedReadOnly(model: K8sModel, pod: PodSpec, volume: string): boolean {
  let mounts = 0;
  for (const c of model.containers) {
    if (c.pod !== pod) continue;
    const { doc } = pod.manifest;
    for (const mount of seqItems(doc, mapGet(doc, c.node, "volumeMounts"))) {
      if (scalarText(mapGet(doc, mount, "name")) !== volume) continue;
      mounts++;
      if (!isTrue(mapGet(doc, mount, "readOnly"))) return false;
    }
  }
  return mounts > 0;
}
