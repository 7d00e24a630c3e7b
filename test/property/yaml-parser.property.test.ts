import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineCounter, Parser, parseAllDocuments } from "yaml";
import { parseAllDocumentsQuietly, QuietParser } from "../../src/formats/yaml-parser.js";
import { documentsSnapshot } from "../support/yaml-documents.js";
import { HOSTILE, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "a: ",
  "b:\n",
  "- ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "---\n",
  "...\n",
  "%YAML 1.2\n",
  "%TAG ! tag:x,2024:\n",
  "&x ",
  "*x",
  "<<: *x",
  "? ",
  ": ",
  "|-\n",
  "|2+\n",
  ">\n",
  "{",
  "}",
  "[",
  "]",
  ", ",
  "!tag ",
  "!!str ",
  '"quoted \\" \\u00e9 ',
  "'single '' ",
  "# comment\n",
  "text",
  "1.10",
  "true",
  "~",
  "@",
  "`",
];

describe("QuietParser (property): the library's parser, token for token", () => {
  it("gives the same CST tokens and the same offsets as yaml's Parser on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        const lines: number[] = [];
        const quietLines: number[] = [];
        const expected = [...new Parser((n) => lines.push(n)).parse(text)];
        const actual = [...new QuietParser((n) => quietLines.push(n)).parse(text)];
        expect(actual).toEqual(expected);
        expect(quietLines).toEqual(lines);
      }),
      PROPERTY_RUNS,
    );
  });

  it("composes the same documents, ranges, errors and warnings as parseAllDocuments on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        const options = { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;
        const lib = parseAllDocuments(text, { ...options, lineCounter: new LineCounter() });
        const quiet = parseAllDocumentsQuietly(text, { ...options, lineCounter: new LineCounter() });
        expect(documentsSnapshot(quiet)).toEqual(documentsSnapshot(Array.isArray(lib) ? lib : []));
      }),
      PROPERTY_RUNS,
    );
  });
});
