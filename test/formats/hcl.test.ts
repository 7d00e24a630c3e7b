// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text uses ${…}
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { loadHcl } from "../../src/formats/hcl.js";

describe("HCL parser", () => {
  it("reads blocks, attributes, nested blocks, references, calls and heredocs with their lines", async () => {
    const hcl = await loadHcl();
    const body = hcl.parse(`# comment
resource "aws_security_group" "web" {
  name = "web-\${var.env}"
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "web", "team" = local.team }
  policy = jsonencode({ Statement = [{ Action = "*" }] })
  bucket = aws_s3_bucket.b.id
  doc = <<EOT
{"a": "\${x}"}
EOT
  esc = "a\\"b\\n$\${x}"
}
`);
    const [block] = body.blocks;
    expect(block).toMatchObject({
      type: "resource",
      labels: ["aws_security_group", "web"],
      line: 2,
      endLine: 15,
    });
    const attrs = Object.fromEntries(block!.body.attributes.map((a) => [a.name, a]));
    expect(attrs.name!.expr).toMatchObject({
      kind: "template",
      parts: ["web-", { kind: "ref", path: ["var", "env"] }],
    });
    expect(block!.body.blocks[0]).toMatchObject({ type: "ingress", line: 4 });
    expect(block!.body.blocks[0]!.body.attributes[1]).toMatchObject({
      name: "cidr_blocks",
      line: 6,
      expr: { kind: "tuple", items: [{ kind: "literal", value: "0.0.0.0/0", line: 6 }] },
    });
    expect(attrs.tags!.expr).toMatchObject({
      kind: "object",
      items: [{ key: "Name" }, { key: "team", value: { kind: "ref", path: ["local", "team"] } }],
    });
    expect(attrs.policy!.expr).toMatchObject({ kind: "call", name: "jsonencode", line: 9 });
    expect(attrs.bucket!.expr).toMatchObject({ kind: "ref", path: ["aws_s3_bucket", "b", "id"] });
    expect(attrs.doc!.expr).toMatchObject({ kind: "template", heredoc: true, line: 12 });
    expect(attrs.esc!.expr).toMatchObject({ kind: "literal", value: `a"b\n\${x}` });
  });

  it("keeps the text of nodes after non-ASCII characters exact", async () => {
    const hcl = await loadHcl();
    const body = hcl.parse('# café ☕ 𝔘\nname = "héllo wörld 𝔘"\nnext = var.ü\nlast = "ok"\n');
    expect(body.attributes.map((a) => [a.name, a.line, a.expr])).toEqual([
      ["name", 2, { kind: "literal", value: "héllo wörld 𝔘", line: 2 }],
      ["next", 3, { kind: "ref", path: ["var", "ü"], text: "var.ü", line: 3 }],
      ["last", 4, { kind: "literal", value: "ok", line: 4 }],
    ]);
  });

  it("throws ParseError at the line the grammar cannot read", async () => {
    const hcl = await loadHcl();
    const bad = 'resource "a" "b" {\n  x = 1\n  y = = 2\n}\n';
    expect(() => hcl.parse(bad)).toThrow(ParseError);
    try {
      hcl.parse(bad);
    } catch (e) {
      expect((e as ParseError).line).toBe(3);
    }
  });
});

/**
 * The reader's values are Terraform's (hclsyntax's): where the tree-sitter grammar it replaced
 * read otherwise, these pin the Terraform behaviour (see hcl.differential.test.ts).
 */
describe("HCL reader: Terraform's values", () => {
  const expr = async (text: string) => (await loadHcl()).parse(text).attributes[0]!.expr;

  it("keeps the spaces of quoted strings and heredocs, and a heredoc's final newline", async () => {
    expect(await expr('x = "  a b  "\n')).toEqual({ kind: "literal", value: "  a b  ", line: 1 });
    expect(await expr('x = "${a} ${b}"\n')).toMatchObject({ parts: [{ path: ["a"] }, " ", { path: ["b"] }] });
    expect(await expr('x = <<EOT\n\n  {"a": 1}\nEOT\n')).toEqual({
      kind: "template",
      parts: ['\n  {"a": 1}\n'],
      line: 2,
      heredoc: true,
    });
    expect(await expr("x = <<EOT\nEOT\n")).toEqual({ kind: "template", parts: [], line: 2, heredoc: true });
  });

  it("removes a <<- heredoc's common indentation (blank lines aside; an interpolation at a line's start counts as none)", async () => {
    expect(await expr("x = <<-EOT\n    a\n\n      b\n    EOT\n")).toMatchObject({ parts: ["a\n\n  b\n"] });
    expect(await expr("x = <<-EOT\n    a\n  ${b} c\n    d\n  EOT\n")).toMatchObject({
      parts: ["  a\n", { path: ["b"] }, " c\n  d\n"],
    });
    expect(await expr("x = <<-EOT\n    a\n${b}\n    EOT\n")).toMatchObject({
      parts: ["    a\n", { path: ["b"] }, "\n"],
    });
  });

  it("applies strip markers to the adjacent literal text only (in a heredoc, one line of it)", async () => {
    expect(await expr('x = "a  ${~ b ~}  c"\n')).toMatchObject({ parts: ["a", { path: ["b"] }, "c"] });
    expect(await expr('x = "a %{~ if b ~} c %{~ endif ~} d"\n')).toMatchObject({
      parts: ["a", { kind: "other", text: "%{~ if b ~} c %{~ endif ~}" }, "d"],
    });
    expect(await expr("x = <<EOT\na  \n\n  ${~ b} c\nEOT\n")).toMatchObject({
      parts: ["a  \n\n", { path: ["b"] }, " c\n"],
    });
  });

  it("reads escapes, $${ and %%{, and refuses an unknown escape or a surrogate", async () => {
    expect(await expr('x = "\\n\\t\\"\\\\\\u00e9\\U0001F600 $${x} %%{y} $ 100%"\n')).toEqual({
      kind: "literal",
      value: '\n\t"\\é😀 ${x} %{y} $ 100%',
      line: 1,
    });
    // A heredoc has no backslash escapes.
    expect(await expr("x = <<EOT\na\\nb $${c}\nEOT\n")).toMatchObject({ parts: ["a\\nb ${c}\n"] });
    await expect(expr('x = "\\q"\n')).rejects.toThrow(ParseError);
    await expect(expr('x = "\\ud800"\n')).rejects.toThrow(ParseError);
  });

  it("reads numbers with exponents, provider functions, expansion, legacy indices and one-line blocks", async () => {
    expect(await expr("x = 1e5\n")).toEqual({ kind: "literal", value: 100000, line: 1 });
    expect(await expr("x = provider::aws::arn_parse(var.arn).region\n")).toMatchObject({ kind: "other" });
    expect(await expr("x = provider::aws::arn_parse(var.arn)\n")).toMatchObject({
      kind: "call",
      name: "provider::aws::arn_parse",
    });
    expect(await expr("x = max(var.list...)\n")).toMatchObject({
      kind: "call",
      args: [{ path: ["var", "list"] }],
    });
    expect(await expr("x = aws_instance.web.0.id\n")).toMatchObject({
      kind: "ref",
      path: ["aws_instance", "web", 0, "id"],
    });
    const hcl = await loadHcl();
    expect(hcl.parse("lifecycle { prevent_destroy = true }\n").blocks[0]).toEqual({
      type: "lifecycle",
      labels: [],
      line: 1,
      endLine: 1,
      body: {
        attributes: [{ name: "prevent_destroy", line: 1, expr: { kind: "literal", value: true, line: 1 } }],
        blocks: [],
      },
    });
  });

  it("ignores newlines inside brackets, parentheses and interpolations, and needs them between items", async () => {
    const hcl = await loadHcl();
    const body = hcl.parse(
      'x = f(\n  1,\n  [\n    2\n  ],\n)\ny = "${\n  a\n}"\nz = {\n  a = 1, b = 2\n  c = 3\n}\n',
    );
    expect(body.attributes.map((a) => [a.name, a.line, a.expr.kind])).toEqual([
      ["x", 1, "call"],
      ["y", 7, "template"],
      ["z", 10, "object"],
    ]);
    expect(() => hcl.parse("a = 1 b = 2\n")).toThrow(ParseError);
    expect(() => hcl.parse("a {} b {}\n")).toThrow(ParseError);
    expect(() => hcl.parse("x = a\n  ? b\n  : c\n")).toThrow(ParseError);
    expect(hcl.parse("x = (a\n  ? b\n  : c)\n").attributes[0]!.expr).toMatchObject({
      kind: "other",
      line: 1,
    });
  });

  it("reads CRLF line endings, comments of all three kinds and a byte order mark", async () => {
    const hcl = await loadHcl();
    const body = hcl.parse('\ufeffx = 1 # c\r\n// d\r\ny = <<EOT\r\nz\r\nEOT\r\n/* e\r\n*/ w = "v"\r\n');
    expect(body.attributes).toEqual([
      { name: "x", line: 1, expr: { kind: "literal", value: 1, line: 1 } },
      { name: "y", line: 3, expr: { kind: "template", parts: ["z\r\n"], line: 4, heredoc: true } },
      { name: "w", line: 7, expr: { kind: "literal", value: "v", line: 7 } },
    ]);
  });

  it("reads a file that is one object (JSON-like tfvars) as an empty body, and refuses anything after it", async () => {
    const hcl = await loadHcl();
    expect(hcl.parse('# vars\n{\n  "region": "eu-west-1",\n  "cidrs": ["10.0.0.0/8"]\n}\n')).toEqual({
      attributes: [],
      blocks: [],
    });
    expect(() => hcl.parse('{ "a": 1 }\nb = 2\n')).toThrow(ParseError);
    expect(() => hcl.parse('{ "a": 1\n')).toThrow(ParseError);
  });

  it("reports an error at the line Terraform does: the bad token, or the line that opens what is not closed", async () => {
    const hcl = await loadHcl();
    const lineOf = (text: string) => {
      try {
        hcl.parse(text);
      } catch (e) {
        if (e instanceof ParseError) return e.line;
        throw e;
      }
      return undefined;
    };
    expect(lineOf("a = 1\nb = 2 c = 3\n")).toBe(2);
    expect(lineOf('a = 1\nb = "abc\nc = 3\n')).toBe(2);
    expect(lineOf('resource "a" "b" {\n  x = 1\n\n')).toBe(1);
    expect(lineOf("a = 1\nb = <<EOT\nabc\n")).toBe(2);
    expect(lineOf("a = 1\nb = [1,\n 2\n")).toBe(2);
    expect(lineOf('a = 1\nb = "${x"\n')).toBe(2);
    expect(lineOf("a = 1\nb = 0x10\n")).toBe(2);
    expect(lineOf("a = 1\nb = x.0.1\n")).toBe(2);
    expect(lineOf('a = 1\nb = "%{ if x }"\n')).toBe(2);
    expect(lineOf("a = 1\n\n/* open\n")).toBe(3);
  });
});
