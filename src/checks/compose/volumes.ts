import { isMap, isScalar, type Node } from "yaml";
import { hasInterpolation, isHostPathSource, parseVolumeSpec } from "../../formats/compose.js";
import { mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { ServiceInput } from "./common.js";
import { fieldLayers } from "./model.js";

/**
 * The host paths a service mounts, from every syntax: short
 * (`/etc:/host/etc:ro`), long (`type: bind`, `source:`), Windows named pipes
 * (`type: npipe`), and named volumes that the top-level `volumes:` binds to a
 * host directory (`driver_opts: { type: none, o: bind, device: /srv }`).
 * Sources written as variables are unknown and left out, except the home
 * directory (`~`, `$HOME`, `${HOME}`), which is kept as `~`.
 */
export interface HostMount {
  /** The host path as written (`~` for the home directory). */
  source: string;
  target?: string;
  readOnly: boolean;
  /** The item of the service's `volumes:` list. */
  node: Node;
  /** The service the item is written in (itself, or one it extends). */
  from: string;
  /** The named volume that binds the path, when it is one. */
  volume?: string;
}

const mountsOf = new WeakMap<object, HostMount[]>();

/** Two rules read a service's mounts; they are worked out once per service. */
export function hostMounts(input: ServiceInput): HostMount[] {
  let mounts = mountsOf.get(input.service);
  if (!mounts) {
    mounts = readMounts(input);
    mountsOf.set(input.service, mounts);
  }
  return mounts;
}

function readMounts(input: ServiceInput): HostMount[] {
  const { service } = input;
  const byTarget = new Map<string, HostMount>();
  const anonymous: HostMount[] = [];
  // Along `extends:`, a later definition of the same target replaces the earlier one.
  for (const layer of fieldLayers(service, "volumes")) {
    for (const item of seqItems(service.doc, layer.value)) {
      const mount = mountOf(input, item, layer.from);
      if (!mount) continue;
      if (mount.target === undefined) anonymous.push(mount);
      else byTarget.set(mount.target, mount);
    }
  }
  return [...byTarget.values(), ...anonymous];
}

function mountOf(input: ServiceInput, item: Node, from: string): HostMount | undefined {
  const doc = input.service.doc;
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let type = "volume";
  if (isScalar(item)) {
    const spec = parseVolumeSpec(scalarText(item) ?? "");
    if (!spec?.source) return undefined;
    source = spec.source;
    target = spec.target;
    readOnly = spec.mode !== undefined && /(^|,)ro(,|$)/.test(spec.mode);
    type = isHostPathSource(source) ? "bind" : "volume";
  } else if (isMap(item)) {
    source = scalarText(mapGet(doc, item, "source"));
    target = scalarText(mapGet(doc, item, "target"));
    type = (scalarText(mapGet(doc, item, "type")) ?? "volume").toLowerCase();
    const ro = mapGet(doc, item, "read_only");
    readOnly = isScalar(ro) && (ro.value === true || String(ro.value).toLowerCase() === "true");
  }
  if (source === undefined) return undefined;
  if (type === "volume") return namedVolumeMount(input, source, { target, readOnly, node: item, from });
  if (type !== "bind" && type !== "npipe") return undefined;
  const host = hostPath(source);
  if (host === undefined) return undefined;
  const out: HostMount = { source: host, readOnly, node: item, from };
  if (target !== undefined) out.target = target;
  return out;
}

/** A named volume the top-level `volumes:` binds to a host directory with the local driver. */
function namedVolumeMount(
  input: ServiceInput,
  name: string,
  mount: Omit<HostMount, "source">,
): HostMount | undefined {
  const doc = input.service.doc;
  const definition = input.compose.volumes.get(doc)?.get(name);
  if (!isMap(definition)) return undefined;
  const driver = scalarText(mapGet(doc, definition, "driver"));
  if (driver !== undefined && driver !== "local") return undefined;
  const opts = mapGet(doc, definition, "driver_opts");
  const o = scalarText(mapGet(doc, opts, "o")) ?? "";
  const device = scalarText(mapGet(doc, opts, "device"));
  if (device === undefined || !/(^|,)r?bind(,|$)/.test(o)) return undefined;
  const host = hostPath(device);
  if (host === undefined) return undefined;
  const out: HostMount = { ...mount, source: host, volume: name };
  if (mount.target === undefined) delete out.target;
  return out;
}

/** The host path, with the home directory as `~`; `undefined` when a variable decides it. */
function hostPath(source: string): string | undefined {
  const s = source.trim().replace(/^(?:\$HOME|\$\{HOME\})(?=\/|$)/, "~");
  if (hasInterpolation(s)) return undefined;
  return s;
}
