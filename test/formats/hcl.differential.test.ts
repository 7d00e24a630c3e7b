// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text uses ${…}
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { tfFile } from "../../bench/terraform.js";
import { ParseError } from "../../src/formats/errors.js";
import { type HclBody, type HclParser, loadHcl } from "../../src/formats/hcl.js";
import { DEFAULT_EXAMPLE_PATHS } from "../../src/report/rule-docs.js";
import { ruleCatalog } from "../../src/review/rules.js";
import { CORPUS_DIR } from "../corpus/replay.js";
import { expandFakes } from "../support/fake-secrets.js";
import "../support/fakes.js";
import { loadTreeSitterHcl } from "../support/hcl-tree-sitter.js";

/**
 * The hand-written HCL reader against the maintained tree-sitter grammar it replaced (kept as a
 * devDependency for this test): the same model on real Terraform, the bench's files, the rule
 * examples and generated HCL.
 *
 * Where they legitimately differ (the cases are spelled out in the last describe):
 * - tree-sitter-hcl's external scanner skips whitespace before every template token, so it drops
 *   the spaces and newlines at the edges of each literal piece of a string or heredoc
 *   (`"  a  "` reads as `"a"`) and does not remove a `<<-` heredoc's indentation; the reader gives
 *   Terraform's value. `comparable` therefore trims each line of every string on both sides.
 * - tree-sitter takes a comment inside an expression for the expression (`x = /* c *\/ 1` was
 *   `other`); the reader skips it. Generated HCL puts comments only between items.
 * - tree-sitter accepts text that Terraform refuses (two attributes on one line, `0x10`, `a.0.1`,
 *   a newline inside quotes…), which the reader refuses as Terraform does, and refuses some that
 *   Terraform accepts (`1e5`).
 * - Error lines: the reader reports an unclosed block, string or heredoc at the line that opens
 *   it (Terraform's subject line), tree-sitter at the end of the file where the closer is missing.
 * - Duplicate attribute names are not refused by either (Terraform refuses them after parsing).
 */

let reader: HclParser;
let oracle: HclParser;
beforeAll(async () => {
  reader = await loadHcl();
  oracle = await loadTreeSitterHcl();
});

const comparableText = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .trim();

/** The model with every string value's lines trimmed and empty literal pieces dropped (see above). */
function comparable(value: unknown, key = ""): unknown {
  if (typeof value === "string")
    return key === "text" || key === "name" || key === "type" ? value : comparableText(value);
  if (Array.isArray(value)) return value.map((v) => comparable(v)).filter((v) => v !== "");
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v, k)]));
  return value;
}

function outcome(parser: HclParser, text: string): { body: unknown } | { error: string } {
  try {
    return { body: comparable(parser.parse(text)) };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { error: "ParseError" };
  }
}

function expectSameModel(text: string, label: string): void {
  const ours = outcome(reader, text);
  expect(ours, `${label}: the reader refused it`).toHaveProperty("body");
  expect(ours, label).toEqual(outcome(oracle, text));
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (/\.(tf|tofu|tfvars|hcl)$/.test(name)) out.push(path);
  }
  return out;
}

describe.runIf(existsSync(CORPUS_DIR))(
  `HCL reader = tree-sitter on the real-change corpus (${CORPUS_DIR})`,
  () => {
    it("reads every Terraform, tfvars and .hcl file of the corpus to the same model", () => {
      const files = filesUnder(CORPUS_DIR);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expectSameModel(readFileSync(f, "utf8"), f);
    });
  },
);

describe("HCL reader = tree-sitter", () => {
  it("on the Terraform bench's 300 generated files", () => {
    for (let i = 0; i < 300; i++) expectSameModel(tfFile(i), `tfFile(${i})`);
  });

  it("on every HCL example of the rule catalogue (tf/ rules and the lock file's deps/ rules)", () => {
    let n = 0;
    for (const rule of ruleCatalog().rules) {
      for (const example of [...(rule.examples?.bad ?? []), ...(rule.examples?.good ?? [])]) {
        const path = example.path ?? DEFAULT_EXAMPLE_PATHS[rule.family] ?? "";
        if (!/\.(tf|tofu|tfvars|hcl)$/.test(path)) continue;
        for (const text of [example.code, example.base]) {
          if (typeof text !== "string") continue;
          expectSameModel(expandFakes(text), `${rule.id}: ${path}`);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it("on generated HCL that Terraform accepts", () => {
    fc.assert(
      fc.property(hclFile, (text) => expectSameModel(text, text)),
      { numRuns: 300 },
    );
  });
});

// ---- generated HCL ---------------------------------------------------------------------------

const name = fc.constantFrom(
  "name",
  "bucket",
  "cidr_blocks",
  "tags",
  "Name",
  "é_x",
  "with-dash",
  "_under",
  "count",
);
/** Pieces of string text: escapes, `$${`/`%%{`, lone `$`/`%`, non-ASCII, spaces at the edges. */
const stringPiece = fc.constantFrom(
  "web",
  "0.0.0.0/0",
  "s3:GetObject",
  "a b",
  "tab\\there",
  'say \\"hi\\"',
  "back\\\\slash",
  "line\\nbreak",
  "$${literal}",
  "%%{literal}",
  "100% ",
  "a$b",
  "é ☕ 𝔘",
  "\\u00e9\\U0001F600",
  "  edge  ",
);
const quoted = fc.array(stringPiece, { maxLength: 3 }).map((p) => `"${p.join("")}"`);
const number = fc.constantFrom("0", "22", "443", "1.5", "1.5e3", "10.25");
const ref = fc.constantFrom(
  "var.env",
  "aws_s3_bucket.b.id",
  "local.p[0]",
  'local.m["key"]',
  "data.aws_iam_policy_document.p.json",
  "module.vpc.0.id",
  "aws_instance.web[*].id",
  "aws_instance.web.*.id",
  "each.value",
  "count.index",
);
const leaf = fc.oneof(number, fc.constantFrom("true", "false", "null"), quoted, ref);

const { expr } = fc.letrec<{ expr: string }>((tie) => {
  const sub = tie("expr");
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc
        .tuple(fc.array(sub, { maxLength: 3 }), fc.boolean())
        .map(([items, comma]) => (items.length === 0 ? "[]" : `[${items.join(", ")}${comma ? "," : ""}]`)),
      fc
        .array(fc.tuple(name, sub), { maxLength: 3 })
        .map((items) => `{\n${items.map(([k, v]) => `${k} = ${v}`).join("\n")}\n}`),
      fc
        .array(fc.tuple(quoted, sub), { minLength: 1, maxLength: 3 })
        .map((items) => `{ ${items.map(([k, v]) => `${k}: ${v}`).join(", ")} }`),
      fc
        .tuple(
          fc.constantFrom("jsonencode", "lookup", "provider::aws::arn_parse", "merge"),
          fc.array(sub, { maxLength: 3 }),
          fc.boolean(),
        )
        .map(([f, args, expand]) => `${f}(${args.join(", ")}${expand && args.length > 0 ? "..." : ""})`),
      fc
        .tuple(
          fc.array(stringPiece, { maxLength: 2 }),
          ref,
          fc.array(stringPiece, { maxLength: 2 }),
          fc.boolean(),
        )
        .map(
          ([a, r, b, strip]) =>
            `"${a.join("")}\${${strip ? "~ " : ""}${r}${strip ? " ~" : ""}}${b.join("")}"`,
        ),
      fc.tuple(ref, quoted).map(([r, q]) => `"%{ if ${r} }\${${r}}%{ else }${q.slice(1, -1)}%{ endif }"`),
      fc.tuple(ref, sub, sub).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
      fc
        .tuple(sub, fc.constantFrom("+", "==", "&&", "*", ">="), sub)
        .map(([a, op, b]) => `(${a}) ${op} (${b})`),
      fc.tuple(fc.constantFrom("-", "!"), ref).map(([op, r]) => `${op}${r}`),
      ref.map((r) => `[for x in ${r} : x.id if x.enabled]`),
      ref.map((r) => `{ for k, v in ${r} : k => v... }`),
      sub.map((e) => `(${e})`),
    ),
  };
});

const heredoc = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.constantFrom("", "  ", "    "),
        fc.oneof(
          stringPiece,
          ref.map((r) => `\${${r}}`),
        ),
      ),
      { maxLength: 4 },
    ),
  )
  .map(
    ([flush, lines]) =>
      `<<${flush ? "-" : ""}EOT\n${lines.map(([indent, l]) => `${indent}${l}\n`).join("")}${flush ? "  " : ""}EOT`,
  );
const attribute = fc
  .tuple(name, fc.oneof({ weight: 4, arbitrary: expr }, { weight: 1, arbitrary: heredoc }), fc.boolean())
  .map(([n, v, comment]) => `${n} = ${v}${comment && !v.startsWith("<<") ? " # trailing" : ""}`);
const comment = fc.constantFrom("# a comment", "// another", "/* block */", "/* multi\nline */");
const label = fc.oneof(
  quoted.filter((q) => !q.includes("$") && !q.includes("%")),
  fc.constantFrom("web", "main"),
);

const { body } = fc.letrec<{ body: string }>((tie) => ({
  body: fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: attribute },
        { weight: 1, arbitrary: comment },
        fc
          .tuple(name, fc.array(label, { maxLength: 2 }), tie("body"))
          .map(([t, ls, b]) => `${t} ${[...ls, "{"].join(" ")}\n${b}}`),
        fc.tuple(name, name, expr).map(([t, n, v]) => `${t} { ${n} = ${v} }`),
        name.map((t) => `${t} {}`),
      ),
      { maxLength: 4, depthIdentifier: "body" },
    )
    .map((items) => items.map((i) => `${i}\n`).join("")),
}));
const hclFile = body;

// ---- where they differ -----------------------------------------------------------------------

describe("where the reader and tree-sitter legitimately differ", () => {
  const attr = (text: string) => (reader.parse(text) as HclBody).attributes[0]?.expr;
  const oracleAttr = (text: string) => oracle.parse(text).attributes[0]?.expr;

  it("a template's edge spaces and a <<- heredoc's indentation: the reader keeps Terraform's value", () => {
    expect(attr('x = "  padded  "\n')).toMatchObject({ value: "  padded  " });
    expect(oracleAttr('x = "  padded  "\n')).toMatchObject({ value: "padded" });
    const flush = "x = <<-EOT\n    a\n      b\n    EOT\n";
    expect(attr(flush)).toMatchObject({ parts: ["a\n  b\n"] });
    expect(oracleAttr(flush)).toMatchObject({ parts: ["a\n      b"] });
  });

  it("a comment inside an expression: tree-sitter took it for the expression", () => {
    expect(attr("x = /* c */ 1\n")).toMatchObject({ kind: "literal", value: 1 });
    expect(oracleAttr("x = /* c */ 1\n")).toMatchObject({ kind: "other", text: "/* c */" });
  });

  it.each([
    ["two attributes on one line", "a = 1 b = 2\n"],
    ["a one-line block with two attributes", "a { b = 1 c = 2 }\n"],
    ["a hexadecimal number (HCL has none)", "x = 0x10\n"],
    ["chained legacy indices (0.1 is a number)", "x = a.0.1\n"],
    ["a newline inside a quoted string", 'x = "a\nb"\n'],
    ["a block whose { is on the next line", 'resource "a" "b"\n{\n}\n'],
  ])("tree-sitter accepts, Terraform and the reader refuse: %s", (_, text) => {
    expect(() => oracle.parse(text)).not.toThrow();
    expect(() => reader.parse(text)).toThrow(ParseError);
  });

  it.each([["an exponent without a fraction", "x = 1e5\n"]])(
    "tree-sitter refuses, Terraform and the reader accept: %s",
    (_, text) => {
      expect(() => oracle.parse(text)).toThrow(ParseError);
      expect(() => reader.parse(text)).not.toThrow();
    },
  );

  it("an unclosed block is reported at its line, as Terraform does (tree-sitter: the end of the file)", () => {
    const text = 'resource "a" "b" {\n  x = 1\n';
    expect(() => reader.parse(text)).toThrow(expect.objectContaining({ line: 1 }));
    expect(() => oracle.parse(text)).toThrow(expect.objectContaining({ line: 3 }));
  });
});
