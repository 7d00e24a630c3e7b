import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, type Node, visit } from "yaml";
import { ParseError } from "../../src/formats/errors.js";
import { mapEntries, mapEntry, parseYamlSource } from "../../src/formats/yaml.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "a: ",
  "- ",
  "---\n",
  "...\n",
  "&x ",
  "*x",
  "<<: *x",
  "? ",
  "|-\n",
  ">\n",
  "  ",
  "{",
  "}",
  ", ",
  "!tag ",
];

describe("YAML reader (property)", () => {
  it("throws nothing but ParseError on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        onlyDeclaredErrors(() => parseYamlSource(text), ParseError);
      }),
      PROPERTY_RUNS,
    );
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "many keys in one mapping": (n) => Array.from({ length: n }, (_, i) => `k${i}: v\n`).join(""),
        "many duplicated keys": (n) => "on: push\n".repeat(n),
        "deep flow nesting": (n) => `${"[".repeat(n)}${"]".repeat(n)}`,
        "many documents": (n) => "---\na: 1\n".repeat(n),
        "long single line": (n) => `run: ${"echo ${{ x }} ".repeat(n)}\n`,
        "unterminated string": (n) => `a: "${"x\\\\".repeat(n * 4)}`,
        "many \\r": (n) => "a: 1\r".repeat(n),
      },
      (text) => parseYamlSource(text),
      200,
    );
  });

  it("finds a key as the first of mapEntries with that key (merges, aliases, odd keys included)", () => {
    const keys = ["a", "b", "c", "<<", "1", "true", "null"];
    const entryish = fc.constantFrom(
      ...keys.map((k) => `${k}: `),
      "&m ",
      "*m",
      "<<: *m\n",
      "<<: [*m, *n]\n",
      "&n {a: 1, b: 2}\n",
      "\n  ",
      "\n",
      "- ",
      "x\n",
      "{c: 3}",
      "[1]",
      "? [k]\n: v\n",
    );
    fc.assert(
      fc.property(fc.array(entryish, { maxLength: 40 }), (parts) => {
        let src: ReturnType<typeof parseYamlSource>;
        try {
          src = parseYamlSource(parts.join(""));
        } catch {
          return;
        }
        for (const doc of src.documents) {
          const maps: Node[] = [];
          visit(doc, (_, node) => {
            if (isMap(node)) maps.push(node);
          });
          for (const map of maps)
            for (const key of keys) {
              const expected = mapEntries(doc, map).find((e) => e.key === key);
              const actual = mapEntry(doc, map, key);
              expect(actual?.key).toBe(expected?.key);
              expect(actual?.keyNode).toBe(expected?.keyNode);
              expect(actual?.value).toBe(expected?.value);
            }
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
