import { shannonEntropy } from "./detector.js";

/**
 * A private key is a block, not a token: the header names the kind and the
 * body follows on the next lines (or on the same line with escaped newlines,
 * as in JSON). A header with a real-looking body is a leaked key; a header
 * followed by `...` in a tutorial is not.
 */

/** Stops reading a block that never ends (a broken file must not make the scan read forever). */
const MAX_BLOCK_LINES = 400;
const MAX_BODY_CHARS = 64_000;
const MIN_BODY_CHARS = 64;

export interface KeyBlock {
  /** Base64 body without whitespace or escapes: what is hashed and redacted. */
  body: string;
  /** Lines the block spans after the header line (0 = everything on one line). */
  extraLines: number;
  /** The END line was seen. */
  complete: boolean;
  /** The block carries armor headers (`Proc-Type: 4,ENCRYPTED`, `Version:`): its body is not bare DER. */
  armored: boolean;
}

const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const ARMOR_HEADER = /^[A-Za-z-]{2,40}:\s/;
/** What code wraps around a body line: indentation, quotes, concatenation, commas. */
const LEADING_WRAP = /^[\s"'`+,(]+/;
const TRAILING_WRAP = /[\s"'`+,;)]+$/;

/**
 * The base64 of one line of a block, or null when the line is not key
 * material (prose, `...`, code): the block ends there. Escaped newlines split
 * a line into several (one-line JSON form).
 */
function bodyPart(text: string, state: { armored: boolean }): string | null {
  let out = "";
  for (const segment of text.split(/\\[rn]/)) {
    const t = segment.replace(LEADING_WRAP, "").replace(TRAILING_WRAP, "");
    if (t === "") continue;
    if (ARMOR_HEADER.test(t)) {
      state.armored = true;
      continue;
    }
    if (!BASE64_LINE.test(t)) return null;
    out += t;
  }
  return out;
}

/**
 * Reads the body that follows a `-----BEGIN … PRIVATE KEY-----` header.
 * `rest` is the header line after the header; `next(i)` gives the i-th line
 * after it, or undefined when that line is not part of the change.
 */
export function readKeyBlock(rest: string, next: (offset: number) => string | undefined): KeyBlock {
  const state = { armored: false };
  // Another header on the same line starts another block: never read past it,
  // so a line of repeated headers costs linear time, not quadratic.
  const nextHeader = rest.indexOf("-----BEGIN");
  if (nextHeader >= 0) rest = rest.slice(0, nextHeader);
  const endHere = rest.indexOf("-----END");
  if (endHere >= 0) {
    return { body: bodyPart(rest.slice(0, endHere), state) ?? "", extraLines: 0, complete: true, ...state };
  }
  const first = bodyPart(rest, state);
  if (first === null) return { body: "", extraLines: 0, complete: false, ...state };
  let body = first;
  let extraLines = 0;
  for (let i = 1; i <= MAX_BLOCK_LINES && body.length < MAX_BODY_CHARS; i++) {
    const line = next(i);
    if (line === undefined || line.includes("-----BEGIN")) break;
    const end = line.indexOf("-----END");
    const part = bodyPart(end >= 0 ? line.slice(0, end) : line, state);
    if (part === null) break;
    extraLines = i;
    body += part;
    if (end >= 0) return { body, extraLines, complete: true, ...state };
  }
  return { body, extraLines, complete: false, ...state };
}

/** DER (PKCS#1, PKCS#8, SEC1) starts with a SEQUENCE byte: base64 `M`. OpenSSH keys start with their magic. */
const OPENSSH_MAGIC = "b3BlbnNzaC1rZXktdjE";

/**
 * Whether a block's body is a key rather than a placeholder: long enough,
 * random enough, and starting the way that kind of key starts.
 */
export function isRealKeyBody(kind: string, isPgp: boolean, block: KeyBlock): boolean {
  const { body } = block;
  if (body.length < MIN_BODY_CHARS) return false;
  if (shannonEntropy(body) < 4.5) return false;
  if (isPgp || block.armored) return true;
  if (kind.trim() === "OPENSSH") return body.startsWith(OPENSSH_MAGIC);
  return body.startsWith("M");
}
