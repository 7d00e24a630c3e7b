import { isMap, isPair, isScalar, LineCounter, type Node, type Pair, parseDocument } from "yaml";
import { ParseError } from "../errors.js";
import { assertNoConflictMarkers, stripCredentials, unquote } from "./text.js";
import { emptyManifest, type ParsedManifest } from "./types.js";

/** npm and Yarn registry configuration: `.npmrc`, `.yarnrc` (classic) and `.yarnrc.yml` (berry). */

const FALSE = /^(false|0|no)$/i;

/** `.npmrc`: `registry=`, `@scope:registry=`, `strict-ssl=false`. Auth lines are the secrets family's concern. */
export function parseNpmrc(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("registry-config", ".npmrc", "npm");
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (l === "" || l.startsWith("#") || l.startsWith(";")) return;
    const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(l);
    if (!m) return;
    const key = m[1]!.toLowerCase();
    const value = unquote(m[2]!);
    const line = i + 1;
    if (key === "registry") out.registries.push({ kind: "registry", value: stripCredentials(value), line });
    else if (/^@[^:]+:registry$/.test(key))
      out.registries.push({
        kind: "scoped-registry",
        value: stripCredentials(value),
        scope: key.split(":")[0],
        line,
      });
    else if (key === "strict-ssl" && FALSE.test(value))
      out.registries.push({ kind: "insecure-option", value: "strict-ssl=false", line });
  });
  return out;
}

/** `.yarnrc` (Yarn 1): `registry "https://…"`, `"@scope:registry" "https://…"`, `strict-ssl false`. */
export function parseYarnrcClassic(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("registry-config", ".yarnrc", "npm");
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (l === "" || l.startsWith("#")) return;
    const m = /^("[^"]+"|\S+)\s+(.+)$/.exec(l);
    if (!m) return;
    const key = unquote(m[1]!).toLowerCase();
    const value = unquote(m[2]!);
    const line = i + 1;
    if (key === "registry") out.registries.push({ kind: "registry", value: stripCredentials(value), line });
    else if (/^@[^:]+:registry$/.test(key))
      out.registries.push({
        kind: "scoped-registry",
        value: stripCredentials(value),
        scope: key.split(":")[0],
        line,
      });
    else if (key === "strict-ssl" && FALSE.test(value))
      out.registries.push({ kind: "insecure-option", value: "strict-ssl false", line });
  });
  return out;
}

/** `.yarnrc.yml`: `npmRegistryServer`, `npmScopes.<scope>.npmRegistryServer`, `unsafeHttpWhitelist`, `enableStrictSsl`, `checksumBehavior`. */
export function parseYarnrcYml(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("registry-config", ".yarnrc.yml", "npm");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ParseError(`invalid YAML: ${e.message.split("\n")[0]}`, e.linePos?.[0]?.line ?? 1);
  }
  const lineOf = (n: Node | Pair | null | undefined) => {
    const node = isPair(n) ? (n.key as Node) : n;
    return node?.range ? counter.linePos(node.range[0]).line : 1;
  };
  const root = doc.contents;
  if (!isMap(root)) return out;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    const scalar = isScalar(value) ? String(value.value) : undefined;
    const line = lineOf(pair);
    if (key === "npmRegistryServer" && scalar)
      out.registries.push({ kind: "registry", value: stripCredentials(scalar), line });
    else if (key === "enableStrictSsl" && scalar && FALSE.test(scalar))
      out.registries.push({ kind: "insecure-option", value: "enableStrictSsl: false", line });
    else if (key === "checksumBehavior" && scalar && /^(ignore|update)$/.test(scalar))
      out.registries.push({ kind: "insecure-option", value: `checksumBehavior: ${scalar}`, line });
    else if (key === "unsafeHttpWhitelist" && value && "items" in value) {
      for (const item of (value as { items: Node[] }).items) {
        if (isScalar(item))
          out.registries.push({
            kind: "insecure-option",
            value: `unsafeHttpWhitelist: ${String(item.value)}`,
            line: lineOf(item),
          });
      }
    } else if (key === "npmScopes" && isMap(value)) {
      for (const scope of value.items) {
        const name = isScalar(scope.key) ? String(scope.key.value) : "";
        if (!isMap(scope.value)) continue;
        for (const setting of scope.value.items) {
          if (isScalar(setting.key) && setting.key.value === "npmRegistryServer" && isScalar(setting.value)) {
            out.registries.push({
              kind: "scoped-registry",
              value: stripCredentials(String(setting.value.value)),
              scope: `@${name}`,
              line: lineOf(setting),
            });
          }
        }
      }
    }
  }
  return out;
}
