import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LineCounter, parseAllDocuments } from "yaml";
import { slices as configSlices } from "../../bench/config-mgmt.js";
import { slices as pipelineSlices } from "../../bench/pipelines.js";
import { parseAllDocumentsQuietly } from "../../src/formats/yaml-parser.js";
import { documentsSnapshot } from "../support/yaml-documents.js";

function both(text: string): { lib: unknown; quiet: unknown; libLines: number[]; quietLines: number[] } {
  const options = { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;
  const libCounter = new LineCounter();
  const quietCounter = new LineCounter();
  const lib = parseAllDocuments(text, { ...options, lineCounter: libCounter });
  const quiet = parseAllDocumentsQuietly(text, { ...options, lineCounter: quietCounter });
  return {
    lib: documentsSnapshot(Array.isArray(lib) ? lib : []),
    quiet: documentsSnapshot(quiet),
    libLines: libCounter.lineStarts,
    quietLines: quietCounter.lineStarts,
  };
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.(ya?ml|sls)$/.test(name)) out.push(path);
  }
  return out;
}

describe("parseAllDocumentsQuietly", () => {
  it("parses every YAML file of the repository's rules and fixtures as parseAllDocuments does", () => {
    const files = [
      ...yamlFilesUnder("rules"),
      ...yamlFilesUnder("test/fixtures"),
      ...yamlFilesUnder("examples"),
    ];
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const r = both(readFileSync(file, "utf8"));
      expect(r.quiet, file).toEqual(r.lib);
      expect(r.quietLines, file).toEqual(r.libLines);
    }
  });

  it("parses the benchmarks' pipelines, playbooks and states as parseAllDocuments does", () => {
    const files = [...pipelineSlices(), ...configSlices()].flatMap((s) => s.files.slice(0, 5));
    for (const { path, text } of files) {
      const r = both(text);
      expect(r.quiet, path).toEqual(r.lib);
      expect(r.quietLines, path).toEqual(r.libLines);
    }
  });

  it.each([
    ["empty", ""],
    ["comments only", "# a\n# b\n"],
    ["several documents", "a: 1\n---\nb: [1, 2]\n...\n---\n- x\n"],
    ["directives", "%YAML 1.2\n%TAG !e! tag:example.com,2024:\n---\na: !e!x 1\n"],
    ["block scalars", "a: |-\n  one\n  two\nb: >\n  folded\n  text\n\nc: |2+\n   kept\n\n"],
    ["CRLF", "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n"],
    ["anchors and merges", "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n"],
    ["syntax errors", 'a: [1, 2\nb: {c\n  - d\n"open\n'],
    ["bad indentation", "a:\n  b: 1\n c: 2\n"],
    ["not a YAML token", "a: \u0001\n`x`\n@y\n"],
    ["flow error end", "{ a: 1 }}\n]\n"],
    ["tabs", "a:\n\t- b\n"],
  ])("parses %s as parseAllDocuments does", (_, text) => {
    const r = both(text);
    expect(r.quiet).toEqual(r.lib);
    expect(r.quietLines).toEqual(r.libLines);
  });
});
