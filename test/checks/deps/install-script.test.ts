import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

const offline = checks.filter((c) => c.kind === "change");

const pnpm = (packages: string) =>
  `lockfileVersion: '6.0'\n\nsettings:\n  autoInstallPeers: true\n\ndependencies:\n  esbuild:\n    specifier: ^0.19.0\n    version: 0.19.12\n\npackages:\n${packages}`;

describe("deps/install-script names the package manager that installs", () => {
  it("pnpm-lock.yaml: `pnpm install`", async () => {
    const result = await reviewFiles(
      [
        {
          path: "pnpm-lock.yaml",
          base: pnpm(""),
          head: pnpm(
            "\n  /esbuild@0.19.12:\n    resolution: {integrity: sha512-aaaa}\n    engines: {node: '>=12'}\n    hasBin: true\n    requiresBuild: true\n    dev: false\n",
          ),
        },
      ],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([["deps/install-script", 13]]);
    expect(result.findings[0]!.message).toBe(
      "New dependency `esbuild@0.19.12` runs an install script on every `pnpm install`; it is a widely used package, where that usually builds or fetches native code.",
    );
  });

  it("package-lock.json still says `npm install`", async () => {
    const lock = (extra: string) =>
      `{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" }${extra}\n  }\n}\n`;
    const result = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lock(""),
          head: lock(',\n    "node_modules/esbuild": { "version": "0.19.12", "hasInstallScript": true }'),
        },
      ],
      { checks: offline },
    );
    expect(result.findings.map((f) => f.message)).toEqual([
      "New dependency `esbuild@0.19.12` runs an install script on every `npm install`; it is a widely used package, where that usually builds or fetches native code.",
    ]);
  });
});

describe("deps/install-script is calibrated to what a reviewer should read", () => {
  const lock = (entries: string) =>
    `{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" }${entries}\n  }\n}\n`;
  const entry = (name: string, version: string, script: boolean) =>
    `,\n    "node_modules/${name}": { "version": "${version}"${script ? ', "hasInstallScript": true' : ""} }`;

  it("a new, widely used package that builds native code is a low note; an unknown one is medium", async () => {
    const result = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lock(""),
          head: lock(entry("fsevents", "2.3.3", true) + entry("left-pad-installer-x", "1.0.0", true)),
        },
      ],
      { checks: offline },
    );
    expect(result.findings.map((f) => [f.severity, f.line, f.message])).toEqual([
      [
        "low",
        5,
        "New dependency `fsevents@2.3.3` runs an install script on every `npm install`; it is a widely used package, where that usually builds or fetches native code.",
      ],
      [
        "medium",
        6,
        "New dependency `left-pad-installer-x@1.0.0` runs an install script: it executes on every `npm install`, in CI too, before anyone reads its code.",
      ],
    ]);
  });

  it("a popular package that gains an install script in an update stays medium (the hijacked-package pattern)", async () => {
    const result = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lock(entry("chalk", "5.3.0", false)),
          head: lock(entry("chalk", "5.6.1", true)),
        },
      ],
      { checks: offline },
    );
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        "deps/install-script",
        "medium",
        "`chalk@5.6.1` now runs an install script (it did not at 5.3.0): it executes on every `npm install`, in CI too.",
      ],
    ]);
  });

  it("the project's own hook is a low note: its command is in the diff", async () => {
    const result = await reviewFiles(
      [
        {
          path: "package.json",
          base: '{\n  "name": "app",\n  "scripts": {}\n}\n',
          head: '{\n  "name": "app",\n  "scripts": {\n    "postinstall": "npm run download-api"\n  }\n}\n',
        },
      ],
      { checks: offline },
    );
    expect(result.findings.map((f) => [f.severity, f.line])).toEqual([["low", 4]]);
  });

  it("a repository that raises the rule gets its setting for every finding", async () => {
    const result = await reviewFiles(
      [{ path: "package-lock.json", base: lock(""), head: lock(entry("fsevents", "2.3.3", true)) }],
      { checks: offline, config: config({ rules: { "deps/install-script": "high" } }) },
    );
    expect(result.findings.map((f) => f.severity)).toEqual(["high"]);
  });
});
