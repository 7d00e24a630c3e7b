/**
 * JSON read straight into the caller's values, each built with the line of the
 * key it sits under. Terraform's `*.tf.json` reader and the heredoc policies of
 * the tf family need exactly that, and going through `lockfiles/json-positions`
 * first (a JSON value, then a WeakMap and a Map of key lines per object, then a
 * second walk looking every key's line up) cost 1.3–1.9 s on a 5 MB `.tf.json`,
 * against ~80 ms for `JSON.parse`. JSON.parse cannot give lines, and no small
 * maintained library builds caller values with them, so this is a single pass
 * over char codes: no regular expression and no allocation per character.
 *
 * It accepts and rejects exactly what `parseJsonWithPositions` does (the same
 * string, number and depth rules), and builds objects as `JSON.parse` and
 * `Object.entries` would see them: a duplicated key keeps its first place with
 * the last value and line; integer keys come first, in ascending order.
 */

/** Builds the caller's value for each JSON value, bottom-up. */
export interface JsonBuilder<T> {
  /**
   * `line` is the 1-based line of the key the value is under (the nearest one:
   * an array's items share their array's key); at the root, the line of the
   * root's `{`, or 1 for any other root. `depth` is 0 at the root.
   */
  scalar(value: string | number | boolean | null, line: number, depth: number): T;
  array(items: T[], line: number, depth: number): T;
  /** Keys, values and key lines of an object, in `Object.entries` order, without duplicates. */
  object(keys: string[], values: T[], keyLines: number[], line: number, depth: number): T;
}

/** Deeper nesting is refused, as `parseJsonWithPositions` refuses it. */
const MAX_DEPTH = 512;

/** One preallocated instance: a syntax error is an answer here ("not JSON"), so it must cost no stack trace. */
class NotJson extends Error {}
const NOT_JSON = new NotJson("not JSON");

/** The value built by `builder`, or undefined when the text is not JSON. */
export function readJson<T>(text: string, builder: JsonBuilder<T>): { value: T } | undefined {
  try {
    return { value: new Reader(text, builder).document() };
  } catch (e) {
    if (e === NOT_JSON) return undefined;
    throw e;
  }
}

class Reader<T> {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly builder: JsonBuilder<T>,
  ) {}

  document(): T {
    this.skipWs();
    const rootLine = this.text.charCodeAt(this.pos) === 123 ? this.line : 1;
    const value = this.value(0, rootLine);
    this.skipWs();
    if (this.pos < this.text.length) throw NOT_JSON;
    return value;
  }

  private skipWs(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      pos++;
    }
    this.pos = pos;
  }

  private value(depth: number, line: number): T {
    if (depth > MAX_DEPTH) throw NOT_JSON;
    this.skipWs();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.builder.scalar(this.string(), line, depth);
    if (c === 123) return this.object(depth, line);
    if (c === 91) return this.array(depth, line);
    return this.builder.scalar(this.literal(), line, depth);
  }

  private object(depth: number, line: number): T {
    const text = this.text;
    const keys: string[] = [];
    const values: T[] = [];
    const lines: number[] = [];
    this.pos++;
    this.skipWs();
    if (text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return this.builder.object(keys, values, lines, line, depth);
    }
    for (;;) {
      this.skipWs();
      if (text.charCodeAt(this.pos) !== 34) throw NOT_JSON;
      const keyLine = this.line;
      keys.push(this.string());
      lines.push(keyLine);
      this.skipWs();
      if (text.charCodeAt(this.pos) !== 58) throw NOT_JSON;
      this.pos++;
      values.push(this.value(depth + 1, keyLine));
      this.skipWs();
      const next = text.charCodeAt(this.pos++);
      if (next === 44) continue;
      if (next !== 125) throw NOT_JSON;
      normalise(keys, values, lines);
      return this.builder.object(keys, values, lines, line, depth);
    }
  }

  private array(depth: number, line: number): T {
    const text = this.text;
    const items: T[] = [];
    this.pos++;
    this.skipWs();
    if (text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return this.builder.array(items, line, depth);
    }
    for (;;) {
      items.push(this.value(depth + 1, line));
      this.skipWs();
      const next = text.charCodeAt(this.pos++);
      if (next === 44) continue;
      if (next !== 93) throw NOT_JSON;
      return this.builder.array(items, line, depth);
    }
  }

  /** A string at `pos` (its opening quote). Like `parseJsonWithPositions`: a raw newline ends nothing, it is an error. */
  private string(): string {
    const text = this.text;
    const len = text.length;
    const start = this.pos + 1;
    let i = start;
    let escaped = false;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i++;
      } else if (c === 10) throw NOT_JSON;
    }
    if (i >= len) throw NOT_JSON;
    this.pos = i + 1;
    if (!escaped) return text.slice(start, i);
    try {
      return JSON.parse(text.slice(start - 1, i + 1)) as string;
    } catch {
      throw NOT_JSON;
    }
  }

  private literal(): string | number | boolean | null {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (isJsonWordChar(c)) pos++;
      else break;
    }
    this.pos = pos;
    const word = text.slice(start, pos);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (word !== "" && NUMBER.test(word)) return Number(word);
    throw NOT_JSON;
  }
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Small objects are checked for repeated keys pairwise, larger ones with a Set. */
const PAIRWISE = 8;

/**
 * Puts an object's entries in `Object.entries` order, in place: a repeated key
 * keeps its first place with its last value and line (JSON.parse keeps the last
 * value; the positioned reader kept the last line), integer-like keys first.
 */
function normalise<T>(keys: string[], values: T[], lines: number[]): void {
  const n = keys.length;
  let special = false;
  for (let i = 0; i < n && !special; i++) {
    const c = keys[i]!.charCodeAt(0);
    if (c >= 48 && c <= 57 && isArrayIndex(keys[i]!)) special = true;
  }
  if (!special) {
    if (n <= PAIRWISE) {
      for (let i = 1; i < n && !special; i++)
        for (let j = 0; j < i; j++)
          if (keys[i] === keys[j]) {
            special = true;
            break;
          }
    } else special = new Set(keys).size !== n;
  }
  if (!special) return;
  const at = new Map<string, number>();
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const first = at.get(keys[i]!);
    if (first === undefined) {
      at.set(keys[i]!, order.length);
      order.push(i);
    } else order[first] = i; // the last value and line, at the first place
  }
  const entries = order.map((i, p) => ({ key: keys[i]!, value: values[i]!, line: lines[i]!, place: p }));
  entries.sort((a, b) => {
    const ai = isArrayIndex(a.key);
    const bi = isArrayIndex(b.key);
    if (ai && bi) return Number(a.key) - Number(b.key);
    if (ai !== bi) return ai ? -1 : 1;
    return a.place - b.place;
  });
  keys.length = values.length = lines.length = 0;
  for (const e of entries) {
    keys.push(e.key);
    values.push(e.value);
    lines.push(e.line);
  }
}

/** A canonical array index (what JavaScript orders first among an object's keys). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) <= 4_294_967_294;
}

/**
 * A character of a JSON literal's word (`true`, `null`, `-1.5e+3`): letters, digits, sign, dot. A
 * reader takes the whole word, then checks it, so `tru` or `1.2.3` is one error at its start.
 */
export function isJsonWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46
  );
}
