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

const BASE64_RUN = /[A-Za-z0-9+/=]{4,}/g;
const ARMOR_HEADER = /^\s*["']?[A-Za-z-]{2,40}:\s/;

function bodyPart(text: string, state: { armored: boolean }): string {
  const cleaned = text.replace(/\\[rn]/g, " ");
  if (ARMOR_HEADER.test(cleaned)) {
    state.armored = true;
    return "";
  }
  return (cleaned.match(BASE64_RUN) ?? []).join("");
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
    return { body: bodyPart(rest.slice(0, endHere), state), extraLines: 0, complete: true, ...state };
  }
  let body = bodyPart(rest, state);
  let extraLines = 0;
  for (let i = 1; i <= MAX_BLOCK_LINES && body.length < MAX_BODY_CHARS; i++) {
    const line = next(i);
    if (line === undefined) break;
    extraLines = i;
    const end = line.indexOf("-----END");
    if (end >= 0) {
      body += bodyPart(line.slice(0, end), state);
      return { body, extraLines, complete: true, ...state };
    }
    if (line.includes("-----BEGIN")) {
      extraLines = i - 1;
      break;
    }
    body += bodyPart(line, state);
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
