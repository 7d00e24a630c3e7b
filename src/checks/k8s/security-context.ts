import type { Node } from "yaml";
import { mapEntry, mapGet } from "../../formats/yaml.js";
import type { Container, PodSpec } from "./model.js";

/**
 * A container's effective security settings, combined as the kubelet
 * combines them: a field of the container's `securityContext` wins over the
 * same field of the pod's; fields that exist only on the container
 * (`privileged`, `allowPrivilegeEscalation`, `capabilities`,
 * `readOnlyRootFilesystem`, `procMount`) are never inherited.
 */

/** Pod-level fields a container inherits when it does not set them. */
const INHERITED = new Set([
  "runAsUser",
  "runAsGroup",
  "runAsNonRoot",
  "seccompProfile",
  "appArmorProfile",
  "seLinuxOptions",
  "windowsOptions",
]);

export interface Setting {
  value: Node | undefined;
  /** The key node, for the finding's line. */
  key: Node;
  level: "container" | "pod";
}

export function containerSecurityContext(c: Container): Node | undefined {
  return mapGet(c.pod.manifest.doc, c.node, "securityContext");
}

export function podSecurityContext(pod: PodSpec): Node | undefined {
  return mapGet(pod.manifest.doc, pod.node, "securityContext");
}

/** The setting that applies to the container for `field`, from its own context or inherited from the pod's. */
export function effectiveSetting(c: Container, field: string): Setting | undefined {
  const { doc } = c.pod.manifest;
  const own = mapEntry(doc, containerSecurityContext(c), field);
  if (own && own.value !== undefined && !isNull(own.value))
    return { value: own.value, key: own.keyNode, level: "container" };
  if (!INHERITED.has(field)) return undefined;
  const pod = mapEntry(doc, podSecurityContext(c.pod), field);
  if (pod && pod.value !== undefined && !isNull(pod.value))
    return { value: pod.value, key: pod.keyNode, level: "pod" };
  return undefined;
}

function isNull(node: Node): boolean {
  if (!("value" in node)) return false;
  const value = (node as { value: unknown }).value;
  // `key:` and `key: ~` say nothing: the field is unset (scalars are strings here, see model.ts).
  return value === null || value === "" || value === "~" || value === "null";
}

/** A pod meant for Windows nodes: Linux user and filesystem settings do not apply to it. */
export function isWindowsPod(pod: PodSpec): boolean {
  const { doc } = pod.manifest;
  const os = mapGet(doc, mapGet(doc, pod.node, "os"), "name");
  const selector = mapGet(doc, mapGet(doc, pod.node, "nodeSelector"), "kubernetes.io/os");
  return [os, selector].some(
    (n) => n !== undefined && "value" in n && String((n as { value: unknown }).value) === "windows",
  );
}
