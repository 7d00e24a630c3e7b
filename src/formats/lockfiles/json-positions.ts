import { ParseError } from "../errors.js";
import { isJsonWordChar } from "../json-reader.js";

/**
 * A JSON parser that remembers the line of every object key, because a
 * lockfile finding must point at the `"node_modules/x": {` line. It is a
 * single pass over char codes with no regular expressions, so a 20,000-entry
 * package-lock.json parses in a few tens of milliseconds. Lines only advance
 * in whitespace: JSON strings cannot hold a raw newline.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface PositionedJson {
  value: JsonValue;
  /** 1-based line of the object's opening brace. */
  objectLine(obj: JsonObject): number | undefined;
  /** 1-based line of a key inside an object. */
  keyLine(obj: JsonObject, key: string): number | undefined;
}

const MAX_DEPTH = 512;

export interface PositionOptions {
  /**
   * Which objects get their key lines recorded (all by default). Recording
   * costs a map per object; a lockfile only needs the lines of a few maps, so
   * limiting it keeps a 20,000-entry file fast and light on garbage.
   */
  recordKeys?: (depth: number, parentKey: string | undefined) => boolean;
}

export function parseJsonWithPositions(text: string, options: PositionOptions = {}): PositionedJson {
  const record = options.recordKeys;
  const keyLines = new WeakMap<JsonObject, Map<string, number>>();
  const openLines = new WeakMap<JsonObject, number>();
  let pos = 0;
  let line = 1;
  const len = text.length;

  const fail = (message: string): never => {
    throw new ParseError(`invalid JSON: ${message}`, line);
  };

  const skipWs = () => {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        pos++;
      } else if (c === 32 || c === 9 || c === 13) pos++;
      else break;
    }
  };

  const readString = (): string => {
    // pos is at the opening quote
    const start = pos + 1;
    let i = start;
    let escaped = false;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 10) fail("unterminated string");
      i++;
    }
    if (i >= len) fail("unterminated string");
    pos = i + 1;
    if (!escaped) return text.slice(start, i);
    try {
      return JSON.parse(text.slice(start - 1, i + 1)) as string;
    } catch {
      return fail("bad escape in string");
    }
  };

  const readLiteral = (): JsonValue => {
    const start = pos;
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (isJsonWordChar(c)) pos++;
      else break;
    }
    const word = text.slice(start, pos);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (word !== "" && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return Number(word);
    return fail(
      word === ""
        ? `unexpected character ${JSON.stringify(text[pos] ?? "end of input")}`
        : `unexpected token ${JSON.stringify(word.slice(0, 20))}`,
    );
  };

  const readValue = (depth: number, parentKey: string | undefined): JsonValue => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    skipWs();
    if (pos >= len) fail("unexpected end of input");
    const c = text.charCodeAt(pos);
    if (c === 34) return readString();
    if (c === 123) {
      const obj: JsonObject = {};
      const lines = !record || record(depth, parentKey) ? new Map<string, number>() : undefined;
      if (lines) {
        keyLines.set(obj, lines);
        openLines.set(obj, line);
      }
      pos++;
      skipWs();
      if (text.charCodeAt(pos) === 125) {
        pos++;
        return obj;
      }
      for (;;) {
        skipWs();
        if (text.charCodeAt(pos) !== 34) fail("expected a quoted key");
        const keyLine = line;
        const key = readString();
        skipWs();
        if (text.charCodeAt(pos) !== 58) fail(`expected ':' after key ${JSON.stringify(key.slice(0, 40))}`);
        pos++;
        const value = readValue(depth + 1, key);
        // A duplicated key keeps the last value (as JSON.parse does) and its line.
        if (key === "__proto__") {
          // An own property, never the prototype: a hostile lockfile cannot pollute anything.
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        } else obj[key] = value;
        lines?.set(key, keyLine);
        skipWs();
        const next = text.charCodeAt(pos);
        if (next === 44) {
          pos++;
          continue;
        }
        if (next === 125) {
          pos++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === 91) {
      const arr: JsonValue[] = [];
      pos++;
      skipWs();
      if (text.charCodeAt(pos) === 93) {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(readValue(depth + 1, parentKey));
        skipWs();
        const next = text.charCodeAt(pos);
        if (next === 44) {
          pos++;
          continue;
        }
        if (next === 93) {
          pos++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    return readLiteral();
  };

  const value = readValue(0, undefined);
  skipWs();
  if (pos < len) fail("unexpected content after the end of the document");
  return {
    value,
    objectLine: (obj) => openLines.get(obj),
    keyLine: (obj, key) => keyLines.get(obj)?.get(key),
  };
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asString(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}
