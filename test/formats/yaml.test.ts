// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { isScalar } from "yaml";
import { ParseError } from "../../src/formats/errors.js";
import {
  getIn,
  mapEntries,
  nodePosition,
  parseYamlSource,
  scalarPosition,
  seqItems,
} from "../../src/formats/yaml.js";

function scalarAt(text: string, path: Array<string | number>) {
  const src = parseYamlSource(text);
  const doc = src.documents[0]!;
  const node = getIn(doc, doc.contents, path);
  if (!isScalar(node)) throw new Error("not a scalar");
  return { src, node, value: String(node.value) };
}

function lineOf(text: string, path: Array<string | number>, needle: string) {
  const { src, node, value } = scalarAt(text, path);
  const at = value.indexOf(needle);
  expect(at, `${needle} in ${JSON.stringify(value)}`).toBeGreaterThanOrEqual(0);
  return scalarPosition(src, node, at);
}

describe("parseYamlSource", () => {
  it("throws ParseError at the line of a syntax error", () => {
    const text = 'jobs:\n  build:\n    steps:\n      - run: echo "unterminated\n     bad: indentation\n';
    let error: unknown;
    try {
      parseYamlSource(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    // The parser trips on line 5, but the unclosed quote on line 4 is what the author must fix.
    expect((error as ParseError).line).toBe(4);
    expect((error as ParseError).message).toMatch(/^not valid YAML: .*line 4 has an unterminated quote/);
  });

  it("reports a misindented line itself when nothing above it is unbalanced", () => {
    const text = "jobs:\n  build:\n    steps:\n      - run: echo fine\n     bad: indentation\n";
    expect(() => parseYamlSource(text)).toThrow(ParseError);
    try {
      parseYamlSource(text);
    } catch (e) {
      expect((e as ParseError).line).toBe(5);
    }
  });

  it("reports a duplicate key as a parse error on its line", () => {
    expect(() => parseYamlSource("a: 1\nb: 2\na: 3\n")).toThrow(ParseError);
    try {
      parseYamlSource("a: 1\nb: 2\na: 3\n");
    } catch (e) {
      expect((e as ParseError).line).toBe(3);
    }
  });

  it("reads every document of a multi-document stream", () => {
    const src = parseYamlSource("a: 1\n---\nb: 2\n---\nc: 3\n");
    expect(src.documents.map((d) => mapEntries(d, d.contents).map((e) => e.key))).toEqual([
      ["a"],
      ["b"],
      ["c"],
    ]);
  });

  it("accepts an empty file", () => {
    expect(parseYamlSource("").documents.length).toBeLessThanOrEqual(1);
  });

  it("bounds the number of documents", () => {
    expect(() => parseYamlSource("a: 1\n---\n".repeat(20), { maxDocuments: 5 })).toThrow(/more than 5/);
  });
});

describe("positions", () => {
  it("gives the line and column of keys and values", () => {
    const src = parseYamlSource("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n");
    const doc = src.documents[0]!;
    const entry = mapEntries(doc, getIn(doc, doc.contents, ["jobs", "build"]))[0]!;
    expect(nodePosition(src, entry.keyNode)).toEqual({ line: 4, column: 5 });
    expect(nodePosition(src, entry.value)).toEqual({ line: 4, column: 14 });
  });

  it("follows aliases and merge keys", () => {
    const text = "base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  y: 3\nlist: &l [a, b]\nmore: *l\n";
    const src = parseYamlSource(text);
    const doc = src.documents[0]!;
    const other = mapEntries(doc, getIn(doc, doc.contents, ["other"]));
    expect(other.map((e) => `${e.key}=${String((e.value as { value?: unknown }).value)}`).sort()).toEqual([
      "x=1",
      "y=3",
    ]);
    expect(seqItems(doc, getIn(doc, doc.contents, ["more"])).length).toBe(2);
  });

  it("maps a place inside a literal block to its file line, blank lines included", () => {
    const text = "run: |\n  one\n  two\n\n  four ${{ x }}\n";
    expect(lineOf(text, ["run"], "${{")).toEqual({ line: 5, column: 8 });
  });

  it("handles |- and |+ chomping and explicit indentation indicators", () => {
    expect(lineOf("a:\n  run: |-\n    one\n    two ${{ x }}\n", ["a", "run"], "${{").line).toBe(4);
    expect(lineOf("run: |+ # keep\n  one\n\n  ${{ x }}\n\n", ["run"], "${{").line).toBe(4);
    expect(lineOf("run: |2\n    indented\n  ${{ x }}\n", ["run"], "${{").line).toBe(3);
  });

  it("handles folded blocks", () => {
    const text = "run: >\n  a b\n  c ${{ y }}\n\n  d\n";
    expect(lineOf(text, ["run"], "${{")).toEqual({ line: 3, column: 5 });
    expect(lineOf(text, ["run"], "d").line).toBe(5);
  });

  it("handles plain multi-line scalars", () => {
    expect(lineOf("run: echo a\n  b ${{ z }}\n", ["run"], "${{")).toEqual({ line: 2, column: 5 });
  });

  it("handles quoted scalars with escapes and line continuations", () => {
    const text = 'run: "q \\"z\\" \\\n  ${{ w }}"\n';
    expect(lineOf(text, ["run"], "${{")).toEqual({ line: 2, column: 3 });
    expect(lineOf("run: 'it''s\n  ${{ v }}'\n", ["run"], "${{").line).toBe(2);
  });

  it("handles CRLF files", () => {
    const text =
      "jobs:\r\n  a:\r\n    run: |\r\n      one\r\n      two\r\n      three\r\n      four ${{ x }}\r\n";
    expect(lineOf(text, ["jobs", "a", "run"], "${{")).toEqual({ line: 7, column: 12 });
  });
});
