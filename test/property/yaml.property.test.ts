import fc from "fast-check";
import { describe, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { parseYamlSource } from "../../src/formats/yaml.js";
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
});
