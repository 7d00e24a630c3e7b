import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_LISTED_CONFIG_ISSUES, parseConfigText } from "../../src/review/config.js";
import { expectLinear, HOSTILE, PROPERTY_RUNS, tokenSoup } from "./support.js";

const KNOWN = new Set(["docker/runs-as-root", "secrets/aws-access-key"]);
const FRAGMENTS = [
  ...HOSTILE,
  "rules:\n",
  "  docker/runs-as-root: off\n",
  "  x/y: high\n",
  "fail-on: ",
  "paths:\n  ignore:\n    - ",
  "deps:\n",
  "&a ",
  "*a",
  "<<: ",
  "---\n",
  "? ",
  ": ",
  "- ",
  "|\n",
  "!!binary ",
];

describe("configuration loader (property)", () => {
  it("returns issues, never throws, on any text", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 60), (text) => {
        const { config, issues } = parseConfigText(text, KNOWN);
        expect(config !== undefined || issues.length > 0).toBe(true);
        expect(issues.length).toBeLessThanOrEqual(MAX_LISTED_CONFIG_ISSUES + 1);
      }),
      PROPERTY_RUNS,
    );
  });

  it("lists at most 20 problems and counts the rest in one line", () => {
    const text = `rules:\n${Array.from({ length: 6_000 }, (_, i) => `  a/${i}: off\n`).join("")}`;
    const { config, issues } = parseConfigText(text, KNOWN);
    expect(config).toBeUndefined();
    expect(issues).toHaveLength(21);
    expect(issues[0]).toEqual({ path: "rules.a/0", message: "unknown rule id", line: 2 });
    expect(issues[19]).toEqual({ path: "rules.a/19", message: "unknown rule id", line: 21 });
    expect(issues[20]).toEqual({ path: "", message: "… and 5,980 more problems" });
  });

  it("reports duplicated keys at their line, capped too", () => {
    const text = `rules:\n${"  docker/runs-as-root: off\n".repeat(30)}`;
    const { issues } = parseConfigText(text, KNOWN);
    expect(issues).toHaveLength(21);
    expect(issues[0]).toEqual({ path: "", message: "not valid YAML: Map keys must be unique", line: 3 });
    expect(issues[20]!.message).toBe("… and 9 more problems");
  });

  it("answers an alias bomb with an issue", () => {
    const text = `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `b${i}: &b${i} [${`*${i ? `b${i - 1}` : "a"}, `.repeat(9)}]`).join("\n")}\nrules: *b7\n`;
    const { config, issues } = parseConfigText(text, KNOWN);
    expect(config).toBeUndefined();
    expect(issues[0]!.message).toMatch(/^not valid YAML: /);
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "many unknown rule keys": (n) =>
          `rules:\n${Array.from({ length: n }, (_, i) => `  a/${i}: off\n`).join("")}`,
        "many unknown top-level keys": (n) => Array.from({ length: n }, (_, i) => `k${i}: 1\n`).join(""),
        "many duplicated keys": (n) => `rules:\n${"  a/b: off\n".repeat(n)}`,
        "many ignore globs": (n) => `paths:\n  ignore:\n${"    - '**/x'\n".repeat(n)}`,
        "deep nesting": (n) => `${"[".repeat(n)}${"]".repeat(n)}`,
        "many documents": (n) => "---\na: 1\n".repeat(n),
        "many \\r": (n) => "rules:\r".concat("  a/b: off\r".repeat(n)),
        "long quoted line": (n) => `fail-on: "${"\\\\".repeat(n * 10)}`,
      },
      (text) => parseConfigText(text, KNOWN),
      300,
    );
  });
});
