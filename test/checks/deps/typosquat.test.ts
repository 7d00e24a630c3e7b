import { readFileSync } from "node:fs";
import { npmHighImpact, npmTopDependents, npmTopDownloads } from "npm-high-impact";
import { beforeAll, describe, expect, it } from "vitest";
import { loadNpmLists, npmRanking, typosquatIndex } from "../../../src/checks/deps/typosquat.js";
import { editDistance, skeleton, TyposquatIndex } from "../../../src/checks/deps/typosquat-index.js";
import { config, reviewFiles } from "../../support/review.js";

const npm = () => typosquatIndex("npm")!;
const pypi = () => typosquatIndex("PyPI")!;

// The lists are imported on first need (a change that adds an npm dependency); the index reads them loaded.
beforeAll(() => loadNpmLists());

describe("typosquat matcher (npm)", () => {
  it.each([
    ["expresss", "express", "one-edit"],
    ["exprses", "express", "swap"],
    ["expres", "express", "one-edit"],
    ["lodash_", "lodash", "separators"],
    ["lo-dash", "lodash", "separators"],
    ["@types-node", "@types/node", "scope"],
    ["types-node", "@types/node", "scope"],
    ["@babel-core", "@babel/core", "scope"],
    ["l0dash", "lodash", "look-alike"],
    ["lоdash", "lodash", "look-alike"], // Cyrillic о
    ["rnocha", "mocha", "look-alike"],
    ["loadsh", "lodash", "swap"],
  ])("%s imitates %s (%s)", (name, target, reason) => {
    expect(npm().match(name)).toEqual({ target, reason });
  });

  it("never reports a popular name itself", () => {
    const index = npm();
    for (const list of [npmHighImpact, npmTopDownloads, npmTopDependents]) {
      expect(list.filter((n) => index.match(n) !== undefined)).toEqual([]);
    }
    expect(index.match("express")).toBeUndefined();
    expect(index.match("react-dom")).toBeUndefined();
    // the most depended-on packages that are now targets, and their near neighbours that are popular too
    for (const name of ["mongoose", "mongodb", "bcrypt", "bcryptjs", "ethers", "puppeteer", "puppeteer-core"])
      expect(index.match(name), name).toBeUndefined();
    for (const name of [
      "electron",
      "electron-builder",
      "babel-cli",
      "node-sass",
      "discord.js",
      "discord-api-types",
    ])
      expect(index.match(name), name).toBeUndefined();
  });

  it("never reports a popular PyPI name itself", () => {
    const names = readFileSync(
      new URL("../../../src/checks/deps/data/pypi-popular.txt", import.meta.url),
      "utf8",
    )
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(names.length).toBeGreaterThan(10_000);
    expect(names.filter((n) => pypi().match(n) !== undefined)).toEqual([]);
  });

  it.each([
    ["mongose", "mongoose", "one-edit"],
    ["electorn", "electron", "swap"],
    ["bcrpyt", "bcrypt", "swap"],
    ["ethres", "ethers", "swap"],
    ["puppeter", "puppeteer", "one-edit"],
    ["babel-cil", "babel-cli", "look-alike"],
    ["node-sas", "node-sass", "one-edit"],
    ["discordjs", "discord.js", "separators"],
  ])("%s imitates %s, popular by dependents rather than downloads (%s)", (name, target, reason) => {
    expect(npm().match(name)).toEqual({ target, reason });
  });

  it("targets the top downloads and the top dependents; the one-edit targets come first", () => {
    const { names, targets, editTargets } = npmRanking();
    const edit = new Set(names.slice(0, editTargets));
    for (const name of [...npmTopDownloads.slice(0, 2_500), ...npmTopDependents.slice(0, 1_000)])
      expect(edit.has(name), name).toBe(true);
    const all = new Set(names.slice(0, targets));
    for (const name of [...npmTopDownloads.slice(0, 5_000), ...npmTopDependents.slice(0, 2_500)])
      expect(all.has(name), name).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(new Set(npmHighImpact).size);
  });

  it("does not report names that are merely different", () => {
    for (const name of ["my-internal-lib", "expressjs", "left-pad-x", "tollgate", "@acme/lodash"]) {
      expect(npm().match(name), name).toBeUndefined();
    }
  });

  it("does not compare names shorter than 5 characters by edit distance", () => {
    // `ms` and `qs` are popular; `mz`/`qz` one edit away are just short names
    expect(npm().match("qz")).toBeUndefined();
    expect(npm().match("msx")).toBeUndefined();
  });

  it("does not report a near name inside the same scope (only its owner can publish there)", () => {
    expect(npm().match("@types/nodes")).toBeUndefined();
    expect(npm().match("@babel/cor")).toBeUndefined();
  });

  it("does not report a digit changed for another digit (sibling releases)", () => {
    const index = new TyposquatIndex(["nvidia-cuda-runtime-cu12"]);
    expect(index.match("nvidia-cuda-runtime-cu13")).toBeUndefined();
    expect(index.match("nvidia-cuda-runtime-cx12")).toEqual({
      target: "nvidia-cuda-runtime-cu12",
      reason: "one-edit",
    });
  });

  it("compares by edit distance only against the top of the ranked list", () => {
    const index = new TyposquatIndex(["alpha-one", "bravo-two"], { editTargets: 1 });
    expect(index.match("alpha-onw")).toEqual({ target: "alpha-one", reason: "one-edit" });
    expect(index.match("bravo-twp")).toBeUndefined();
    expect(index.match("bravo_two")).toEqual({ target: "bravo-two", reason: "separators" });
  });
});

describe("typosquat matcher (PyPI)", () => {
  it("uses PEP 503 names: separators and case are not a difference", () => {
    expect(pypi().match("Python_Dateutil")).toBeUndefined();
    expect(pypi().match("python.dateutil")).toBeUndefined();
    expect(pypi().match("requests")).toBeUndefined();
  });

  it.each([
    ["reqeusts", "requests", "swap"],
    ["requestss", "requests", "one-edit"],
    ["djang0", "django", "look-alike"],
    ["pythondateutil", "python-dateutil", "separators"],
  ])("%s imitates %s (%s)", (name, target, reason) => {
    expect(pypi().match(name)).toEqual({ target, reason });
  });

  it("ships a list of popular PyPI names, most popular first", () => {
    expect(pypi().size).toBeGreaterThan(10_000);
    expect(pypi().isPopular("boto3")).toBe(true);
    expect(pypi().isPopular("numpy")).toBe(true);
  });
});

describe("helpers", () => {
  it("computes a capped optimal-string-alignment distance", () => {
    expect(editDistance("express", "expresss")).toBe(1);
    expect(editDistance("express", "exprses")).toBe(1);
    expect(editDistance("express", "exprss")).toBe(1);
    expect(editDistance("express", "xeprses")).toBe(2);
    expect(editDistance("express", "expressjs")).toBe(2);
    expect(editDistance("a", "a")).toBe(0);
  });

  it("maps look-alike characters to one skeleton", () => {
    expect(skeleton("l0dash")).toBe(skeleton("lodash"));
    expect(skeleton("rnocha")).toBe(skeleton("mocha"));
    expect(skeleton("Ехpress")).toBe(skeleton("express")); // Cyrillic Е and х
    expect(skeleton("café")).toBe("cafe");
  });
});

describe("deps/typosquat on a review", () => {
  const base = `{
  "name": "app",
  "dependencies": {
    "express": "^4.18.2"
  }
}
`;

  it("reports a new typosquatted dependency on its package.json line", async () => {
    const head = `{
  "name": "app",
  "dependencies": {
    "express": "^4.18.2",
    "expresss": "^4.18.2",
    "lodash": "^4.17.21"
  }
}
`;
    const review = await reviewFiles([{ path: "package.json", base, head }]);
    const found = review.findings.filter((f) => f.ruleId === "deps/typosquat");
    expect(found.map((f) => [f.line, f.severity, f.message])).toEqual([
      [
        5,
        "high",
        "`expresss` looks like a typosquat of the popular npm package `express`: one character differs. Check that `expresss` is the package you meant.",
      ],
    ]);
  });

  it("does not report a name that was already there", async () => {
    const withSquat = base.replace('"express": "^4.18.2"', '"express": "^4.18.2",\n    "expresss": "1.0.0"');
    const review = await reviewFiles([
      { path: "package.json", base: withSquat, head: withSquat.replace('"1.0.0"', '"1.0.1"') },
    ]);
    expect(review.findings.filter((f) => f.ruleId === "deps/typosquat")).toEqual([]);
  });

  it("honours deps.typosquat-allow", async () => {
    const head = base.replace('"express": "^4.18.2"', '"express": "^4.18.2",\n    "expresss": "1.0.0"');
    const review = await reviewFiles([{ path: "package.json", base, head }], {
      config: config({ deps: { "typosquat-allow": ["expresss"] } }),
    });
    expect(review.findings.filter((f) => f.ruleId === "deps/typosquat")).toEqual([]);
  });

  it("honours deps.typosquat-allow for PyPI names in any spelling", async () => {
    const review = await reviewFiles([{ path: "requirements.txt", base: "", head: "Reqeusts==1.0\n" }], {
      config: config({ deps: { "typosquat-allow": ["reqeusts"] } }),
    });
    expect(review.findings.filter((f) => f.ruleId === "deps/typosquat")).toEqual([]);
    const other = await reviewFiles([{ path: "requirements.txt", base: "", head: "pythondateutil==1.0\n" }], {
      config: config({ deps: { "typosquat-allow": ["PythonDateUtil"] } }),
    });
    expect(other.findings.filter((f) => f.ruleId === "deps/typosquat")).toEqual([]);
  });

  it("reports transitive lockfile entries once per name", async () => {
    const lock = (extra: string) => `{
  "name": "app",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "app", "dependencies": { "express": "^4.18.2" } },
    "node_modules/express": {
      "version": "4.18.2",
      "resolved": "https://registry.npmjs.org/express/-/express-4.18.2.tgz",
      "integrity": "sha512-AAAA"
    }${extra}
  }
}
`;
    const added = `,
    "node_modules/crossenv": {
      "version": "1.0.0",
      "resolved": "https://registry.npmjs.org/crossenv/-/crossenv-1.0.0.tgz",
      "integrity": "sha512-BBBB"
    },
    "node_modules/express/node_modules/crossenv": {
      "version": "1.0.0",
      "resolved": "https://registry.npmjs.org/crossenv/-/crossenv-1.0.0.tgz",
      "integrity": "sha512-BBBB"
    }`;
    const review = await reviewFiles([{ path: "package-lock.json", base: lock(""), head: lock(added) }]);
    const found = review.findings.filter((f) => f.ruleId === "deps/typosquat");
    expect(found.map((f) => [f.line, f.message.split(":")[0]])).toEqual([
      [12, "`crossenv` looks like a typosquat of the popular npm package `cross-env`"],
    ]);
  });
});

describe("scope confusion is limited to names that cannot be innocent", () => {
  it("does not report the pre-scope names of scoped projects", () => {
    for (const name of [
      "babel-helper-module-imports",
      "angular-animations",
      "koa-cors",
      "appium-base-driver",
    ]) {
      expect(typosquatIndex("npm")!.match(name), name).toBeUndefined();
    }
  });
  it("reports an @-name without a scope and an unscoped types- name", () => {
    expect(typosquatIndex("npm")!.match("@angular-core")).toEqual({
      target: "@angular/core",
      reason: "scope",
    });
    expect(typosquatIndex("npm")!.match("types-react")).toEqual({ target: "@types/react", reason: "scope" });
  });
});

describe("npm aliases", () => {
  it("reports a typosquat swapped in under an existing key", async () => {
    const manifest = (spec: string) =>
      `{\n  "name": "app",\n  "dependencies": {\n    "express": "${spec}"\n  }\n}\n`;
    const review = await reviewFiles([
      { path: "package.json", base: manifest("^4.18.2"), head: manifest("npm:expresss@^4.18.2") },
    ]);
    expect(
      review.findings
        .filter((f) => f.ruleId === "deps/typosquat")
        .map((f) => [f.line, f.message.split(":")[0]]),
    ).toEqual([[4, "`expresss` looks like a typosquat of the popular npm package `express`"]]);
  });
});

describe("the examples docs/vulnerabilities.md gives", () => {
  it.each([
    ["npm", "expresss"],
    ["npm", "expres"],
    ["PyPI", "requestss"],
    ["npm", "exprses"],
    ["npm", "loadsh"],
    ["PyPI", "reqeusts"],
    ["npm", "lodash_"],
    ["npm", "lo-dash"],
    ["npm", "crossenv"],
    ["PyPI", "pythondateutil"],
    ["npm", "@types-node"],
    ["npm", "@babel-core"],
    ["npm", "types-node"],
    ["npm", "l0dash"],
    ["npm", "rnocha"],
    ["npm", "lоdash"],
    ["npm", "bcrpyt"],
    ["npm", "monent"],
    ["PyPI", "ansilbe"],
    ["PyPI", "panadas"],
    ["npm", "mongose"],
    ["npm", "electorn"],
    ["npm", "ethres"],
    ["npm", "puppeter"],
  ])("%s %s is reported", (ecosystem, name) => {
    expect(typosquatIndex(ecosystem)!.match(name), name).toBeDefined();
  });

  it.each([
    ["npm", "@types/nodes"],
    ["npm", "babel-preset-env"],
    ["npm", "angular-material"],
    ["PyPI", "nvidia-cuda-runtime-cu11"],
  ])("%s %s is not", (ecosystem, name) => {
    expect(typosquatIndex(ecosystem)!.match(name), name).toBeUndefined();
  });
});
