import { type Document, LineCounter } from "yaml";
import type { ParseError } from "./errors.js";
import { documentParseError, type YamlSource } from "./yaml.js";
import { parseAllDocumentsQuietly } from "./yaml-parser.js";

/**
 * A YAML stream read document by document, for formats whose files hold many
 * independent documents (Kubernetes manifests): a broken document is an
 * error of its own and the others are still read, and what an author
 * controls is bounded before the `yaml` library sees it — the number of
 * documents (10,000 small documents took 2.5 s) and the nesting depth (a
 * 100,000-deep flow sequence took 3.7 s and deeper ones exhaust the stack).
 * Bounds are checked by one linear pre-scan of the text; past them the stream
 * is cut, or not parsed at all, and `limited` says why.
 */

export interface StreamDocument {
  doc: Document.Parsed;
  /** The document's first syntax error or duplicated key; its other nodes are not to be trusted. */
  error?: ParseError;
}

export interface YamlStream {
  src: YamlSource;
  documents: StreamDocument[];
  /** Set when a bound cut the stream short: what was not read, for a note. */
  limited?: string;
}

export interface YamlStreamLimits {
  /** Documents read; the rest of the stream is skipped. */
  maxDocuments?: number;
  /** Deepest nesting (flow brackets, compact sequences or indentation levels) parsed at all. */
  maxDepth?: number;
  /**
   * `failsafe` keeps every scalar a string (no null/bool/number resolution): about a seventh less
   * parse time, for readers that compare text anyway (and that keep `1.10` from becoming `1.1`).
   */
  schema?: "core" | "failsafe";
}

export const DEFAULT_STREAM_LIMITS = { maxDocuments: 1_000, maxDepth: 256 } as const;

export function parseYamlStream(text: string, limits: YamlStreamLimits = {}): YamlStream {
  const maxDocuments = limits.maxDocuments ?? DEFAULT_STREAM_LIMITS.maxDocuments;
  const maxDepth = limits.maxDepth ?? DEFAULT_STREAM_LIMITS.maxDepth;
  const scan = prescan(text, maxDocuments, maxDepth);
  const lineCounter = new LineCounter();
  if (scan.tooDeep !== undefined) {
    return {
      src: { text, documents: [], lineCounter },
      documents: [],
      limited: `nested deeper than ${maxDepth} levels (line ${scan.tooDeep}): not read`,
    };
  }
  const read = scan.cutAt === undefined ? text : text.slice(0, scan.cutAt);
  // The library's parseAllDocuments without its per-token debug switch (yaml-parser.ts says why).
  const docs = parseAllDocumentsQuietly(read, {
    lineCounter,
    prettyErrors: false,
    // Checked by documentParseError instead: the library's check is quadratic in a mapping's keys.
    uniqueKeys: false,
    keepSourceTokens: false,
    schema: limits.schema ?? "core",
  });
  const documents = docs.map((doc) => {
    const error = documentParseError(read, lineCounter, doc);
    return error ? { doc, error } : { doc };
  });
  const src: YamlSource = { text, documents: docs, lineCounter };
  if (scan.cutAt === undefined) return { src, documents };
  return {
    src,
    documents,
    limited: `more than ${maxDocuments} YAML documents: the first ${maxDocuments} were read, the rest (from line ${scan.cutLine}) were not`,
  };
}

interface Prescan {
  /** Offset of the start marker of the first document past the bound. */
  cutAt?: number;
  cutLine?: number;
  /** Line where nesting first passes the bound. */
  tooDeep?: number;
}

/**
 * One pass over the lines: document markers (`---` at column 0, which ends
 * any block scalar) and an upper estimate of nesting — open flow brackets
 * (counted outside comments, and inside quotes too, which only overestimates),
 * chained compact sequence entries (`- - - x`) and indentation.
 */
function prescan(text: string, maxDocuments: number, maxDepth: number): Prescan {
  let documents = 0;
  let flow = 0;
  let line = 0;
  for (let start = 0; start < text.length; ) {
    line++;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (text.startsWith("---", start) && (end === start + 3 || isBlank(text.charCodeAt(start + 3)))) {
      documents++;
      if (documents > maxDocuments) return { cutAt: start, cutLine: line };
      flow = 0;
    } else {
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      let depth = i - start;
      // Each chained `- ` is one more level on the same line.
      while (i + 1 < end && text[i] === "-" && isBlank(text.charCodeAt(i + 1))) {
        depth++;
        i += 2;
        while (i < end && isBlank(text.charCodeAt(i))) i++;
      }
      if (documents === 0 && i < end && text[i] !== "#" && text[i] !== "\r") documents = 1;
      for (; i < end; i++) {
        const c = text[i];
        if (c === "#" && isBlank(text.charCodeAt(i - 1))) break;
        if (c === "[" || c === "{") {
          if (++flow > maxDepth) return { tooDeep: line };
        } else if ((c === "]" || c === "}") && flow > 0) flow--;
      }
      if (depth > maxDepth * 8) return { tooDeep: line };
    }
    start = end + 1;
  }
  return {};
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10 || Number.isNaN(code);
}
