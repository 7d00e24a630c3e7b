import { parse, TomlError } from "smol-toml";
import { ParseError } from "../errors.js";

/**
 * TOML values come from smol-toml, which keeps no positions; lines come from
 * a light scan of table headers and `key =` lines, which is all a dependency
 * file needs to point at the entry that declares a package.
 */

export type TomlTable = Record<string, unknown>;

export function parseToml(text: string, what: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (e) {
    if (e instanceof TomlError) {
      throw new ParseError(`invalid TOML in ${what}: ${e.message.split("\n")[0]}`, e.line, e.column);
    }
    throw new ParseError(`invalid TOML in ${what}: ${(e as Error).message}`, 1);
  }
}

export interface TomlBlock {
  /** Header name with quotes and spaces removed: `tool.poetry.dependencies`, `package`. */
  name: string;
  /** `[[name]]` rather than `[name]`. */
  array: boolean;
  line: number;
  /** `key =` lines directly in this block (dotted keys kept whole). */
  keys: Map<string, number>;
}

/** `[name]` or `[[name]]`, with an optional trailing comment; undefined for other lines. */
function parseHeader(line: string): { name: string; array: boolean } | undefined {
  const t = line.trim();
  if (!t.startsWith("[")) return undefined;
  const array = t.startsWith("[[");
  const close = t.indexOf("]", array ? 2 : 1);
  if (close < 0) return undefined;
  const rest = t.slice(close + (array ? 2 : 1)).trim();
  if (array && t[close + 1] !== "]") return undefined;
  if (rest !== "" && !rest.startsWith("#")) return undefined;
  const name = t.slice(array ? 2 : 1, close);
  return name.trim() === "" ? undefined : { name, array };
}
// Bare key parts exclude `.` so that a dotted key has exactly one way to match (no backtracking blow-up).
const KEY =
  /^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

export function normaliseKey(raw: string): string {
  // Split on dots outside quotes, drop the quotes: `tool."poetry".group . dev` → `tool.poetry.group.dev`.
  const parts: string[] = [];
  let current = "";
  let quote = "";
  for (const c of raw) {
    if (quote) {
      if (c === quote) quote = "";
      else current += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ".") {
      parts.push(current.trim());
      current = "";
    } else current += c;
  }
  parts.push(current.trim());
  return parts.join(".");
}

/** Every table header in file order, the root table first (name ""). */
export function tomlBlocks(lines: readonly string[]): TomlBlock[] {
  const blocks: TomlBlock[] = [{ name: "", array: false, line: 1, keys: new Map() }];
  let current = blocks[0]!;
  let inMultiline: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const header = parseHeader(line);
    if (header) {
      current = { name: normaliseKey(header.name), array: header.array, line: i + 1, keys: new Map() };
      blocks.push(current);
      continue;
    }
    const key = KEY.exec(line);
    if (key) {
      const name = normaliseKey(key[1]!);
      if (!current.keys.has(name)) current.keys.set(name, i + 1);
      const rest = line.slice(key[0].length);
      for (const q of ['"""', "'''"]) {
        const at = rest.indexOf(q);
        if (at >= 0 && rest.indexOf(q, at + 3) < 0) inMultiline = q;
      }
    }
  }
  return blocks;
}

export function findBlock(blocks: readonly TomlBlock[], name: string): TomlBlock | undefined {
  return blocks.find((b) => b.name === name);
}

/**
 * The quoted strings of an array value that starts on `startLine` (1-based),
 * with the line each sits on: `dependencies = [\n  "requests>=2",\n ]`.
 */
export function arrayStringLines(
  lines: readonly string[],
  startLine: number,
): Array<{ value: string; line: number }> {
  const out: Array<{ value: string; line: number }> = [];
  let depth = 0;
  let started = false;
  for (let i = startLine - 1; i < lines.length && i < startLine - 1 + 5000; i++) {
    let text = lines[i]!;
    if (i === startLine - 1) text = text.slice(text.indexOf("=") + 1);
    let j = 0;
    while (j < text.length) {
      const c = text[j]!;
      if (c === "#") break;
      if (c === '"' || c === "'") {
        let k = j + 1;
        let value = "";
        while (k < text.length && text[k] !== c) {
          if (c === '"' && text[k] === "\\" && k + 1 < text.length) {
            value += text[k + 1];
            k += 2;
            continue;
          }
          value += text[k];
          k++;
        }
        if (started && depth === 1) out.push({ value, line: i + 1 });
        j = k + 1;
        continue;
      }
      if (c === "[") {
        depth++;
        started = true;
      } else if (c === "]") {
        depth--;
        if (started && depth === 0) return out;
      }
      j++;
    }
    if (!started) return out;
  }
  return out;
}
