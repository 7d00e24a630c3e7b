// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform JSON strings use ${…}
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { parseHclJson } from "../../src/formats/hcl-json.js";

describe(".tf.json reader", () => {
  it("gives each attribute and nested block the line of its key, past escapes and unicode", () => {
    const body = parseHclJson(
      [
        "{",
        '  "resource": {',
        '    "aws_s3_bucket": {',
        '      "b": {',
        '        "bucket": "caf\\u00e9 \\"quoted\\" \\\\ 𝔘",',
        '        "tags": {"Name": "x",',
        '          "Owner": "${var.owner}"},',
        '        "ingress": [',
        '          {"from_port": 22},',
        '          {"from_port": 443}',
        "        ]",
        "      }",
        "    }",
        "  }",
        "}",
      ].join("\n"),
    );
    const [bucket] = body.blocks;
    expect(bucket).toMatchObject({ type: "resource", labels: ["aws_s3_bucket", "b"], line: 4 });
    const attrs = Object.fromEntries(bucket!.body.attributes.map((a) => [a.name, a]));
    expect(attrs.bucket).toMatchObject({ line: 5, expr: { kind: "literal", value: 'café "quoted" \\ 𝔘' } });
    expect(attrs.tags!.expr).toMatchObject({
      kind: "object",
      line: 6,
      items: [
        { key: "Name", line: 6 },
        { key: "Owner", line: 7, value: { kind: "ref", path: ["var", "owner"] } },
      ],
    });
    expect(bucket!.body.blocks.map((b) => [b.type, b.line])).toEqual([
      ["tags", 6],
      ["ingress", 8],
      ["ingress", 8],
    ]);
  });

  it("keeps a repeated key once, in its first place, with its last value and line", () => {
    const body = parseHclJson('{"locals": {\n"a": 1,\n"b": 2,\n"a": 3\n}}');
    const items = body.blocks[0]!.body.attributes.map((a) => [a.name, a.line, a.expr]);
    expect(items).toEqual([
      ["a", 4, { kind: "literal", value: 3, line: 4 }],
      ["b", 3, { kind: "literal", value: 2, line: 3 }],
    ]);
  });

  it("orders integer keys first, as JavaScript objects do", () => {
    const body = parseHclJson('{"locals": {"b": 1, "10": 2, "a": 3, "2": 4, "01": 5}}');
    expect(body.blocks[0]!.body.attributes.map((a) => a.name)).toEqual(["2", "10", "b", "a", "01"]);
  });

  it("reads a *.tfvars.json as attributes and refuses broken JSON with the line of the error", () => {
    expect(parseHclJson('{\n"region": "eu-west-1"\n}').attributes).toMatchObject([
      { name: "region", line: 2 },
    ]);
    expect(() => parseHclJson('{\n"a": 1,\n"b" 2\n}')).toThrow(ParseError);
    try {
      parseHclJson('{\n"a": 1,\n"b" 2\n}');
    } catch (e) {
      expect((e as ParseError).line).toBe(3);
    }
  });

  it("cuts values nested past its bound instead of building them", () => {
    const deep = `{"locals": {"x": ${"[".repeat(300)}${"]".repeat(300)}}}`;
    const x = parseHclJson(deep).blocks[0]!.body.attributes[0]!.expr;
    let e = x;
    let depth = 0;
    while (e.kind === "tuple") {
      e = e.items[0]!;
      depth++;
    }
    expect(e).toMatchObject({ kind: "other", text: "(nested too deep)" });
    expect(depth).toBeLessThan(200);
    expect(() => parseHclJson(`{"x": ${"[".repeat(600)}${"]".repeat(600)}}`)).toThrow(/nested too deeply/);
  });
});
