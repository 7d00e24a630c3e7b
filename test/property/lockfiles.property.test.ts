import fc from "fast-check";
import { describe, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { parseCargoConfig, parseCargoLock, parseCargoToml } from "../../src/formats/lockfiles/cargo.js";
import { parseComposerJson, parseComposerLock } from "../../src/formats/lockfiles/composer.js";
import { parseGoMod, parseGoSum } from "../../src/formats/lockfiles/go.js";
import { parseGradle, parseGradleLockfile } from "../../src/formats/lockfiles/gradle.js";
import { parseJsonWithPositions } from "../../src/formats/lockfiles/json-positions.js";
import { parsePom } from "../../src/formats/lockfiles/maven.js";
import { parsePackageJson, parsePackageLock } from "../../src/formats/lockfiles/npm.js";
import {
  parseMsbuildProject,
  parseNugetConfig,
  parsePackagesLock,
} from "../../src/formats/lockfiles/nuget.js";
import {
  parsePipConf,
  parsePipfile,
  parsePipfileLock,
  parsePoetryLock,
  parsePyproject,
  parseRequirements,
  parseUvLock,
} from "../../src/formats/lockfiles/python.js";
import {
  parseNpmrc,
  parseYarnrcClassic,
  parseYarnrcYml,
} from "../../src/formats/lockfiles/registry-config.js";
import { parseGemfile, parseGemfileLock } from "../../src/formats/lockfiles/ruby.js";
import { parseYarnLock } from "../../src/formats/lockfiles/yarn.js";
import { parseAs } from "../formats/lockfiles/parse.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

type Reader = (text: string, lines: readonly string[]) => unknown;

const JSON_BITS = [
  '{"',
  '":',
  '"',
  ",",
  "}",
  "[",
  "]",
  "\\u0000",
  "\\",
  "1e999",
  "null",
  '"packages":{',
  '"node_modules/a":{"version":"1"}',
];
const TOML_BITS = [
  "[package]\n",
  "[[package]]\n",
  'name = "a"\n',
  'version = "1"\n',
  "= ",
  '"""',
  "'''",
  "[dependencies]\n",
  "{ git = ",
  "#",
];
const XML_BITS = [
  "<project>",
  "</project>",
  "<dependency>",
  "<groupId>a</groupId>",
  "<version>${v}</version>",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  "&amp;",
  "&x;",
  "<!DOCTYPE x [<!ENTITY a 'b'>]>",
  "<",
  ">",
  "/>",
  '="',
];
const LINE_BITS = [
  "a==1.0\n",
  "-e .\n",
  "--index-url https://x\n",
  "require (\n",
  ")\n",
  "a v1.0.0 h1:x=\n",
  "  a (1.0)\n",
  "GEM\n",
  "  remote: x\n",
  "  specs:\n",
  'gem "a", "1"\n',
  "implementation 'a:b:1'\n",
  "a:b:1=c\n",
  '"a@^1":\n',
  '  version "1"\n',
  '  resolved "x"\n',
  "registry=x\n",
  "[global]\n",
];

const READERS: Record<string, [Reader, string[]]> = {
  "package.json": [parsePackageJson, JSON_BITS],
  "package-lock.json": [(t, l) => parsePackageLock(t, () => l, "package-lock.json"), JSON_BITS],
  "yarn.lock": [parseYarnLock, LINE_BITS],
  ".npmrc": [parseNpmrc, LINE_BITS],
  ".yarnrc": [parseYarnrcClassic, LINE_BITS],
  ".yarnrc.yml": [parseYarnrcYml, LINE_BITS],
  Pipfile: [parsePipfile, TOML_BITS],
  "Pipfile.lock": [parsePipfileLock, JSON_BITS],
  "poetry.lock": [parsePoetryLock, TOML_BITS],
  "pyproject.toml": [parsePyproject, TOML_BITS],
  "uv.lock": [parseUvLock, TOML_BITS],
  "requirements.txt": [(t, l) => parseRequirements(t, l, "requirements.txt"), LINE_BITS],
  "pip.conf": [(t, l) => parsePipConf(t, l, "pip.conf"), LINE_BITS],
  "go.mod": [parseGoMod, LINE_BITS],
  "go.sum": [parseGoSum, LINE_BITS],
  "pom.xml": [parsePom, XML_BITS],
  "build.gradle": [(t, l) => parseGradle(t, l, "build.gradle"), LINE_BITS],
  "gradle.lockfile": [parseGradleLockfile, LINE_BITS],
  "Cargo.toml": [parseCargoToml, TOML_BITS],
  "Cargo.lock": [parseCargoLock, TOML_BITS],
  ".cargo/config.toml": [parseCargoConfig, TOML_BITS],
  Gemfile: [(t, l) => parseGemfile(t, l, "Gemfile"), LINE_BITS],
  "Gemfile.lock": [parseGemfileLock, LINE_BITS],
  "composer.json": [parseComposerJson, JSON_BITS],
  "composer.lock": [parseComposerLock, JSON_BITS],
  "packages.lock.json": [parsePackagesLock, JSON_BITS],
  "app.csproj": [(t, l) => parseMsbuildProject(t, l, "app.csproj"), XML_BITS],
  "nuget.config": [parseNugetConfig, XML_BITS],
};

describe("dependency file readers (property)", () => {
  for (const [name, [read, bits]] of Object.entries(READERS)) {
    it(`${name}: throws nothing but ParseError on any input`, () => {
      fc.assert(
        fc.property(tokenSoup([...HOSTILE, ...bits], 60), (text) => {
          onlyDeclaredErrors(() => read(text, text.split("\n")), ParseError);
        }),
        { numRuns: 60 },
      );
    });
  }

  it("the positioned JSON parser throws nothing but ParseError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), tokenSoup([...HOSTILE, ...JSON_BITS], 80)), (text) => {
        onlyDeclaredErrors(() => parseJsonWithPositions(text), ParseError);
      }),
      PROPERTY_RUNS,
    );
  });

  const npmLock = (n: number, space?: number) => {
    const packages: Record<string, unknown> = { "": { name: "x", dependencies: {} } };
    for (let i = 0; i < n; i++)
      packages[`node_modules/p${i}`] = { version: "1.0.0", resolved: `https://r/p${i}.tgz` };
    return JSON.stringify({ lockfileVersion: 3, packages }, null, space);
  };

  it("JSON lockfiles take linear time (minified, pretty, escaped keys, deep nesting)", () => {
    expectLinear(
      {
        "minified package-lock.json": (n) => npmLock(n),
        "pretty package-lock.json": (n) => npmLock(n, 2),
        "keys with escapes (the positioned parser)": (n) =>
          npmLock(n).replaceAll('"node_modules/', '"node_modules\\/'),
        "deep nesting": (n) => `{"packages":${"[".repeat(n)}${"]".repeat(n)}}`,
        "long escaped string": (n) => `{"packages":{"a":"${"\\\\".repeat(n * 10)}"}}`,
        "unterminated string": (n) => `{"packages":{"a":"${'\\"'.repeat(n * 10)}`,
      },
      (text) => parseAs("package-lock.json", text),
      400,
    );
    expectLinear(
      {
        "composer.lock": (n) =>
          JSON.stringify({
            packages: Array.from({ length: n }, (_, i) => ({ name: `a/p${i}`, version: "1.0.0" })),
          }),
        "Pipfile.lock": (n) =>
          JSON.stringify({
            default: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { version: "==1" }])),
          }),
      },
      (text) => parseAs(text.startsWith('{"packages"') ? "composer.lock" : "Pipfile.lock", text),
      400,
    );
  });

  it("line-based and TOML/XML readers take linear time", () => {
    const cases: Record<string, [string, (n: number) => string]> = {
      "yarn.lock": [
        "yarn.lock",
        (n) => 'p@^1:\n  version "1.0.0"\n  resolved "https://r/p.tgz"\n\n'.repeat(n),
      ],
      "yarn.lock, one long line": ["yarn.lock", (n) => `"${"a@^1, ".repeat(n)}":\n  version "1"\n`],
      "requirements.txt": ["requirements.txt", (n) => "a==1.0 \\\n".repeat(n)],
      "go.sum": ["go.sum", (n) => "a v1.0.0 h1:x=\n".repeat(n)],
      "go.mod": ["go.mod", (n) => `module m\nrequire (\n${"\ta v1.0.0\n".repeat(n)})\n`],
      "Gemfile.lock": [
        "Gemfile.lock",
        (n) => `GEM\n  remote: https://x/\n  specs:\n${"    a (1.0)\n".repeat(n)}`,
      ],
      Gemfile: ["Gemfile", (n) => 'gem "a", "1"\n'.repeat(n)],
      "build.gradle": ["build.gradle", (n) => "implementation 'a:b:1'\n".repeat(n)],
      "Cargo.lock": ["Cargo.lock", (n) => '[[package]]\nname = "a"\nversion = "1"\n'.repeat(n)],
      "poetry.lock, long multi-line string": [
        "poetry.lock",
        (n) => `[[package]]\nname = "a"\ndescription = """${"x\n".repeat(n)}`,
      ],
      "pom.xml": [
        "pom.xml",
        (n) =>
          `<project><dependencies>${"<dependency><groupId>a</groupId><artifactId>b</artifactId><version>1</version></dependency>".repeat(n)}</dependencies></project>`,
      ],
      "pom.xml, deep nesting": ["pom.xml", (n) => `${"<a>".repeat(n)}${"</a>".repeat(n)}`],
      ".npmrc": [".npmrc", (n) => "registry=https://x/\n".repeat(n)],
      "many \\r": ["requirements.txt", (n) => "a==1\r".repeat(n)],
    };
    for (const [label, [path, make]] of Object.entries(cases)) {
      expectLinear({ [label]: make }, (text) => parseAs(path, text), 200);
    }
  });

  // pnpm's reader is being rewritten; only its public entry point is exercised.
  it("pnpm-lock.yaml: only ParseError, linear time", () => {
    fc.assert(
      fc.property(
        tokenSoup(
          [
            ...HOSTILE,
            "lockfileVersion: '9.0'\n",
            "packages:\n",
            "  /a@1.0.0:\n",
            "    resolution: {integrity: x}\n",
            "&a ",
            "*a",
          ],
          60,
        ),
        (text) => {
          onlyDeclaredErrors(() => parseAs("pnpm-lock.yaml", text), ParseError);
        },
      ),
      { numRuns: 60 },
    );
    expectLinear(
      {
        "many packages": (n) =>
          `lockfileVersion: '9.0'\npackages:\n${Array.from({ length: n }, (_, i) => `  p${i}@1.0.0:\n    resolution: {integrity: sha512-x}\n`).join("")}`,
      },
      (text) => parseAs("pnpm-lock.yaml", text),
      200,
    );
  });
});
