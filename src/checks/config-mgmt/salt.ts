import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import { isJinjaPlaceholder, saltToYaml } from "../../formats/salt.js";
import {
  mapEntries,
  nodePosition,
  parseYamlSource,
  scalarPosition,
  scalarText,
  type YamlSource,
} from "../../formats/yaml.js";
import type { FileVersion } from "../types.js";
import { type CmModel, type Script, type Setting, setting } from "./types.js";

/**
 * Salt states and pillars: the YAML left once Jinja is masked (formats/salt.ts).
 * A state is `id: { module.function: [ {arg: value}, … ] }` (or the function
 * as a list item under `module:`); every scalar below a state id becomes a
 * setting named by `id/module.function`, so pillars (plain nested keys) are
 * read the same way. `cmd.run`/`cmd.wait`/`cmd.script` names are scripts.
 */

const MAX_DEPTH = 32;
const MAX_SETTINGS = 100_000;
const CMD_FUNCTIONS = /^cmd\.(?:run|wait|shell)$/;

export function saltModel(file: FileVersion): CmModel {
  const src = parseYamlSource(saltToYaml(file.text));
  const settings: Setting[] = [];
  const scripts: Script[] = [];
  for (const doc of src.documents) {
    for (const state of mapEntries(doc, doc.contents)) {
      const id = state.key;
      const modules = mapEntries(doc, state.value);
      if (modules.length === 0) {
        // A pillar value (`db_password: …`) or a list under a top-level key.
        pushScalar(src, id, state.value, { resource: id, resourceType: "pillar" }, settings);
        walk(src, doc, state.value, { resource: id, resourceType: "pillar" }, 0, settings);
        continue;
      }
      for (const m of modules) {
        const fn = stateFunction(m.key, m.value);
        const where = { resource: `${id}/${fn}`, resourceType: fn };
        if (!isSeq(m.value) && !isMap(m.value)) {
          pushScalar(src, m.key, m.value, where, settings);
          continue;
        }
        walk(src, doc, m.value, where, 0, settings);
        if (CMD_FUNCTIONS.test(fn)) {
          // Without `name:`, the state id is the command.
          const node =
            findArg(doc, m.value, "name") ??
            (isScalar(state.keyNode) ? (state.keyNode as Scalar) : undefined);
          if (node) scripts.push(scriptOf(src, where, node));
        }
      }
    }
  }
  return { tool: "salt", settings, scripts };
}

/** `file.managed` as a key, or `file:` with `- managed` as a list item. */
function stateFunction(key: string, value: Node | undefined): string {
  if (key.includes(".")) return key;
  if (isSeq(value)) {
    for (const item of value.items) {
      const text = scalarText(item);
      if (text && /^[a-z_]+$/.test(text)) return `${key}.${text}`;
    }
  }
  return key;
}

function findArg(doc: Document, value: Node | undefined, name: string): Scalar | undefined {
  if (!isSeq(value)) return undefined;
  for (const item of value.items) {
    const e = mapEntries(doc, item).find((x) => x.key === name);
    if (e && isScalar(e.value) && typeof e.value.value === "string") return e.value as Scalar;
  }
  return undefined;
}

function walk(
  src: YamlSource,
  doc: Document,
  node: unknown,
  where: Pick<Setting, "resource" | "resourceType">,
  depth: number,
  out: Setting[],
): void {
  if (depth > MAX_DEPTH || out.length > MAX_SETTINGS) return;
  if (isSeq(node)) {
    for (const item of node.items) walk(src, doc, item, where, depth + 1, out);
    return;
  }
  for (const e of mapEntries(doc, node)) {
    if (isMap(e.value) || isSeq(e.value)) {
      if (isSeq(e.value) && e.value.items.every((i) => isScalar(i)))
        pushList(src, e.key, e.value.items as Scalar[], e.keyNode, where, out);
      walk(
        src,
        doc,
        e.value,
        where.resourceType === "pillar" ? { ...where, resource: `${where.resource}.${e.key}` } : where,
        depth + 1,
        out,
      );
      continue;
    }
    pushScalar(src, e.key, e.value, where, out);
  }
}

function pushScalar(
  src: YamlSource,
  name: string,
  node: Node | undefined,
  where: Pick<Setting, "resource" | "resourceType">,
  out: Setting[],
): void {
  if (!isScalar(node)) return;
  const text = scalarText(node) ?? (node.value === null ? undefined : String(node.value));
  const at = nodePosition(src, node) ?? { line: 1, column: 1 };
  const kind =
    typeof node.value === "number" ? "number" : typeof node.value === "boolean" ? "boolean" : "string";
  out.push(
    setting(where, name, { value: text, kind, dynamic: text !== undefined && isJinjaPlaceholder(text) }, at),
  );
}

function pushList(
  src: YamlSource,
  name: string,
  items: Scalar[],
  keyNode: Node,
  where: Pick<Setting, "resource" | "resourceType">,
  out: Setting[],
): void {
  const values = items.map((i) => scalarText(i) ?? "");
  const value = {
    items: values,
    value: values.join(","),
    kind: "list" as const,
    dynamic: values.some(isJinjaPlaceholder),
  };
  out.push(setting(where, name, value, nodePosition(src, keyNode) ?? { line: 1, column: 1 }));
}

function scriptOf(src: YamlSource, where: Pick<Setting, "resource" | "resourceType">, node: Scalar): Script {
  const text = typeof node.value === "string" ? node.value : String(node.value);
  return {
    ...where,
    property: "name",
    text,
    position: (offset) => scalarPosition(src, node, offset),
  };
}
