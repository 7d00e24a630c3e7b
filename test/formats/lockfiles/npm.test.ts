import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/formats/errors.js";
import { parseJsonWithPositions } from "../../../src/formats/lockfiles/json-positions.js";
import { parseAs, summary } from "./parse.js";

describe("position-tracking JSON", () => {
  it("gives the line of every key and the same values as JSON.parse", () => {
    const text = '{\n  "a": 1,\n  "b": {\n    "c": [true, null, "x\\"y"],\n    "__proto__": 2\n  }\n}\n';
    const json = parseJsonWithPositions(text);
    expect(JSON.stringify(json.value)).toBe(JSON.stringify(JSON.parse(text)));
    const root = json.value as Record<string, never>;
    expect(json.keyLine(root, "a")).toBe(2);
    expect(json.keyLine(root.b, "c")).toBe(4);
    expect(json.keyLine(root.b, "__proto__")).toBe(5);
  });

  it("reports the line of a syntax error", () => {
    try {
      parseJsonWithPositions('{\n  "a": 1,\n  "b": 2\n  "c": 3\n}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).line).toBe(4);
      expect((e as ParseError).message).toContain("expected ',' or '}'");
    }
  });
});

describe("package.json", () => {
  it("lists every section with its line, aliases, git specs, overrides and install hooks", () => {
    const parsed = parseAs(
      "package.json",
      `{
  "name": "shop",
  "scripts": {
    "postinstall": "node setup.js",
    "test": "vitest"
  },
  "dependencies": {
    "express": "^4.18.2",
    "left-pad": "github:stevemao/left-pad",
    "my-lodash": "npm:lodash@^4.17.21",
    "util": "user/repo#v1"
  },
  "devDependencies": {
    "vitest": "^1.0.0"
  },
  "peerDependencies": {
    "express": "^4"
  },
  "overrides": {
    "semver": "7.5.4",
    "foo": { "bar@1": "git+https://example.com/bar.git" }
  }
}
`,
    );
    expect(summary(parsed)).toEqual([
      "express@^4.18.2 L8 direct",
      "left-pad@github:stevemao/left-pad L9 direct <github:stevemao/left-pad>",
      "lodash@^4.17.21 L10 direct",
      "util@user/repo#v1 L11 direct <github:user/repo#v1>",
      "vitest@^1.0.0 L14 direct dev",
      "semver@7.5.4 L20",
      "bar@git+https://example.com/bar.git L21 <git+https://example.com/bar.git>",
    ]);
    expect(parsed.scripts).toEqual([{ name: "postinstall", command: "node setup.js", line: 4 }]);
  });

  it("refuses a merge conflict at the marker's line", () => {
    expect(() =>
      parseAs("package.json", '{\n<<<<<<< HEAD\n  "a": 1\n=======\n  "a": 2\n>>>>>>> main\n}\n'),
    ).toThrow(expect.objectContaining({ line: 2, message: expect.stringContaining("merge conflict") }));
  });
});

describe("package-lock.json", () => {
  it("v1: nested dependency trees, git versions and direct entries", () => {
    const parsed = parseAs(
      "npm-shrinkwrap.json",
      `{
  "name": "shop",
  "lockfileVersion": 1,
  "dependencies": {
    "debug": {
      "version": "2.6.9",
      "resolved": "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz",
      "integrity": "sha1-XRKFFd8TT/Mn6QpMk/Tgd6U2NB8=",
      "requires": { "ms": "2.0.0" },
      "dependencies": {
        "ms": {
          "version": "2.0.0",
          "integrity": "sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g="
        }
      }
    },
    "left-pad": {
      "version": "git+https://github.com/stevemao/left-pad.git#5c1d7ba",
      "from": "git+https://github.com/stevemao/left-pad.git"
    }
  }
}
`,
    );
    expect(summary(parsed)).toEqual([
      "debug@2.6.9 L5 direct <https://registry.npmjs.org/debug/-/debug-2.6.9.tgz>",
      "ms@2.0.0 L11",
      "left-pad@ L17 direct <git+https://github.com/stevemao/left-pad.git#5c1d7ba>",
    ]);
    expect(parsed.format).toBe("npm-shrinkwrap.json v1");
  });

  it("v3: packages keyed by install path, dev flags, install scripts, workspace links", () => {
    const parsed = parseAs(
      "package-lock.json",
      `{
  "lockfileVersion": 3,
  "packages": {
    "": { "dependencies": { "a": "1" }, "devDependencies": { "esbuild": "*" }, "workspaces": ["packages/*"] },
    "node_modules/a": { "version": "1.0.0", "integrity": "sha512-x" },
    "node_modules/a/node_modules/b": { "version": "2.0.0", "dev": true },
    "node_modules/esbuild": { "version": "0.19.12", "dev": true, "hasInstallScript": true, "license": "MIT" },
    "node_modules/web": { "resolved": "packages/web", "link": true },
    "packages/web": { "version": "0.0.1" }
  }
}
`,
    );
    expect(summary(parsed)).toEqual([
      "a@1.0.0 L5 direct",
      "b@2.0.0 L6 dev",
      "esbuild@0.19.12 L7 direct dev",
      "web@ L8 <link:packages/web>",
    ]);
    expect(parsed.dependencies.map((d) => d.key)).toEqual([
      "node_modules/a",
      "node_modules/a/node_modules/b",
      "node_modules/esbuild",
      "node_modules/web",
    ]);
    expect(parsed.dependencies[2]!.hasInstallScript).toBe(true);
    expect(parsed.dependencies[2]!.license).toBe("MIT");
  });
});

describe("credentials in sources", () => {
  it("never reach a package.json range or source", () => {
    const parsed = parseAs(
      "package.json",
      '{"dependencies": {"a": "git+https://user:s3cretpass@git.example/a.git#v1"}}',
    );
    expect(parsed.dependencies[0]).toMatchObject({
      range: "git+https://git.example/a.git#v1",
      source: "git+https://git.example/a.git#v1",
    });
  });

  it("are stripped from lockfile URLs, while the ssh user git@ stays", () => {
    const parsed = parseAs(
      "package-lock.json",
      `{
  "lockfileVersion": 3,
  "packages": {
    "node_modules/a": { "version": "1.0.0", "resolved": "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/a/archive/v1.tar.gz" },
    "node_modules/b": { "version": "1.0.0", "resolved": "git+ssh://git@github.com/o/b.git#abc" }
  }
}
`,
    );
    expect(parsed.dependencies.map((d) => d.source)).toEqual([
      "https://github.com/o/a/archive/v1.tar.gz",
      "git+ssh://git@github.com/o/b.git#abc",
    ]);
  });
});

describe("Windows line endings", () => {
  it("keep the same lines in a v3 lockfile and in line-based formats", () => {
    const lock =
      '{\r\n  "lockfileVersion": 3,\r\n  "packages": {\r\n    "": {},\r\n    "node_modules/ms": {\r\n      "version": "2.1.3"\r\n    }\r\n  }\r\n}\r\n';
    expect(summary(parseAs("package-lock.json", lock))).toEqual(["ms@2.1.3 L5"]);
    expect(summary(parseAs("requirements.txt", "# pins\r\nflask==3.0.3\r\n"))).toEqual([
      "flask@3.0.3 L2 direct",
    ]);
    expect(() => parseAs("package-lock.json", "{\r\n<<<<<<< HEAD\r\n}\r\n")).toThrow(
      expect.objectContaining({ line: 2 }),
    );
  });
});
