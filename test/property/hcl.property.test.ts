// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text uses ${…}
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { type HclParser, loadHcl } from "../../src/formats/hcl.js";
import { parseHclJson } from "../../src/formats/hcl-json.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  'resource "aws_s3_bucket" "b" {',
  "}",
  "{",
  "[",
  "]",
  " = ",
  '"',
  "${",
  "%{ if x }",
  "%{ endif }",
  "<<EOT\n",
  "<<-EOT\n",
  "EOT\n",
  "jsonencode(",
  ")",
  'dynamic "ingress" {',
  "content {",
  "var.x",
  "local.y[0]",
  "[for x in y : x]",
  "a ? b : c",
  "# c\n",
  "/* c */",
  "\n",
  ",",
  "...",
  ".*",
];

let hcl: HclParser;
beforeAll(async () => {
  hcl = await loadHcl();
});

describe("HCL parser (property)", () => {
  it("throws nothing but ParseError on any input, and a ParseError has a line inside the text", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        try {
          hcl.parse(text);
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(text.split("\n").length);
        }
        onlyDeclaredErrors(() => parseHclJson(text), ParseError);
      }),
      PROPERTY_RUNS,
    );
  });

  it("refuses nesting past its bound as a ParseError instead of exhausting the stack", () => {
    expect(() => hcl.parse(`x = ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`)).toThrow(ParseError);
    expect(() => hcl.parse(`${"a {\n".repeat(5_000)}${"}\n".repeat(5_000)}`)).toThrow(ParseError);
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "many resources": (n) =>
          `resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = { a = "b" }\n}\n`.repeat(n),
        "one long heredoc": (n) => `policy = <<EOT\n${'{"Action": "s3:GetObject"},\n'.repeat(n * 4)}EOT\n`,
        "a long string of interpolations": (n) => `x = "${"${var.a}-".repeat(n)}"\n`,
        "unterminated blocks": (n) => 'resource "a" "b" {\n  x = 1\n'.repeat(n),
        "unterminated strings": (n) => 'x = "abc\n'.repeat(n),
      },
      (text) => hcl.parse(text),
      100,
    );
    expectLinear(
      {
        "tf.json resources": (n) =>
          JSON.stringify({
            resource: {
              aws_s3_bucket: Object.fromEntries(
                Array.from({ length: n }, (_, i) => [`b${i}`, { bucket: `x${i}`, tags: { a: "b" } }]),
              ),
            },
          }),
      },
      (text) => parseHclJson(text),
      200,
    );
  });
});
