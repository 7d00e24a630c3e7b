import { type Document, isMap, isScalar, type Node } from "yaml";
import {
  type MapEntry,
  mapEntries,
  mapGet,
  nodePosition,
  type Position,
  scalarText,
  type YamlSource,
} from "../../formats/yaml.js";
import { parseYamlStream } from "../../formats/yaml-stream.js";
import { type FileVersion, ParseError } from "../types.js";

/**
 * A Compose file as the checks see it: its services with every field they
 * end up with — merge keys (`<<: *defaults`, `<<: [*a, *b]`) and `extends:`
 * of another service of the same file resolved — each field keeping the
 * YAML node where its value is written, so a finding inherited from an
 * anchor or a base service points at the line that says it.
 */

export interface Layer {
  /** The service the entries are written in (the service itself, or one it extends). */
  service: string;
  entries: MapEntry[];
  byKey: Map<string, MapEntry>;
}

export interface Service {
  name: string;
  doc: Document;
  keyNode: Node;
  /** From the most basic `extends:` ancestor to the service itself. */
  layers: Layer[];
  /** `extends: { file: … }`: fields from another file, which is not read. */
  externalExtends?: string;
}

export interface TopLevelVolume {
  name: string;
  node: Node | undefined;
}

export interface ComposeFile {
  path: string;
  src: YamlSource;
  services: Service[];
  /** Top-level `volumes:` by name, per document (a named volume can bind a host path). */
  volumes: Map<Document, Map<string, Node | undefined>>;
}

type Loaded = { compose?: ComposeFile; error?: ParseError };

/** Parses a Compose file once per file version; parse errors are kept for the parse check to report. */
export function loadCompose(file: FileVersion): Loaded {
  return file.memo("compose/model", () => {
    try {
      return { compose: parseCompose(file.path, file.text) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

/** Bounds on what one file may expand to; a hostile file stops here with a parse error. */
const MAX_SERVICES = 1_000;
const MAX_EXTENDS_DEPTH = 10;
const MAX_DOCUMENTS = 100;

const TOP_LEVEL_KEYS = new Set([
  "version",
  "name",
  "services",
  "volumes",
  "networks",
  "secrets",
  "configs",
  "include",
  "models",
]);

export function parseCompose(path: string, text: string): ComposeFile {
  // The stream reader bounds nesting and documents before the `yaml` library sees the text.
  // Failsafe: every scalar stays a string (Compose values are compared as text), which skips tag resolution.
  const stream = parseYamlStream(text, { maxDocuments: MAX_DOCUMENTS, schema: "failsafe" });
  if (stream.limited) throw new ParseError(`too large to review: ${stream.limited}`, 1);
  const broken = stream.documents.find((d) => d.error);
  if (broken?.error) throw broken.error;
  const src = stream.src;
  const out: ComposeFile = { path, src, services: [], volumes: new Map() };
  for (const doc of src.documents) {
    const root = doc.contents as Node | null;
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) continue;
    if (!isMap(root)) {
      const at = nodePosition(src, root);
      throw new ParseError("a Compose file must be a mapping (with `services:`)", at?.line ?? 1, at?.column);
    }
    const own = serviceEntries(doc, root);
    if (out.services.length + own.length > MAX_SERVICES) {
      throw new ParseError(`too large to review: more than ${MAX_SERVICES} services`, 1);
    }
    const byName = new Map(own.map((e) => [e.key, e]));
    for (const entry of own) out.services.push(resolveService(doc, entry, byName));
    const volumes = new Map<string, Node | undefined>();
    for (const v of mapEntries(doc, mapGet(doc, root, "volumes"))) volumes.set(v.key, v.value);
    out.volumes.set(doc, volumes);
  }
  return out;
}

/**
 * `services:` of the current format; a file of the first format (no
 * `services:`, no `version:`) has its services at the top, which are told
 * apart from extension fields by holding an `image` or a `build`.
 */
function serviceEntries(doc: Document, root: Node): MapEntry[] {
  const services = mapGet(doc, root, "services");
  // mapEntries stops at its entry budget; more services than that must fail, not be cut silently.
  const count = (isMap(services) ? services.items.length : 0) + (isMap(root) ? root.items.length : 0);
  if (count > MAX_SERVICES)
    throw new ParseError(`too large to review: more than ${MAX_SERVICES} services`, 1);
  if (services !== undefined || mapGet(doc, root, "version") !== undefined) {
    return mapEntries(doc, services).filter((e) => isMap(e.value));
  }
  return mapEntries(doc, root).filter(
    (e) =>
      !TOP_LEVEL_KEYS.has(e.key) &&
      !e.key.startsWith("x-") &&
      isMap(e.value) &&
      (mapGet(doc, e.value, "image") !== undefined || mapGet(doc, e.value, "build") !== undefined),
  );
}

/** Follows `extends:` within the file (a cycle or a missing service ends the chain). */
function resolveService(doc: Document, entry: MapEntry, byName: Map<string, MapEntry>): Service {
  const layers: Layer[] = [];
  const seen = new Set<string>();
  let externalExtends: string | undefined;
  let current: MapEntry | undefined = entry;
  while (current && !seen.has(current.key) && layers.length <= MAX_EXTENDS_DEPTH) {
    seen.add(current.key);
    const entries = mapEntries(doc, current.value);
    const byKey = new Map(entries.map((e) => [e.key, e]));
    layers.unshift({ service: current.key, entries, byKey });
    const ext = byKey.get("extends")?.value;
    const named = scalarText(ext) ?? scalarText(mapGet(doc, ext, "service"));
    const file = scalarText(mapGet(doc, ext, "file"));
    if (file !== undefined) {
      externalExtends = file;
      break;
    }
    current = named === undefined ? undefined : byName.get(named);
  }
  const service: Service = { name: entry.key, doc, keyNode: entry.keyNode, layers };
  if (externalExtends !== undefined) service.externalExtends = externalExtends;
  return service;
}

/** The field as the service ends up with it: the service's own, else the nearest base's. */
export function field(service: Service, key: string): (MapEntry & { from: string }) | undefined {
  for (let i = service.layers.length - 1; i >= 0; i--) {
    const layer = service.layers[i]!;
    const e = layer.byKey.get(key);
    if (e) return { key: e.key, keyNode: e.keyNode, value: e.value, from: layer.service };
  }
  return undefined;
}

/**
 * Every definition of a field along the `extends:` chain, base first: lists
 * such as `ports`, `cap_add` and `volumes` are merged, not replaced.
 */
export function fieldLayers(service: Service, key: string): Array<MapEntry & { from: string }> {
  const out: Array<MapEntry & { from: string }> = [];
  for (const layer of service.layers) {
    const e = layer.byKey.get(key);
    if (e) out.push({ key: e.key, keyNode: e.keyNode, value: e.value, from: layer.service });
  }
  return out;
}

/** Anchor prefix of a service: its name, never its position in the file. */
export function serviceAnchor(service: Service): string {
  return `service:${service.name}`;
}

/** Where a node is; the service's name when the node has no range. */
export function positionOf(compose: ComposeFile, node: Node | undefined, service?: Service): Position {
  return (
    nodePosition(compose.src, node) ?? nodePosition(compose.src, service?.keyNode) ?? { line: 1, column: 1 }
  );
}

/** Words for a message: where an inherited value comes from. */
export function inherited(service: Service, from: string): string {
  return from === service.name ? "" : ` (inherited from \`${from}\` through \`extends\`)`;
}

const TRUE_WORDS = new Set(["true", "yes", "on"]);

/** `true`, and the strings Compose reads as true (`"true"`, `yes`, `on`). */
export function isTrue(node: Node | undefined): boolean {
  if (!isScalar(node)) return false;
  if (node.value === true) return true;
  return typeof node.value === "string" && TRUE_WORDS.has(node.value.trim().toLowerCase());
}
