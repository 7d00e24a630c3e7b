import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import { readHclAttributes } from "../../formats/hcl-lines.js";
import {
  mapEntries,
  nodePosition,
  parseYamlSource,
  scalarPosition,
  scalarText,
  type YamlSource,
} from "../../formats/yaml.js";
import type { FileVersion } from "../types.js";
import type { CmModel, Script, Setting } from "./types.js";

/**
 * Packer templates: HCL (`*.pkr.hcl`, through the line-oriented attribute
 * reader) and JSON (`*.pkr.json`, read as YAML for positions). A builder or
 * source is named by its block (`source.amazon-ebs.web`, `builders[amazon-ebs]`);
 * `inline` lines of provisioners are scripts.
 */

export function packerHclModel(text: string): CmModel {
  const settings: Setting[] = [];
  const scripts: Script[] = [];
  for (const a of readHclAttributes(text)) {
    const resource = a.blocks.map((b) => [b.type, ...b.labels].join(".")).join("/") || "template";
    const resourceType =
      a.blocks.map((b) => [b.type, ...b.labels.slice(0, 1)].join(".")).join("/") || "template";
    const v = a.value.trim();
    const single = a.strings.length === 1 && /^"(?:[^"\\]|\\.)*"$/.test(v);
    const list = v.startsWith("[");
    settings.push({
      resource,
      resourceType,
      name: a.name,
      value: single ? a.strings[0]!.value : list ? a.strings.map((s) => s.value).join(",") : v,
      items: list ? a.strings.map((s) => s.value) : undefined,
      kind: single
        ? "string"
        : list
          ? "list"
          : /^(?:true|false)$/.test(v)
            ? "boolean"
            : /^\d+$/.test(v)
              ? "number"
              : "other",
      dynamic: single
        ? a.strings[0]!.interpolated
        : list
          ? a.strings.some((s) => s.interpolated)
          : !/^(?:true|false|\d+)$/.test(v),
      line: a.line,
      column: a.column,
    });
    if (a.name === "inline") {
      for (const s of a.strings) {
        scripts.push({
          resource,
          resourceType,
          property: "inline",
          text: s.value,
          position: (offset) => ({ line: s.line, column: s.column + offset }),
        });
      }
    }
  }
  return { tool: "packer", settings, scripts };
}

export function packerJsonModel(file: FileVersion): CmModel {
  const src = parseYamlSource(file.text);
  const settings: Setting[] = [];
  const scripts: Script[] = [];
  const doc = src.documents[0];
  if (!doc) return { tool: "packer", settings, scripts };
  for (const section of ["builders", "provisioners", "post-processors"]) {
    const top = mapEntries(doc, doc.contents).find((e) => e.key === section)?.value;
    if (!isSeq(top)) continue;
    top.items.forEach((item, i) => {
      const type = scalarText(mapEntries(doc, item).find((e) => e.key === "type")?.value) ?? String(i);
      const name = scalarText(mapEntries(doc, item).find((e) => e.key === "name")?.value);
      const where = { resource: `${section}[${name ?? type}]`, resourceType: `${section}.${type}` };
      readJsonObject(src, doc, item, where, settings, scripts, 0);
    });
  }
  const variables = mapEntries(doc, doc.contents).find((e) => e.key === "variables")?.value;
  readJsonObject(
    src,
    doc,
    variables,
    { resource: "variables", resourceType: "variables" },
    settings,
    scripts,
    0,
  );
  return { tool: "packer", settings, scripts };
}

function readJsonObject(
  src: YamlSource,
  doc: Document,
  node: unknown,
  where: Pick<Setting, "resource" | "resourceType">,
  settings: Setting[],
  scripts: Script[],
  depth: number,
): void {
  if (!isMap(node) || depth > 16) return;
  for (const e of mapEntries(doc, node)) {
    const at = nodePosition(src, e.keyNode) ?? { line: 1, column: 1 };
    if (isScalar(e.value)) {
      const text = scalarText(e.value);
      settings.push({
        ...where,
        name: e.key,
        value: text,
        kind:
          typeof e.value.value === "boolean"
            ? "boolean"
            : typeof e.value.value === "number"
              ? "number"
              : "string",
        dynamic: text?.includes("{{") === true,
        ...at,
      });
    } else if (isSeq(e.value)) {
      const items = e.value.items.map((i) => scalarText(i) ?? "");
      settings.push({
        ...where,
        name: e.key,
        items,
        value: items.join(","),
        kind: "list",
        dynamic: items.some((x) => x.includes("{{")),
        ...at,
      });
      if (e.key === "inline") {
        for (const item of e.value.items) {
          if (!isScalar(item) || typeof item.value !== "string") continue;
          const scalar = item as Scalar;
          scripts.push({
            ...where,
            property: "inline",
            text: item.value,
            position: (offset) => scalarPosition(src, scalar, offset),
          });
        }
      }
    } else readJsonObject(src, doc, e.value as Node, where, settings, scripts, depth + 1);
  }
}
