import { npmHighImpact } from "npm-high-impact";
import { describe, expect, it } from "vitest";
import { typosquatIndex } from "../../../src/checks/deps/typosquat.js";
import { editDistance, skeleton, TyposquatIndex } from "../../../src/checks/deps/typosquat-index.js";
import { config, reviewFiles } from "../../support/review.js";

const npm = () => typosquatIndex("npm")!;
const pypi = () => typosquatIndex("PyPI")!;

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
    const flagged = npmHighImpact.filter((n) => index.match(n) !== undefined);
    expect(flagged).toEqual([]);
    expect(index.match("express")).toBeUndefined();
    expect(index.match("react-dom")).toBeUndefined();
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
