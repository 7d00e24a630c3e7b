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
