import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/index.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

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
      "New dependency `esbuild@0.19.12` runs an install script: it executes on every `pnpm install`, in CI too, before anyone reads its code.",
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
      "New dependency `esbuild@0.19.12` runs an install script: it executes on every `npm install`, in CI too, before anyone reads its code.",
    ]);
  });
});
