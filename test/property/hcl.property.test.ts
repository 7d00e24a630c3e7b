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

  it.each([
    ["tuples", (n: number) => `x = ${"[".repeat(n)}${"]".repeat(n)}\n`],
    ["objects", (n: number) => `x = ${"{ a = ".repeat(n)}1${" }".repeat(n)}\n`],
    ["parentheses", (n: number) => `x = ${"(".repeat(n)}1${")".repeat(n)}\n`],
    ["calls", (n: number) => `x = ${"f(".repeat(n)}${")".repeat(n)}\n`],
    ["indices", (n: number) => `x = ${"a[".repeat(n)}0${"]".repeat(n)}\n`],
    ["interpolations", (n: number) => `x = ${'"${'.repeat(n)}a${'}"'.repeat(n)}\n`],
    ["for expressions", (n: number) => `x = ${"[for a in ".repeat(n)}b${" : a]".repeat(n)}\n`],
    ["conditionals in the middle", (n: number) => `x = ${"a ? ".repeat(n)}b${" : c".repeat(n)}\n`],
    ["negations in parentheses", (n: number) => `x = ${"-(".repeat(n)}1${")".repeat(n)}\n`],
    ["blocks", (n: number) => `${"a {\n".repeat(n)}${"}\n".repeat(n)}`],
    ["one-line blocks in objects", (n: number) => `a { b = ${"{ c = ".repeat(n)}1${" }".repeat(n)} }\n`],
  ])("nests %s 100,000 deep as a ParseError, never a stack overflow", (_, make) => {
    expect(() => hcl.parse(make(100_000))).toThrow(ParseError);
    // 100 levels is real (if unusual) configuration and reads.
    expect(() => hcl.parse(make(100))).not.toThrow();
  });

  it("reads long chains that are not nesting without recursion: conditionals, operators, negations, directives", () => {
    const directives = `x = "${"%{ if a }".repeat(100_000)}${"%{ endif }".repeat(100_000)}"\n`;
    expect(hcl.parse(directives).attributes[0]!.expr.kind).toBe("template");
    expect(hcl.parse(`x = a${" ? b : c".repeat(100_000)}\n`).attributes[0]!.expr.kind).toBe("other");
    expect(hcl.parse(`x = a${" + b".repeat(100_000)}\n`).attributes[0]!.expr.kind).toBe("other");
    expect(hcl.parse(`x = ${"!".repeat(100_000)}a\n`).attributes[0]!.expr.kind).toBe("other");
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
        "a 1 MB-class heredoc, indented and stripped": (n) =>
          `policy = <<-EOT\n${'    {"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.b.arn}/*"},\n'.repeat(n * 4)}  EOT\n`,
        "an unterminated heredoc": (n) => `x = <<EOT\n${"EOTX\n  EOT y\n".repeat(n * 4)}`,
        "an unterminated interpolation": (n) => `x = "\${${"a + ".repeat(n * 4)}`,
        "an unterminated directive": (n) => `x = "${"%{ if a }b".repeat(n * 4)}"\n`,
        "one long line": (n) => `x = [${'"0.0.0.0/0", '.repeat(n * 8)}]\n`,
        "a long string of escapes": (n) => `x = "${"\\n\\u00e9$${x}".repeat(n * 8)}"\n`,
        "many block comments": (n) => `${"/* c */ ".repeat(n * 8)}\nx = 1\n`,
        "many blocks with comments": (n) => `# c\nlocals { a = 1 } // d\n/* e\n */\n`.repeat(n * 2),
        "a long chain of conditionals": (n) => `x = a${" ? b : c".repeat(n * 4)}\n`,
        "strip markers on every line": (n) => `x = <<EOT\n${"  a ${~ b ~}  \n".repeat(n * 4)}EOT\n`,
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
