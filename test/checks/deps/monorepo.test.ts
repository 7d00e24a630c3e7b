import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { insideRepository } from "../../../src/checks/deps/sources.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

const offline = checks.filter((c) => c.kind === "change");

const pkg = (deps: Record<string, string>) =>
  `${JSON.stringify({ name: "web", version: "1.0.0", dependencies: deps }, null, 2)}\n`;

describe("monorepos: the repository's own packages are not registry problems", () => {
  it("workspace: specs are neither unpinned nor non-registry, and are not typosquats", async () => {
    const result = await reviewFiles(
      [
        {
          path: "apps/web/package.json",
          base: pkg({ react: "^18.3.1" }),
          head: pkg({ react: "^18.3.1", "@corp/a": "workspace:*", expres: "workspace:^1.0.0" }),
        },
      ],
      { checks },
    );
    expect(ruleLines(result)).toEqual([]);
  });

  it("file: and link: paths inside the repository are not reported; outside, they are", async () => {
    const result = await reviewFiles(
      [
        {
          path: "apps/web/package.json",
          base: pkg({}),
          head: pkg({
            local: "file:./packages/local",
            shared: "file:../../libs/shared",
            linked: "link:../ui",
            escape: "file:../../../outside",
            home: "link:~/src/thing",
            abs: "file:/opt/vendor/pkg",
          }),
        },
      ],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([
      ["deps/non-registry-source", 8],
      ["deps/non-registry-source", 9],
      ["deps/non-registry-source", 10],
    ]);
    expect(result.findings[0]!.message).toBe(
      "`escape` comes from a local path outside the repository (`file:../../../outside`), not a registry: whatever is at that path at install time is used, and its code is not part of this review.",
    );
    expect(result.findings[1]!.message).toContain(
      "is linked from a path outside the repository (`link:~/src/thing`)",
    );
  });

  it("a package-lock link to a workspace folder is not reported, wherever the lockfile sits", async () => {
    const lock = (entries: string) =>
      `{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n${entries}\n  }\n}\n`;
    const result = await reviewFiles(
      [
        {
          path: "apps/web/package-lock.json",
          base: lock('    "": { "name": "web" }'),
          head: lock(
            '    "": { "name": "web" },\n    "node_modules/@corp/ui": { "resolved": "../../libs/ui", "link": true }',
          ),
        },
      ],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([]);
  });

  it.each([
    ["./packages/local", "package.json", true],
    ["file:packages/local", "package.json", true],
    ["../libs/x", "apps/web/package.json", true],
    ["../../x", "apps/web/package.json", true],
    ["../../../x", "apps/web/package.json", false],
    ["..", "package.json", false],
    ["file:///tmp/x", "package.json", false],
    ["/opt/x", "package.json", false],
    ["~/x", "package.json", false],
    ["$(PROJECT)/lib/x.jar", "pom.xml", false],
    ["%APPDATA%/x", "package.json", false],
    ["a/../../x", "package.json", false],
  ])("insideRepository(%s) from %s is %s", (target, manifest, inside) => {
    expect(insideRepository(target, manifest)).toBe(inside);
  });
});

describe("requirements-dev.txt: editable installs of the project", () => {
  it("are not table rows named `-`; a wheel from outside the repository is named and reported", async () => {
    const result = await reviewFiles(
      [
        {
          path: "requirements-dev.txt",
          base: "",
          head: "-e .\n-e .[test]\n-e ./libs/core\nfile:///tmp/x.whl\n",
        },
      ],
      { checks: offline },
    );
    expect(result.dependencyChanges.map((c) => [c.name, c.kind, c.line])).toEqual([
      ["./libs/core", "added", 3],
      ["x", "added", 4],
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 4]]);
    expect(result.findings[0]!.message).toContain("`x` comes from a local path outside the repository");
  });
});
