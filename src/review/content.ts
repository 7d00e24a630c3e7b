import type { FileVersion } from "../formats/file.js";
import type { LoadedContent } from "./types.js";

/**
 * Decoding one loaded version of a file, with the bounds an attacker cannot
 * move. Whether a file is binary is decided here, from its bytes: never by
 * what the host, git or the repository's own `.gitattributes` say about it.
 */

export type Decoded =
  | {
      kind: "text";
      text: string;
      bytes: number;
      /** Bytes that are not UTF-8 were replaced by U+FFFD so the file is still checked. */
      invalidUtf8?: boolean;
      /** Decoded from UTF-16 (a byte order mark, or the zero high bytes of ASCII text). */
      encoding?: "UTF-16 LE" | "UTF-16 BE";
      /** 0-based offset of the first NUL: each NUL became a space, so tokens stay apart and lines keep their numbers. */
      firstNul?: number;
    }
  | { kind: "missing" }
  /** `format`: what the magic number says it is ("PNG image"), when it says. */
  | { kind: "binary"; bytes: number; format?: string }
  | { kind: "undecodable"; bytes: number; why: string }
  /**
   * `exact`: `bytes` is the file's size, not just how far the loader read.
   * `sample`: the start of the text, for sniffing what kind of file it is.
   */
  | { kind: "too-large"; bytes: number; exact: boolean; sample?: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
const utf16le = new TextDecoder("utf-16le", { fatal: false, ignoreBOM: false });

/** What git looks at to call a file binary; enough to tell text with a stray NUL from data. */
const PROBE = 8000;
const SAMPLE_CHARS = 65_536;

/** Signatures of common binary formats (a few bytes at offset 0). */
const MAGIC: ReadonlyArray<readonly [string, readonly number[]]> = [
  ["PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["JPEG image", [0xff, 0xd8, 0xff]],
  ["PDF document", [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ["ZIP archive", [0x50, 0x4b, 0x03, 0x04]],
  ["gzip data", [0x1f, 0x8b]],
  ["bzip2 data", [0x42, 0x5a, 0x68]],
  ["xz data", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["7-zip archive", [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ["zstd data", [0x28, 0xb5, 0x2f, 0xfd]],
  ["ELF executable", [0x7f, 0x45, 0x4c, 0x46]],
  ["Mach-O executable", [0xcf, 0xfa, 0xed, 0xfe]],
  ["Mach-O executable", [0xce, 0xfa, 0xed, 0xfe]],
  ["Java class or Mach-O universal binary", [0xca, 0xfe, 0xba, 0xbe]],
  ["WebAssembly module", [0x00, 0x61, 0x73, 0x6d]],
  ["RIFF media (WebP, WAV, AVI)", [0x52, 0x49, 0x46, 0x46]],
  ["ICO image", [0x00, 0x00, 0x01, 0x00]],
  ["WOFF font", [0x77, 0x4f, 0x46, 0x46]],
  ["WOFF2 font", [0x77, 0x4f, 0x46, 0x32]],
  ["SQLite database", [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66]],
];

/** Byte (or char code) access over either kind of content. */
interface Units {
  length: number;
  at(i: number): number;
}

function unitsOf(content: Uint8Array | string): Units {
  return typeof content === "string"
    ? { length: content.length, at: (i) => content.charCodeAt(i) }
    : { length: content.length, at: (i) => content[i]! };
}

function magicFormat(u: Units): string | undefined {
  for (const [name, sig] of MAGIC) {
    // Text that was decoded as UTF-8 (a patch) holds U+FFFD where a signature byte was not UTF-8.
    if (u.length >= sig.length && sig.every((b, i) => u.at(i) === b || (b >= 0x80 && u.at(i) === 0xfffd)))
      return name;
  }
  return undefined;
}

/** ASCII text in UTF-16 without a byte order mark: every other byte of the probe is zero. */
function bomlessUtf16(u: Units): "UTF-16 LE" | "UTF-16 BE" | undefined {
  const n = Math.min(u.length, PROBE) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (u.at(i) === 0) evenZero++;
    if (u.at(i + 1) === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.6 && evenZero <= pairs * 0.05) return "UTF-16 LE";
  if (evenZero >= pairs * 0.6 && oddZero <= pairs * 0.05) return "UTF-16 BE";
  return undefined;
}

/**
 * Data rather than text with a few stray NULs: more than one unit in ten of the
 * probe is a control character other than NUL and the usual whitespace. NULs
 * do not count, so padding a text file with NULs does not make it "binary".
 */
function mostlyControl(u: Units): boolean {
  const n = Math.min(u.length, PROBE);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = u.at(i);
    if ((c < 0x20 && c !== 0 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 27) || c === 0x7f)
      control++;
  }
  return control * 10 > n;
}

function swapBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length & ~1);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

function decodeUtf16(content: Uint8Array | string, encoding: "UTF-16 LE" | "UTF-16 BE"): string {
  if (typeof content === "string") {
    // A string loader already decoded: zero units are the high bytes of ASCII text.
    let out = "";
    for (let i = encoding === "UTF-16 LE" ? 0 : 1; i < content.length; i += 2) out += content[i];
    return out;
  }
  return utf16le.decode(encoding === "UTF-16 LE" ? content : swapBytes(content));
}

function sampleOf(content: Uint8Array | string): string {
  if (typeof content === "string") return content.slice(0, SAMPLE_CHARS);
  return lenientUtf8.decode(content.subarray(0, SAMPLE_CHARS));
}

/**
 * `knownSize`: the file's size when the host says it without loading it, so a
 * loader that stopped at the bound still gives an exact size.
 */
export function decodeContent(content: LoadedContent, maxBytes: number, knownSize?: number): Decoded {
  if (content === null) return { kind: "missing" };
  const bytes = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.byteLength;
  if (bytes > maxBytes || (knownSize !== undefined && knownSize > maxBytes)) {
    // Loaders stop reading at the bound plus one byte: what they read is not the size.
    const exact = knownSize !== undefined || bytes > maxBytes + 1;
    const size = knownSize === undefined ? bytes : Math.max(knownSize, bytes);
    return { kind: "too-large", bytes: size, exact, sample: sampleOf(content) };
  }
  // A loader that stopped early (a lower bound than the engine's) must not pass for the whole file.
  if (knownSize !== undefined && bytes < knownSize)
    return {
      kind: "undecodable",
      bytes: knownSize,
      why: `incomplete: only ${groupDigits(bytes)} of its ${groupDigits(knownSize)} bytes were loaded`,
    };
  const u = unitsOf(content);
  // The common case, valid UTF-8 text without a NUL, costs one native byte search and the decode.
  // Buffer's indexOf is memchr; Uint8Array's walks the bytes in JavaScript, as slow as decoding them.
  const nul =
    typeof content === "string"
      ? content.indexOf("\u0000")
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength).indexOf(0);
  const b0 = u.at(0);
  const b1 = u.at(1);
  if (bytes >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) {
    if (bytes >= 4 && b0 === 0xff && u.at(2) === 0 && u.at(3) === 0)
      return {
        kind: "undecodable",
        bytes,
        why: "UTF-32 text (byte order mark), which Tollgate does not decode",
      };
    if (typeof content !== "string") {
      const encoding = b0 === 0xff ? "UTF-16 LE" : "UTF-16 BE";
      return utf16Text(decodeUtf16(content.subarray(2), encoding), bytes, encoding);
    }
  }
  if (bytes >= 4 && b0 === 0 && b1 === 0 && u.at(2) === 0xfe && u.at(3) === 0xff)
    return {
      kind: "undecodable",
      bytes,
      why: "UTF-32 text (byte order mark), which Tollgate does not decode",
    };
  if (nul < 0) {
    if (typeof content === "string") return { kind: "text", text: stripBom(content), bytes };
    try {
      return { kind: "text", text: stripBom(utf8.decode(content)), bytes };
    } catch {
      // One Latin-1 byte must not switch the gate off for the whole file: check it with the byte replaced.
      return { kind: "text", text: stripBom(lenientUtf8.decode(content)), bytes, invalidUtf8: true };
    }
  }
  const format = magicFormat(u);
  if (format) return { kind: "binary", bytes, format };
  const utf16 = bomlessUtf16(u);
  if (utf16) return utf16Text(decodeUtf16(content, utf16), bytes, utf16);
  if (mostlyControl(u)) return { kind: "binary", bytes };
  // Text with NULs: each NUL separates what is on either side, as a line break would, and the
  // secrets in between are still found; a space keeps every line at its number.
  const raw = typeof content === "string" ? content : lenientUtf8.decode(content);
  const text = stripBom(raw.replaceAll("\u0000", " "));
  const out: Decoded = { kind: "text", text, bytes, firstNul: nul };
  if (raw.includes("\uFFFD") && typeof content !== "string") out.invalidUtf8 = true;
  return out;
}

function utf16Text(text: string, bytes: number, encoding: "UTF-16 LE" | "UTF-16 BE"): Decoded {
  const clean = stripBom(text);
  const nul = clean.indexOf("\u0000");
  const out: Decoded = {
    kind: "text",
    text: nul < 0 ? clean : clean.replaceAll("\u0000", " "),
    bytes,
    encoding,
  };
  if (nul >= 0) out.firstNul = nul;
  return out;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A file version whose line array and derived values are computed once, on first use. */
export class TextVersion implements FileVersion {
  private cachedLines: string[] | undefined;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  get lines(): readonly string[] {
    if (!this.cachedLines) {
      const body = this.text.endsWith("\n") ? this.text.slice(0, -1) : this.text;
      this.cachedLines =
        body === "" ? [] : body.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
    }
    return this.cachedLines;
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }
}

/** Why a version could not be read, as a clause: "1,000,417 bytes is over the 1,000,000-byte limit (max-file-bytes)". */
export function describeUnreadable(
  decoded: Exclude<Decoded, { kind: "text" }>,
  maxBytes: number,
  limitKey = "max-file-bytes",
): string {
  switch (decoded.kind) {
    case "missing":
      return "its content is unavailable";
    case "binary":
      return decoded.format ? `it is binary (${decoded.format})` : "it is binary data, not text";
    case "undecodable":
      return `it is ${decoded.why}`;
    case "too-large":
      return `${decoded.exact ? "" : "at least "}${formatBytes(decoded.bytes)} is over the ${formatByteLimit(maxBytes)} limit (${limitKey})`;
  }
}

/** The note for a file of no family that is not analysed. */
export function describeSkip(
  decoded: Exclude<Decoded, { kind: "text" }>,
  maxBytes: number,
  limitKey = "max-file-bytes",
): string {
  switch (decoded.kind) {
    case "missing":
      return "content unavailable";
    case "binary":
      return decoded.format ? `binary file (${decoded.format}), not analysed` : "binary file, not analysed";
    default:
      return `${describeUnreadable(decoded, maxBytes, limitKey)}, not analysed`;
  }
}

/** Exact, so that "over the limit" never reads as "1.0 MB is over the 1.0 MB limit". */
export function formatBytes(n: number): string {
  return `${groupDigits(n)} byte${n === 1 ? "" : "s"}`;
}

export function formatByteLimit(n: number): string {
  return `${groupDigits(n)}-byte`;
}

/** 1000417 → "1,000,417", the same on every machine and locale. */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
