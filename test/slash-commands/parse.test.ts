import { describe, expect, it } from "vitest";
import { fingerprintFromBody, parseCommands, parseWhere } from "../../src/slash-commands/parse.js";

describe("parseCommands", () => {
  it("reads only lines that start with /tollgate, case-insensitively, several per comment", () => {
    const body = [
      "Thanks! Some prose mentioning /tollgate help in the middle.",
      "/tollgate recheck",
      "/TollGate HELP",
      "  /tollgate explain Docker/Runs-As-Root",
      "/tollgatex help",
    ].join("\n");
    expect(parseCommands(body).map((c) => [c.kind, c.line])).toEqual([
      ["recheck", 2],
      ["help", 3],
      ["explain", 4],
    ]);
    expect(parseCommands(body)[2]).toMatchObject({ kind: "explain", ruleId: "docker/runs-as-root" });
  });

  it("ignores quoted lines and commands inside fenced code blocks", () => {
    const body = [
      "> /tollgate ignore docker/runs-as-root -- quoted",
      "```",
      "/tollgate ignore docker/runs-as-root -- in a code block",
      "```",
      "~~~~",
      "/tollgate recheck",
      "~~~~",
      "/tollgate recheck",
    ].join("\r\n");
    expect(parseCommands(body).map((c) => [c.kind, c.line])).toEqual([["recheck", 8]]);
  });

  it("reads nothing that GitHub renders as code or hides: info-string fences, indented blocks, HTML comments", () => {
    const body = [
      "```",
      "```js",
      "/tollgate ignore docker/runs-as-root -- a fence line with an info string does not close a block",
      "```",
      "\t/tollgate ignore docker/runs-as-root -- tab-indented: an indented code block",
      "    /tollgate ignore docker/runs-as-root -- four spaces: an indented code block",
      "<!--",
      "/tollgate ignore docker/runs-as-root -- hidden from every reader",
      "-->",
      "<!-- /tollgate ignore docker/runs-as-root -- inline hidden --> text",
      "/tollgate recheck",
    ].join("\n");
    expect(parseCommands(body).map((c) => [c.kind, c.line])).toEqual([["recheck", 11]]);
  });

  it("parses ignore with rule, path and line, and keeps the reason as written", () => {
    expect(
      parseCommands(
        "/tollgate ignore docker/runs-as-root `./docker/app/Dockerfile:12` -- base  image sets USER -- at runtime",
      ),
    ).toEqual([
      {
        kind: "ignore",
        line: 1,
        text: "/tollgate ignore docker/runs-as-root `./docker/app/Dockerfile:12` -- base  image sets USER -- at runtime",
        ruleId: "docker/runs-as-root",
        path: "docker/app/Dockerfile",
        fileLine: 12,
        reason: "base image sets USER -- at runtime",
      },
    ]);
    expect(parseCommands("/tollgate ignore docker/runs-as-root Dockerfile -- ok")[0]).toMatchObject({
      path: "Dockerfile",
      ruleId: "docker/runs-as-root",
    });
    expect(parseCommands("/tollgate ignore docker/runs-as-root -- ok")[0]).not.toHaveProperty("path");
  });

  it("accepts `ignore -- reason` without a rule (the review thread's finding)", () => {
    expect(parseCommands("/tollgate ignore -- false positive: test fixture")).toEqual([
      {
        kind: "ignore",
        line: 1,
        text: "/tollgate ignore -- false positive: test fixture",
        reason: "false positive: test fixture",
      },
    ]);
  });

  it("refuses an ignore without a reason, with a message saying so", () => {
    for (const body of [
      "/tollgate ignore docker/runs-as-root",
      "/tollgate ignore docker/runs-as-root --",
      "/tollgate ignore docker/runs-as-root --   ",
    ]) {
      const [cmd] = parseCommands(body);
      expect(cmd).toMatchObject({ kind: "invalid", verb: "ignore" });
      expect(cmd?.kind === "invalid" && cmd.problem).toMatch(/a reason is required/);
    }
  });

  it("refuses malformed rule ids, paths and too many words", () => {
    const problems = [
      "/tollgate ignore runs-as-root -- x",
      "/tollgate ignore docker/runs-as-root ../etc/passwd -- x",
      "/tollgate ignore docker/runs-as-root /abs/path -- x",
      "/tollgate ignore docker/runs-as-root Dockerfile:0 -- x",
      "/tollgate ignore docker/runs-as-root a b -- x",
      `/tollgate ignore docker/runs-as-root -- ${"x".repeat(501)}`,
    ].map((b) => parseCommands(b)[0]);
    expect(problems.map((p) => p?.kind)).toEqual(Array(6).fill("invalid"));
  });

  it("parses unignore of a rule, all, or bare (thread), and refuses junk", () => {
    expect(parseCommands("/tollgate unignore Docker/Runs-As-Root")[0]).toMatchObject({
      kind: "unignore",
      target: "docker/runs-as-root",
    });
    expect(parseCommands("/tollgate unignore ALL")[0]).toMatchObject({ kind: "unignore", target: "all" });
    expect(parseCommands("/tollgate unignore")[0]).toEqual({
      kind: "unignore",
      line: 1,
      text: "/tollgate unignore",
    });
    expect(parseCommands("/tollgate unignore everything please")[0]?.kind).toBe("invalid");
  });

  it("answers anything else, including a bare /tollgate, with help", () => {
    expect(parseCommands("/tollgate")[0]).toMatchObject({ kind: "help" });
    expect(parseCommands("/tollgate approve")[0]).toMatchObject({ kind: "help", unknown: "approve" });
    expect(parseCommands("/tollgate explain")[0]?.kind).toBe("invalid");
  });

  it("bounds the work on huge comments", () => {
    const many = Array.from({ length: 50 }, () => "/tollgate recheck").join("\n");
    expect(parseCommands(many)).toHaveLength(10);
    const late = `${"a".repeat(70_000)}\n/tollgate recheck`;
    expect(parseCommands(late)).toEqual([]);
    expect(parseCommands(undefined)).toEqual([]);
    expect(parseCommands("")).toEqual([]);
  });
});

describe("parseWhere", () => {
  it("splits path and line", () => {
    expect(parseWhere("src/Dockerfile:7")).toEqual({ path: "src/Dockerfile", line: 7 });
    expect(parseWhere("'Dockerfile'")).toEqual({ path: "Dockerfile" });
    expect(parseWhere("C:x")).toEqual({ path: "C:x" });
    expect(parseWhere("..")).toBeUndefined();
  });
});

describe("fingerprintFromBody", () => {
  it("reads the hidden marker of a finding comment", () => {
    expect(fingerprintFromBody("🟠 **high** …\n<!-- tollgate:fingerprint=0123abcd4567ef89 -->")).toBe(
      "0123abcd4567ef89",
    );
    expect(fingerprintFromBody("no marker")).toBeUndefined();
    expect(fingerprintFromBody("<!-- tollgate:fingerprint=zz -->")).toBeUndefined();
  });
});
