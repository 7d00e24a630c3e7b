import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  configJsonSchema,
  configSchema,
  loadConfig,
  parseConfigText,
} from "../../src/review/config.js";
import { defaultConfig } from "../../src/review/defaults.js";
import { packageRoot } from "../../src/review/rules.js";

const known = new Set(["docker/unpinned-base-image", "docker/runs-as-root"]);

describe("configuration", () => {
  it("the start-up defaults equal the schema's defaults", () => {
    expect(defaultConfig).toEqual(configSchema.parse({}));
  });

  it("an empty or missing file means the defaults", () => {
    expect(loadConfig(null, "x")).toBe(defaultConfig);
    expect(loadConfig("  \n", "x")).toBe(defaultConfig);
  });

  it("reads a full configuration", () => {
    const config = loadConfig(
      [
        "fail-on: medium",
        "rules:",
        "  docker/unpinned-base-image: off",
        "  docker/runs-as-root: critical",
        "paths:",
        "  ignore: ['vendor/**', 'test/fixtures/**']",
        "max-comments: 10",
        "deps:",
        "  vulnerabilities: off",
      ].join("\n"),
      ".github/tollgate.yml",
      known,
    );
    expect(config).toMatchObject({
      "fail-on": "medium",
      rules: { "docker/unpinned-base-image": "off", "docker/runs-as-root": "critical" },
      paths: { ignore: ["vendor/**", "test/fixtures/**"] },
      "max-comments": 10,
      deps: { vulnerabilities: "off", "on-unavailable": "note" },
    });
  });

  it("names the key path and line of every problem", () => {
    const text = [
      "fail-on: hgih", // 1
      "rules:", // 2
      "  docker/nope: off", // 3
      "  docker/runs-as-root: urgent", // 4
      "max-comment: 10", // 5
      "paths:", // 6
      "  ignore: vendor/**", // 7
      "deps:", // 8
      "  colour: blue", // 9
    ].join("\n");
    const { config, issues } = parseConfigText(text, known);
    expect(config).toBeUndefined();
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.line]));
    expect(byPath).toMatchObject({
      "fail-on": 1,
      "rules.docker/runs-as-root": 4,
      "max-comment": 5,
      "paths.ignore": 7,
      "deps.colour": 9,
    });
    expect(issues.find((i) => i.path === "max-comment")?.message).toBe("unknown key");
  });

  it("a bad rule setting lists the values that are allowed", () => {
    const { issues } = parseConfigText("rules:\n  docker/runs-as-root: severe\n", known);
    expect(issues).toEqual([
      {
        path: "rules.docker/runs-as-root",
        line: 2,
        message: 'Invalid option: expected one of "off"|"critical"|"high"|"medium"|"low"',
      },
    ]);
  });

  it("reports unknown rule ids once the values are valid", () => {
    const { issues } = parseConfigText("rules:\n  docker/nope: off\n", known);
    expect(issues).toEqual([{ path: "rules.docker/nope", message: "unknown rule id", line: 2 }]);
  });

  it("invalid YAML is an error with its line", () => {
    const { issues } = parseConfigText("fail-on: high\nrules: [unclosed\n", known);
    expect(issues[0]).toMatchObject({ path: "", line: expect.any(Number) });
    expect(issues[0]!.message).toMatch(/^not valid YAML/);
  });

  it("loadConfig throws a ConfigError whose message lists every key", () => {
    expect(() => loadConfig("fail-on: 3\nmax-comments: -1\n", ".github/tollgate.yml", known)).toThrow(
      ConfigError,
    );
    try {
      loadConfig("fail-on: 3\nmax-comments: -1\n", ".github/tollgate.yml", known);
    } catch (e) {
      expect((e as Error).message).toMatch(
        /^\.github\/tollgate\.yml: fail-on: .* \(line 1\); max-comments: .* \(line 2\)$/,
      );
    }
  });

  it("the committed JSON Schema is the one the code exports", () => {
    const committed = JSON.parse(readFileSync(join(packageRoot(), "schema/tollgate.schema.json"), "utf8"));
    const { $id, title, ...generated } = committed;
    expect($id).toMatch(/tollgate\.schema\.json$/);
    expect(title).toMatch(/tollgate\.yml/);
    expect(generated).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
    expect(committed.additionalProperties).toBe(false);
    expect(Object.keys(committed.properties)).toContain("fail-on");
  });
});
