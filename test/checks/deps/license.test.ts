import { describe, expect, it } from "vitest";
import { deniedLicenses } from "../../../src/checks/deps/license.js";
import { config, reviewFiles } from "../../support/review.js";

describe("deniedLicenses", () => {
  const deny = ["GPL-3.0", "AGPL-*", "SSPL-1.0"];
  it.each([
    ["MIT", []],
    ["GPL-3.0", ["GPL-3.0"]],
    ["GPL-3.0-only", ["GPL-3.0"]],
    ["gpl-3.0-or-later", ["GPL-3.0"]],
    ["GPL-3.0+", ["GPL-3.0"]],
    ["LGPL-3.0-only", []],
    ["AGPL-1.0", ["AGPL-*"]],
    ["MIT OR GPL-3.0-only", []],
    ["(MIT OR GPL-3.0-only)", []],
    ["MIT AND GPL-3.0-only", ["GPL-3.0"]],
    ["(GPL-3.0-only OR SSPL-1.0)", ["GPL-3.0", "SSPL-1.0"]],
    ["Apache-2.0 AND (MIT OR SSPL-1.0)", []],
    ["Apache-2.0 AND (AGPL-3.0 OR SSPL-1.0)", ["AGPL-*", "SSPL-1.0"]],
    ["GPL-3.0-only WITH GCC-exception-3.1", ["GPL-3.0"]],
    ["(MIT", []],
    ["SEE LICENSE IN LICENSE.md", []],
  ])("%s → %j", (expression, expected) => {
    expect(deniedLicenses(expression, deny)).toEqual(expected);
  });

  it("matches a whole WITH expression when the deny list names it", () => {
    expect(
      deniedLicenses("GPL-2.0-only WITH Classpath-exception-2.0", [
        "GPL-2.0-only WITH Classpath-exception-2.0",
      ]),
    ).toEqual(["GPL-2.0-only WITH Classpath-exception-2.0"]);
  });

  it("falls back to comparing the raw text when the expression does not parse", () => {
    expect(deniedLicenses("GPL-3.0 (", ["GPL-3.0 ("])).toEqual(["GPL-3.0 ("]);
  });
});

const lock = (entries: Array<{ name: string; version: string; license?: string }>) =>
  `${JSON.stringify(
    {
      name: "shop",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "shop" },
        ...Object.fromEntries(
          entries.map((e) => [
            `node_modules/${e.name}`,
            {
              version: e.version,
              resolved: `https://registry.npmjs.org/${e.name}/-/${e.name}-${e.version}.tgz`,
              integrity: `sha512-${e.name}${e.version}`,
              ...(e.license ? { license: e.license } : {}),
            },
          ]),
        ),
      },
    },
    null,
    2,
  )}\n`;

describe("deps/license-policy on a review", () => {
  const deny = config({ deps: { "license-deny": ["AGPL-3.0"] } });

  it("reports a new dependency under a denied license on its lockfile line", async () => {
    const head = lock([
      { name: "left-pad", version: "1.3.0", license: "WTFPL" },
      { name: "agpl-thing", version: "2.0.0", license: "AGPL-3.0-only" },
    ]);
    const review = await reviewFiles([{ path: "package-lock.json", base: lock([]), head }], { config: deny });
    const found = review.findings.filter((f) => f.ruleId === "deps/license-policy");
    expect(found.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        head.split("\n").findIndex((l) => l.includes('"node_modules/agpl-thing"')) + 1,
        "medium",
        "`agpl-thing@2.0.0` is licensed under `AGPL-3.0-only`, which this repository's license policy denies (deps.license-deny: `AGPL-3.0`).",
      ],
    ]);
  });

  it("reports a version that moves to a denied license, not one that already had it", async () => {
    const review = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lock([
            { name: "relicensed", version: "1.0.0", license: "MIT" },
            { name: "was-agpl", version: "1.0.0", license: "AGPL-3.0-only" },
          ]),
          head: lock([
            { name: "relicensed", version: "2.0.0", license: "AGPL-3.0-or-later" },
            { name: "was-agpl", version: "1.1.0", license: "AGPL-3.0-only" },
          ]),
        },
      ],
      { config: deny },
    );
    expect(review.findings.filter((f) => f.ruleId === "deps/license-policy").map((f) => f.message)).toEqual([
      "`relicensed@2.0.0` is licensed under `AGPL-3.0-or-later`, which this repository's license policy denies (deps.license-deny: `AGPL-3.0`).",
    ]);
  });

  it("is silent without deps.license-deny", async () => {
    const review = await reviewFiles([
      {
        path: "package-lock.json",
        base: lock([]),
        head: lock([{ name: "x-agpl", version: "1.0.0", license: "AGPL-3.0" }]),
      },
    ]);
    expect(review.findings.filter((f) => f.ruleId === "deps/license-policy")).toEqual([]);
  });
});
