import type { FileVersion } from "../checks/types.js";
import type { LoadedContent } from "./types.js";

/** Decoding one loaded version of a file, with the bounds an attacker cannot move. */

export type Decoded =
  /** `invalidUtf8`: bytes that are not UTF-8 were replaced by U+FFFD so the file is still checked. */
  | { kind: "text"; text: string; bytes: number; invalidUtf8?: boolean }
  | { kind: "missing" }
  | { kind: "binary"; bytes: number }
  | { kind: "too-large"; bytes: number };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

export function decodeContent(content: LoadedContent, maxBytes: number): Decoded {
  if (content === null) return { kind: "missing" };
  if (typeof content === "string") {
    const bytes = Buffer.byteLength(content, "utf8");
    if (bytes > maxBytes) return { kind: "too-large", bytes };
    if (content.includes("\u0000")) return { kind: "binary", bytes };
    return { kind: "text", text: stripBom(content), bytes };
  }
  const bytes = content.byteLength;
  if (bytes > maxBytes) return { kind: "too-large", bytes };
  // git's own heuristic: a NUL byte in the first 8,000 bytes means binary.
  const probe = content.subarray(0, 8000);
  if (probe.includes(0)) return { kind: "binary", bytes };
  try {
    return { kind: "text", text: stripBom(utf8.decode(content)), bytes };
  } catch {
    // One Latin-1 byte must not switch the gate off for the whole file: check it with the byte replaced.
    return { kind: "text", text: stripBom(lenientUtf8.decode(content)), bytes, invalidUtf8: true };
  }
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

export function describeSkip(
  decoded: Exclude<Decoded, { kind: "text" }>,
  maxBytes: number,
  limitKey = "max-file-bytes",
): string {
  switch (decoded.kind) {
    case "missing":
      return "content unavailable";
    case "binary":
      return "binary file, not analysed";
    case "too-large":
      return `${formatBytes(decoded.bytes)} is over the ${formatBytes(maxBytes)} limit (${limitKey}), not analysed`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)} kB`;
  return `${n} B`;
}
