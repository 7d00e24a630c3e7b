import { type Document, isMap, isScalar, type Node } from "yaml";
import type { ParseError } from "../../formats/errors.js";
import type { YamlSource } from "../../formats/yaml.js";
import {
  getIn,
  mapEntry,
  mapGet,
  type Position,
  positionAt,
  scalarText,
  seqItems,
} from "../../formats/yaml.js";
import { parseYamlStream } from "../../formats/yaml-stream.js";
import type { FileVersion } from "../types.js";

/**
 * The Kubernetes objects of one file version: every YAML document (or `List`
 * item) with a top-level `apiVersion` and `kind`, whatever its path. Objects
 * that carry a pod template — Pods, the workload controllers, CronJobs (the
 * template inside `jobTemplate`), Argo Rollouts — expose their pod spec and
 * containers; RBAC objects are read by rbac.ts. Anything else (a CRD, an
 * unknown kind) is an object without a pod, which no rule looks at.
 *
 * Identity is `Kind/namespace/name`, never a position: anchors built from it
 * survive reordering documents, containers or keys, and reformatting.
 */

export interface Manifest {
  src: YamlSource;
  doc: Document.Parsed;
  node: Node;
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  /** `Kind/namespace/name`: the stable part of every anchor on this object. */
  id: string;
  /** Where its `kind:` key is, for findings on the object as a whole. */
  at: Position;
}

export type ContainerGroup = "containers" | "initContainers" | "ephemeralContainers";

export interface PodSpec {
  manifest: Manifest;
  node: Node;
  /** `spec.template.spec`, … (for messages). */
  path: string;
  /** The pod template's metadata (annotations), or the Pod's own. */
  metadata: Node | undefined;
  /**
   * A strategic-merge patch (a workload without its required `selector`, or a
   * file named like a patch): what it leaves out comes from elsewhere, so a
   * missing key is not a finding.
   */
  partial: boolean;
}

export interface Container {
  pod: PodSpec;
  group: ContainerGroup;
  name: string;
  node: Node;
  /** The `name:` key, or the item itself for a container without a name. */
  at: Position;
  /** `Kind/ns/name|containers:app`: unique per object and container. */
  id: string;
}

export interface K8sModel {
  src: YamlSource;
  manifests: Manifest[];
  pods: PodSpec[];
  containers: Container[];
  /** The first broken document's error (reported once, as `meta/parse-error`). */
  error?: ParseError;
  /** Why part of the file was not read (a bound on hostile input). */
  limited?: string;
}

/** Where each pod-bearing kind keeps its pod spec (and the metadata beside it). */
const POD_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ["Pod", ["spec"]],
  ["Deployment", ["spec", "template", "spec"]],
  ["StatefulSet", ["spec", "template", "spec"]],
  ["DaemonSet", ["spec", "template", "spec"]],
  ["ReplicaSet", ["spec", "template", "spec"]],
  ["ReplicationController", ["spec", "template", "spec"]],
  ["Job", ["spec", "template", "spec"]],
  ["CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]],
  ["PodTemplate", ["template", "spec"]],
  // Argo Rollouts: the Deployment shape under argoproj.io.
  ["Rollout", ["spec", "template", "spec"]],
]);

/** Controllers whose `spec.selector` is required: one without it is a patch, not an object. */
const NEEDS_SELECTOR = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"]);

const GROUPS: readonly ContainerGroup[] = ["containers", "initContainers", "ephemeralContainers"];

/** Items of a `List` beyond this are not read (a bound, as for documents). */
const MAX_LIST_ITEMS = 5_000;

export function k8sModelOf(file: FileVersion): K8sModel {
  return file.memo("k8s/model", () => buildModel(file));
}

function buildModel(file: FileVersion): K8sModel {
  // Every check compares text (`"true"`, `"0"`), so scalars stay strings: a seventh less parse time.
  const stream = parseYamlStream(file.text, { schema: "failsafe" });
  const { src } = stream;
  const model: K8sModel = { src, manifests: [], pods: [], containers: [] };
  if (stream.limited) model.limited = stream.limited;
  const patchLike = /(^|[/._-])patch(es)?[^/]*$/i.test(file.path);
  for (const { doc, error } of stream.documents) {
    if (error) {
      model.error ??= error;
      continue;
    }
    for (const node of objectsOf(doc)) {
      const manifest = manifestOf(src, doc, node);
      if (!manifest) continue;
      model.manifests.push(manifest);
      const pod = podOf(manifest, patchLike);
      if (!pod) continue;
      model.pods.push(pod);
      model.containers.push(...containersOf(pod));
    }
  }
  return model;
}

/** The document's object, or the items of a `List` (`kind: List`, `PodList`, …). */
function objectsOf(doc: Document.Parsed): Node[] {
  const root = doc.contents as Node | null;
  if (!isMap(root)) return [];
  const kind = scalarText(mapGet(doc, root, "kind"));
  if (kind !== undefined && /List$/.test(kind) && mapGet(doc, root, "items")) {
    return seqItems(doc, mapGet(doc, root, "items")).slice(0, MAX_LIST_ITEMS);
  }
  return [root];
}

function manifestOf(src: YamlSource, doc: Document.Parsed, node: Node): Manifest | undefined {
  const kindEntry = mapEntry(doc, node, "kind");
  const kind = scalarText(kindEntry?.value);
  const apiVersion = scalarText(mapGet(doc, node, "apiVersion"));
  if (!kind || !apiVersion || !kindEntry) return undefined;
  const metadata = mapGet(doc, node, "metadata");
  const name =
    scalarText(mapGet(doc, metadata, "name")) ?? scalarText(mapGet(doc, metadata, "generateName")) ?? "";
  const namespace = scalarText(mapGet(doc, metadata, "namespace")) ?? "";
  const at = positionAt(src, kindEntry.keyNode.range?.[0] ?? 0);
  return { src, doc, node, kind, apiVersion, name, namespace, id: `${kind}/${namespace}/${name}`, at };
}

function podOf(manifest: Manifest, patchLike: boolean): PodSpec | undefined {
  const path = POD_PATHS.get(manifest.kind);
  if (!path) return undefined;
  // A kind named like a workload under another API group is someone else's resource.
  if (manifest.kind === "Rollout" && !manifest.apiVersion.startsWith("argoproj.io/")) return undefined;
  const { doc } = manifest;
  const node = getIn(doc, manifest.node, path);
  if (!isMap(node)) return undefined;
  const metadata = getIn(doc, manifest.node, [...path.slice(0, -1), "metadata"]);
  const partial =
    patchLike ||
    (NEEDS_SELECTOR.has(manifest.kind) && getIn(doc, manifest.node, ["spec", "selector"]) === undefined);
  return { manifest, node, path: path.join("."), metadata, partial };
}

function containersOf(pod: PodSpec): Container[] {
  const { doc, id } = pod.manifest;
  const { src } = pod.manifest;
  const out: Container[] = [];
  for (const group of GROUPS) {
    seqItems(doc, mapGet(doc, pod.node, group)).forEach((node, index) => {
      if (!isMap(node)) return;
      const nameEntry = mapEntry(doc, node, "name");
      const name = scalarText(nameEntry?.value) ?? `#${index}`;
      const at = positionAt(src, (nameEntry?.keyNode ?? node).range?.[0] ?? 0);
      out.push({ pod, group, name, node, at, id: `${id}|${group}:${name}` });
    });
  }
  return out;
}

/** `true`, `"true"` and `True` read alike: manifests are often written by hand and templated. */
export function isTrue(node: Node | undefined): boolean {
  return isScalar(node) && String(node.value).toLowerCase() === "true";
}

export function isFalse(node: Node | undefined): boolean {
  return isScalar(node) && String(node.value).toLowerCase() === "false";
}
