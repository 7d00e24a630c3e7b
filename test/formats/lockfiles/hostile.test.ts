import { describe, expect, it } from "vitest";
import { parseAs } from "./parse.js";

/**
 * Inputs shaped to make a backtracking pattern explode. A regression shows up
 * as this test never finishing (the suite's timeout), not as a timing assertion.
 */
describe("hostile dependency files stay linear", () => {
  const long = (s: string, n = 200_000) => s.repeat(n);

  it("TOML: a dotted non-key, an unterminated header, a run of spaces", () => {
    expect(parseAs("Cargo.toml", `[package]\nname = "x"\n# ${long("a.")}\n`).dependencies).toEqual([]);
    expect(() => parseAs("pyproject.toml", `[${long(" ")}\n`)).toThrow();
    expect(() => parseAs("Cargo.toml", `${long("a.", 5000)}b\n`)).toThrow();
  });

  it("requirements: long whitespace, many semicolons, huge names", () => {
    const parsed = parseAs(
      "requirements.txt",
      `flask${long(" ")};${long(";", 1000)}\nrequests==2.0 ${long(" ")}\n`,
    );
    expect(parsed.dependencies.map((d) => d.name)).toEqual(["flask", "requests"]);
    expect(() => parseAs("requirements.txt", `${"a".repeat(5000)}!\n`)).toThrow(/not a requirement/);
    // Past 8,192 characters a line is cut: a name that long is read, never backtracked over.
    expect(parseAs("requirements.txt", `${long("a")}!\n`).dependencies[0]!.name).toHaveLength(8192);
  });

  it("Gemfile, go.mod, go.sum and Gradle lines of repeated tokens", () => {
    expect(parseAs("Gemfile", `gem "x", ${long("a")}\n`).dependencies.map((d) => d.name)).toEqual(["x"]);
    expect(() => parseAs("go.mod", `replace ${long("a ")}\n`)).toThrow();
    expect(() => parseAs("go.sum", `${long("a ")}\n`)).toThrow();
    expect(parseAs("build.gradle", `implementation "${long("$")}\n`).dependencies).toEqual([]);
  });

  it("XML: a tag of a million characters is a parse error, not a hang", () => {
    expect(() => parseAs("pom.xml", `<project ${long("a", 1_000_000)}></project>\n`)).toThrow(/longer than/);
  });

  it("JSON: deep nesting is a parse error, not a stack overflow", () => {
    expect(() => parseAs("package.json", `${"[".repeat(100_000)}`)).toThrow(
      /nested too deeply|not a JSON object/,
    );
    expect(() => parseAs("composer.lock", `{"packages":${"[".repeat(100_000)}`)).toThrow(/nested too deeply/);
  });
});
