import { describe, expect, it } from "vitest";
import { modulePairs } from "../../../src/checks/tf/module-check.js";
import type { FileChange } from "../../../src/checks/types.js";
import { TextVersion } from "../../../src/review/content.js";

/** A modified file whose versions record whether anything read them as Terraform. */
function change(path: string, base: string, head: string) {
  const parsed: string[] = [];
  const version = (side: string, text: string) => {
    const v = new TextVersion(path, text);
    const memo = v.memo.bind(v);
    v.memo = (key, compute) =>
      memo(key, () => {
        parsed.push(side);
        return compute();
      });
    return v;
  };
  const c: FileChange = {
    path,
    status: "modified",
    families: ["tf"],
    head: version("head", head),
    base: version("base", base),
    hunks: [],
    added: new Map(),
    removed: new Map(),
  };
  return { c, parsed };
}

describe("tf modules", () => {
  it("reads the base side of a module only when it is asked for", async () => {
    const a = change(
      "m/main.tf",
      'resource "aws_s3_bucket" "b" {}\n',
      'resource "aws_s3_bucket" "b" {\n  x = 1\n}\n',
    );
    const [pair] = await modulePairs([a.c]);
    expect(a.parsed).toEqual(["head"]);
    expect(pair!.head!.resources.map((r) => r.address)).toEqual(["aws_s3_bucket.b"]);
    expect(pair!.base!.resources.map((r) => r.address)).toEqual(["aws_s3_bucket.b"]);
    expect(pair!.base).toBe(pair!.base);
    expect(a.parsed).toEqual(["head", "base"]);
  });

  it("finds resources by type in module order and by literal name, the first of a name winning", async () => {
    const text = [
      'resource "aws_s3_bucket" "one" { bucket = "logs" }',
      'resource "aws_instance" "i" {}',
      'resource "aws_s3_bucket" "two" { bucket = "logs" }',
      'resource "aws_launch_template" "t" {}',
      'resource "aws_s3_bucket" "three" { bucket = "data" }',
    ].join("\n");
    const { c } = change("m/main.tf", text, text);
    const mod = (await modulePairs([c]))[0]!.head!;
    expect(mod.resourcesOf("aws_s3_bucket").map((r) => r.name)).toEqual(["one", "two", "three"]);
    expect(mod.resourcesOf("aws_launch_template", "aws_instance").map((r) => r.name)).toEqual(["i", "t"]);
    const literal = (value: string) => ({ kind: "literal" as const, value, line: 1 });
    expect(mod.referenced(literal("logs"), "aws_s3_bucket", "bucket")?.name).toBe("one");
    expect(mod.referenced(literal("data"), "aws_s3_bucket", "bucket")?.name).toBe("three");
    expect(mod.referenced(literal("none"), "aws_s3_bucket", "bucket")).toBeUndefined();
  });
});
