// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import {
  analyseExpression,
  ExpressionError,
  findExpressions,
  parseExpression,
  pathMatches,
  printExpression,
  readPaths,
  renderExpressions,
  staticText,
  valuePaths,
} from "../../src/formats/expressions.js";

const dotted = (paths: ReadonlyArray<readonly string[]>) => paths.map((p) => p.join("."));

describe("findExpressions", () => {
  it("finds expressions with odd spacing and across lines", () => {
    const text = 'echo "${{github.head_ref}}" and ${{\n  github.event.issue.title\n}} done';
    const found = findExpressions(text);
    expect(found.map((f) => f.body.trim())).toEqual(["github.head_ref", "github.event.issue.title"]);
    expect(text.slice(found[1]!.start, found[1]!.end)).toBe("${{\n  github.event.issue.title\n}}");
  });

  it("does not close an expression on }} inside a string literal", () => {
    const found = findExpressions("${{ format('}}{0}', github.event.issue.body) }} tail");
    expect(found).toHaveLength(1);
    expect(found[0]!.body).toBe(" format('}}{0}', github.event.issue.body) ");
  });

  it("stops at an unterminated expression", () => {
    expect(findExpressions("a ${{ github.x b")).toEqual([]);
  });
});

describe("parseExpression", () => {
  it("parses property access in dot and bracket forms to the same path", () => {
    const a = parseExpression("github.event.pull_request.title");
    const b = parseExpression("github.event['pull_request'].TITLE");
    expect(printExpression(a)).toBe("github.event.pull_request.title");
    expect(printExpression(b)).toBe("github.event.pull_request.title");
  });

  it("parses filters, calls, operators and literals", () => {
    const e = parseExpression(
      "!contains(github.event.commits.*.message, '[skip ci]') && (github.event_name == 'push' || 0x1F >= -1.5e2)",
    );
    expect(printExpression(e)).toBe(
      "!contains(github.event.commits.*.message, '[skip ci]') && (github.event_name == 'push' || 31 >= -150)",
    );
  });

  it("accepts step ids with dashes and digits", () => {
    expect(dotted(readPaths(parseExpression("steps.get-title.outputs.value")))).toEqual([
      "steps.get-title.outputs.value",
    ]);
  });

  it("unescapes doubled quotes in strings", () => {
    const e = parseExpression("'it''s'");
    expect(e).toEqual({ kind: "literal", value: "it's" });
  });

  it("rejects malformed input with an offset", () => {
    expect(() => parseExpression("github.event.")).toThrow(ExpressionError);
    expect(() => parseExpression("a == ")).toThrow(/end of expression/);
    expect(() => parseExpression("'open")).toThrow(/unterminated string/);
    expect(() => parseExpression("a b")).toThrow(/after expression/);
  });

  it("bounds nesting depth", () => {
    expect(() => parseExpression(`${"(".repeat(500)}a${")".repeat(500)}`)).toThrow(/deeply/);
  });
});

describe("readPaths and valuePaths", () => {
  it("a direct reference reaches the value", () => {
    const e = parseExpression("github.event.issue.title");
    expect(dotted(valuePaths(e))).toEqual(["github.event.issue.title"]);
  });

  it("format, join, toJSON, fromJSON and || pass values on", () => {
    expect(dotted(valuePaths(parseExpression("format('x {0}', github.head_ref)")))).toEqual([
      "github.head_ref",
    ]);
    expect(dotted(valuePaths(parseExpression("join(github.event.commits.*.message, ',')")))).toEqual([
      "github.event.commits.*.message",
    ]);
    expect(dotted(valuePaths(parseExpression("toJSON(github.event)")))).toEqual(["github.event"]);
    expect(dotted(valuePaths(parseExpression("fromJSON(steps.a.outputs.json).title")))).toEqual([
      "steps.a.outputs.json",
    ]);
    expect(dotted(valuePaths(parseExpression("github.event.issue.title || 'none'")))).toEqual([
      "github.event.issue.title",
    ]);
  });

  it("comparisons, negation and boolean functions stop the flow but are still read", () => {
    for (const src of [
      "github.event.issue.title == 'x'",
      "!github.event.issue.title",
      "contains(github.event.issue.body, 'deploy')",
      "startsWith(github.head_ref, 'release/')",
    ]) {
      const e = parseExpression(src);
      expect(valuePaths(e), src).toEqual([]);
      expect(readPaths(e).length, src).toBe(1);
    }
  });

  it("a computed index reads both sides and is a wildcard in the path", () => {
    const e = parseExpression("github.event[inputs.field].title");
    expect(dotted(readPaths(e)).sort()).toEqual(["github.event.*.title", "inputs.field"]);
  });
});

describe("analyseExpression", () => {
  it("analyses malformed input conservatively", () => {
    const facts = analyseExpression(" github.event.issue.title ==  ");
    expect(facts.error).toBeDefined();
    expect(dotted(facts.values)).toContain("github.event.issue.title");
  });

  it("gives one canonical text for differently spaced expressions", () => {
    expect(analyseExpression("  github.event.issue.title").text).toBe(
      analyseExpression("github.event.issue.title   ").text,
    );
  });
});

describe("pathMatches", () => {
  it("matches wildcards on either side and objects containing the pattern", () => {
    const pattern = ["github", "event", "commits", "*", "message"];
    expect(pathMatches(["github", "event", "commits", "0", "message"], pattern)).toBe(true);
    expect(pathMatches(["github", "event", "*", "*", "message"], pattern)).toBe(true);
    expect(pathMatches(["github", "event"], pattern)).toBe(false);
    expect(pathMatches(["github", "event"], pattern, true)).toBe(true);
    expect(pathMatches(["github", "event", "commits", "0", "id"], pattern, true)).toBe(false);
  });
});

describe("staticText and renderExpressions", () => {
  const text = (body: string) => staticText(parseExpression(body));
  it("fills in format() with a literal template", () => {
    expect(text("format('refs/pull/{0}/head', github.event.issue.number)")).toBe(
      "refs/pull/${{ github.event.issue.number }}/head",
    );
    expect(text("format('{{{0}}}-{1}', 'a', 7)")).toBe("{a}-7");
    expect(text("format('{0}/{1}', format('refs/pull/{0}', github.event.number), 'merge')")).toBe(
      "refs/pull/${{ github.event.number }}/merge",
    );
    expect(text("format('x{0}', github.event['pull_request'].NUMBER)")).toBe(
      "x${{ github.event.pull_request.number }}",
    );
  });
  it("is unknown for computed values, missing arguments and non-literal templates", () => {
    expect(text("github.a || 'b'")).toBeUndefined();
    expect(text("format('{1}', 'a')")).toBeUndefined();
    expect(text("format(github.event.issue.title, 'a')")).toBeUndefined();
    expect(text("format('{0}', github.a == 'b')")).toBe("${{ github.a == 'b' }}");
  });
  it("replaces each expression in a string by its text", () => {
    expect(
      renderExpressions("ref: ${{ format('refs/pull/{0}/merge', github.event.issue.number) }} ${{ a || b }}"),
    ).toBe("ref: refs/pull/${{ github.event.issue.number }}/merge ${{ a || b }}");
  });
});
