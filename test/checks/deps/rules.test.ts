import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { runReview } from "../../../src/review/engine.js";
import { memoryFile } from "../../../src/review/memory.js";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

/** The offline deps/ checks only: no advisory service, no typosquat data, so assertions stay exact. */
const offline = checks.filter((c) => c.kind === "change");
const review = (files: Parameters<typeof reviewFiles>[0], options: Parameters<typeof reviewFiles>[1] = {}) =>
  reviewFiles(files, { checks: offline, ...options });

const lock = (entries: string) => `{
  "name": "shop",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "shop", "dependencies": { "lodash": "^4.17.0", "express": "^4.18.2" } },
${entries}
  }
}
`;
const entry = (name: string, version: string, extra = "") =>
  `    "node_modules/${name}": {\n      "version": "${version}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${version}.tgz"${extra}\n    }`;

describe("deps/ on a pull request a new user would open", () => {
  it("package.json + package-lock.json: git dependency and tampered integrity, each on its line", async () => {
    const basePkg = '{\n  "name": "shop",\n  "dependencies": {\n    "express": "^4.18.2"\n  }\n}\n';
    const headPkg =
      '{\n  "name": "shop",\n  "dependencies": {\n    "express": "^4.18.2",\n    "left-pad": "git+https://github.com/stevemao/left-pad.git#v1.3.0"\n  }\n}\n';
    const baseLock = lock(
      [
        entry("express", "4.18.2", ',\n      "integrity": "sha512-AAA"'),
        entry("lodash", "4.17.21", ',\n      "integrity": "sha512-BBB"'),
      ].join(",\n"),
    );
    const headLock = lock(
      [
        entry("express", "4.18.2", ',\n      "integrity": "sha512-AAA"'),
        entry("lodash", "4.17.21", ',\n      "integrity": "sha512-EVIL"'),
      ].join(",\n"),
    );
    const result = await review([
      { path: "package.json", base: basePkg, head: headPkg },
      { path: "package-lock.json", base: baseLock, head: headLock },
    ]);
    expect(result.findings.map((f) => [f.path, f.ruleId, f.line, f.severity])).toEqual([
      // on the changed "integrity" line (the hunk), not the entry's first line (12)
      ["package-lock.json", "deps/lockfile-integrity-changed", 15, "critical"],
      ["package.json", "deps/non-registry-source", 5, "high"],
    ]);
    expect(result.findings[0]!.message).toBe(
      "`lodash@4.17.21` has a different integrity hash for the same version: the lockfile no longer verifies the package that was reviewed before. Regenerate it from the registry and compare.",
    );
    expect(result.findings[1]!.message).toContain(
      "is installed from git (`git+https://github.com/stevemao/left-pad.git#v1.3.0`)",
    );
    expect(result.dependencyChanges).toEqual([
      {
        ecosystem: "npm",
        name: "left-pad",
        kind: "added",
        from: undefined,
        to: "git+https://github.com/stevemao/left-pad.git#v1.3.0",
        path: "package.json",
        line: 5,
        direct: true,
        dev: false,
        flags: [],
      },
      {
        ecosystem: "npm",
        name: "lodash",
        kind: "changed",
        from: "4.17.21",
        to: "4.17.21",
        path: "package-lock.json",
        line: 12,
        direct: true,
        dev: false,
        // the row stays on the entry and carries the flag of the finding on its hash line
        flags: ["deps/lockfile-integrity-changed"],
      },
    ]);
  });

  it("requirements.txt: --extra-index-url and unpinned lines are both reported", async () => {
    const result = await review([
      {
        path: "requirements.txt",
        base: "requests==2.32.3\n",
        head: "--extra-index-url https://pypi.corp.example/simple\nrequests==2.32.3\nflask\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/dependency-confusion", 1],
      ["deps/unpinned-version", 3],
    ]);
    expect(result.findings[1]!.message).toBe(
      "`flask` has no version: the next install takes whatever version was published last.",
    );
  });
});

describe("deps/lockfile-integrity-changed", () => {
  const base = lock(entry("lodash", "4.17.21", ',\n      "integrity": "sha1-8xOcRHvCjnocdS5cpwXQXVzmmh5=="'));
  it("a removed hash is reported on the removed line, on the base side", async () => {
    const result = await review([
      { path: "package-lock.json", base, head: lock(entry("lodash", "4.17.21")) },
    ]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 10]]);
    expect(result.findings[0]!.side).toBe("LEFT");
    expect(result.findings[0]!.message).toContain("lost its integrity hash");
  });

  it("npm rewriting a sha1 hash as sha512 is not tampering", async () => {
    const head = lock(
      entry("lodash", "4.17.21", ',\n      "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1=="'),
    );
    expect(ruleLines(await review([{ path: "package-lock.json", base, head }]))).toEqual([]);
  });

  it("go.sum: a changed hash for the same module version", async () => {
    const result = await review([
      {
        path: "go.sum",
        base: "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n",
        head: "github.com/google/uuid v1.6.0 h1:AAAAAAAAsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 1]]);
  });

  it("poetry.lock: a new wheel hash beside the old ones is not tampering", async () => {
    const poetry = (files: string) =>
      `[[package]]\nname = "idna"\nversion = "3.7"\ndescription = ""\noptional = false\npython-versions = ">=3.5"\nfiles = [\n${files}\n]\n`;
    const result = await review([
      {
        path: "poetry.lock",
        base: poetry('    {file = "idna-3.7.tar.gz", hash = "sha256:028f"},'),
        head: poetry(
          '    {file = "idna-3.7.tar.gz", hash = "sha256:028f"},\n    {file = "idna-3.7-py3-none-any.whl", hash = "sha256:82fe"},',
        ),
      },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });
});

describe("deps/non-registry-source", () => {
  const head = lock(
    entry("lodash", "4.17.21").replace("https://registry.npmjs.org", "https://npm.corp.example"),
  );
  it("a resolved host outside the public registries is reported", async () => {
    const result = await review([
      { path: "package-lock.json", base: lock(entry("lodash", "4.17.21")), head },
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 7]]);
    expect(result.findings[0]!.message).toContain(
      "`npm.corp.example`, a host outside the allowed registries",
    );
  });

  it("deps.allowed-hosts accepts the organisation's registry (and *.domain wildcards)", async () => {
    for (const allowed of ["npm.corp.example", "*.corp.example"]) {
      const result = await review(
        [{ path: "package-lock.json", base: lock(entry("lodash", "4.17.21")), head }],
        {
          config: config({ deps: { "allowed-hosts": [allowed] } }),
        },
      );
      expect(ruleLines(result)).toEqual([]);
    }
  });

  it("an unchanged git dependency whose neighbours change is not reported again", async () => {
    const pkg = (extra: string) =>
      `{\n  "dependencies": {\n    "left-pad": "github:stevemao/left-pad"${extra}\n  }\n}\n`;
    const result = await review([
      { path: "package.json", base: pkg(""), head: pkg(',\n    "ms": "^2.1.3"') },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });
});

describe("deps/install-script", () => {
  it("reports a dependency that gains an install script in an upgrade", async () => {
    const result = await review([
      {
        path: "package-lock.json",
        base: lock(entry("sharp", "0.32.0")),
        head: lock(entry("sharp", "0.33.0", ',\n      "hasInstallScript": true')),
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/install-script", 7]]);
    expect(result.findings[0]!.message).toContain("now runs an install script (it did not at 0.32.0)");
  });

  it("does not report a package that already had one", async () => {
    const result = await review([
      {
        path: "package-lock.json",
        base: lock(entry("sharp", "0.32.0", ',\n      "hasInstallScript": true')),
        head: lock(entry("sharp", "0.33.0", ',\n      "hasInstallScript": true')),
      },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });
});

describe("deps/dependency-confusion and deps/insecure-repository", () => {
  it(".npmrc: a new registry is confusion, strict-ssl=false is insecure; a token never reaches the message", async () => {
    const result = await review([
      {
        path: ".npmrc",
        base: "save-exact=true\n",
        head: "save-exact=true\n@corp:registry=https://user:hunter2secret@npm.corp.example/\nstrict-ssl=false\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/dependency-confusion", 2],
      ["deps/insecure-repository", 3],
    ]);
    expect(JSON.stringify(result)).not.toContain("hunter2secret");
  });

  it("Gemfile: a second top-level source is confusion, an http source is insecure", async () => {
    const result = await review([
      {
        path: "Gemfile",
        base: 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\n',
        head: 'source "https://rubygems.org"\nsource "http://gems.corp.example"\ngem "rails", "~> 7.1"\n',
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/dependency-confusion", 2],
      ["deps/insecure-repository", 2],
    ]);
  });

  it("build.gradle: an http maven repository with allowInsecureProtocol", async () => {
    const result = await review([
      {
        path: "build.gradle",
        base: "repositories {\n    mavenCentral()\n}\n",
        head: "repositories {\n    mavenCentral()\n    maven {\n        url 'http://repo.corp.example/maven'\n        allowInsecureProtocol true\n    }\n}\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/insecure-repository", 4],
      ["deps/insecure-repository", 5],
    ]);
  });

  it("composer.json: secure-http false", async () => {
    const result = await review([
      {
        path: "composer.json",
        base: '{\n  "require": {}\n}\n',
        head: '{\n  "require": {},\n  "config": {\n    "secure-http": false\n  }\n}\n',
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/insecure-repository", 4]]);
  });
});

describe("deps/version-downgrade and deps/go-replace-directive", () => {
  it("go.mod downgrade and a replace to a local path", async () => {
    const result = await review([
      {
        path: "go.mod",
        base: "module example.com/shop\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
        head: "module example.com/shop\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n\nreplace example.com/billing => ../billing\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/version-downgrade", 5],
      ["deps/go-replace-directive", 7],
    ]);
    expect(result.findings[0]!.message).toContain("from `v1.10.0` to `v1.9.1`");
  });
});

describe("bad input", () => {
  it("a lockfile that does not parse is meta/parse-error at the line, and the rest of the review goes on", async () => {
    const result = await review([
      {
        path: "package-lock.json",
        base: lock(entry("ms", "2.1.3")),
        head: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/ms": { "version": "2.1.3" }\n    "node_modules/debug": { "version": "4.3.5" }\n  }\n}\n',
      },
      { path: "requirements.txt", base: "requests==2.32.3\n", head: "requests==2.32.3\nflask\n" },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/unpinned-version", 2],
      ["meta/parse-error", 5],
    ]);
    const parseError = result.findings.find((f) => f.ruleId === "meta/parse-error")!;
    expect(parseError.path).toBe("package-lock.json");
    expect(parseError.message).toContain("invalid JSON: expected ',' or '}'");
  });

  it("a merge conflict marker in a manifest is a parse error at the marker", async () => {
    const result = await review([
      {
        path: "package.json",
        base: '{\n  "dependencies": {\n    "ms": "^2.1.2"\n  }\n}\n',
        head: '{\n  "dependencies": {\n<<<<<<< HEAD\n    "ms": "^2.1.3"\n=======\n    "ms": "^2.1.2"\n>>>>>>> main\n  }\n}\n',
      },
    ]);
    expect(ruleLines(result)).toEqual([["meta/parse-error", 3]]);
    expect(result.findings[0]!.message).toContain('merge conflict marker "<<<<<<<"');
  });

  it("a file already broken the same way at base is not reported again", async () => {
    const broken = "module x\n\nrequire (\n\ta v1.0.0\n";
    const result = await review([{ path: "go.mod", base: broken, head: `${broken}\t b v1.0.0\n` }]);
    expect(ruleLines(result)).toEqual([]);
  });

  it("a 52 MB lockfile, over deps.max-file-bytes, fails the check as unreviewable while the other files are reviewed", async () => {
    const huge = `{"lockfileVersion":3,"packages":{${'"node_modules/x":{"version":"1.0.0"},'.repeat(1_400_000)}"":{}}}`;
    expect(huge.length).toBeGreaterThan(50_000_000);
    const result = await review([
      { path: "package-lock.json", base: null, head: huge },
      { path: "requirements.txt", base: "", head: "flask\n" },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/unpinned-version", 1],
      ["meta/unreviewable-file", 1],
    ]);
    expect(result.findings.find((f) => f.ruleId === "meta/unreviewable-file")).toMatchObject({
      path: "package-lock.json",
      message: `package-lock.json cannot be reviewed: ${huge.length.toLocaleString("en-US")} bytes is over the 25,000,000-byte limit (deps.max-file-bytes).`,
    });
  });

  it("a 3 MB lockfile, over the general max-file-bytes, is still reviewed under deps.max-file-bytes", async () => {
    const filler = Array.from({ length: 12_000 }, (_, i) =>
      entry(`pkg-${i}`, "1.0.0", `,\n      "integrity": "sha512-${"A".repeat(150)}"`),
    );
    const base = lock(filler.join(",\n"));
    const head = lock([...filler, entry("evil", "1.0.0", ',\n      "hasInstallScript": true')].join(",\n"));
    expect(head.length).toBeGreaterThan(2_500_000);
    const result = await review([{ path: "package-lock.json", base, head }]);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toContain("deps/install-script");

    const strict = await review([{ path: "package-lock.json", base, head }], {
      config: config({ deps: { "max-file-bytes": 1_000_000 } }),
    });
    expect(strict.findings.map((f) => [f.ruleId, f.message])).toEqual([
      [
        "meta/unreviewable-file",
        `package-lock.json cannot be reviewed: ${head.length.toLocaleString("en-US")} bytes is over the 1,000,000-byte limit (deps.max-file-bytes).`,
      ],
    ]);
    expect(strict.errors).toEqual([]);
  });
});

describe("scan mode and removed files", () => {
  it("in scan mode every dependency is added and listed", async () => {
    const result = await review([{ path: "requirements.txt", head: "requests==2.32.3\nflask\n" }], {
      mode: "scan",
    });
    expect(result.dependencyChanges.map((c) => [c.name, c.kind, c.to, c.line])).toEqual([
      ["requests", "added", "2.32.3", 1],
      ["flask", "added", "", 2],
    ]);
    expect(ruleLines(result)).toEqual([["deps/unpinned-version", 2]]);
  });

  it("a removed lockfile lists its dependencies as removed, at their base lines", async () => {
    const result = await review([
      { path: "go.sum", base: "a.example/m v1.0.0 h1:x=\nb.example/n v2.0.0 h1:y=\n", head: null },
    ]);
    expect(result.dependencyChanges.map((c) => [c.name, c.kind, c.from, c.line])).toEqual([
      ["a.example/m", "removed", "v1.0.0", 1],
      ["b.example/n", "removed", "v2.0.0", 2],
    ]);
    expect(result.findings).toEqual([]);
  });
});

describe("deps/dependency-confusion leaves the public registries alone", () => {
  it("setting the registry to the public one is not a new registry", async () => {
    const result = await review([{ path: ".npmrc", head: "registry=https://registry.npmjs.org/\n" }], {
      mode: "scan",
    });
    expect(ruleLines(result)).toEqual([]);
  });

  it("but pypi.org as an extra index beside a private one is exactly the confusion", async () => {
    const result = await review([
      {
        path: "requirements.txt",
        head: "--index-url https://pypi.corp.example/simple\n--extra-index-url https://pypi.org/simple\nrequests==2.32.3\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/dependency-confusion", 1],
      ["deps/dependency-confusion", 2],
    ]);
  });
});

describe("inline suppressions on dependency files", () => {
  it("a requirements comment silences that line's finding", async () => {
    const result = await review([
      {
        path: "requirements.txt",
        base: "",
        head: "requests\nflask  # tollgate:ignore deps/unpinned-version -- tracked in OPS-12\n",
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/unpinned-version", 1]]);
    expect(result.suppressed.map((s) => [s.ruleId, s.line])).toEqual([["deps/unpinned-version", 2]]);
  });
});

describe("fewer false alarms", () => {
  it("peer dependency ranges are not unpinned versions", async () => {
    const result = await review([
      {
        path: "package.json",
        base: '{\n  "name": "ui"\n}\n',
        head: '{\n  "name": "ui",\n  "peerDependencies": {\n    "react": ">=16.8.0"\n  }\n}\n',
      },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });

  it("a GitHub tarball in a lockfile reads as a git source", async () => {
    const result = await review([
      {
        path: "yarn.lock",
        base: "# yarn lockfile v1\n",
        head: '# yarn lockfile v1\n\n\nleft-pad@stevemao/left-pad:\n  version "1.3.0"\n  resolved "https://codeload.github.com/stevemao/left-pad/tar.gz/5c1d7ba"\n',
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 4]]);
    expect(result.findings[0]!.message).toContain("is installed from git");
  });
});

describe("the dependency table", () => {
  it("lists changes in the order of the change's files, whichever file finishes reading first", async () => {
    const paths = ["a/requirements.txt", "b/requirements.txt", "c/requirements.txt"];
    const files = paths.map((path, i) => {
      const file = memoryFile(path, null, `flask==3.0.${i}\nrequests==2.32.${i}\n`);
      const load = file.loadHead;
      // the first file is the slowest to read
      file.loadHead = () => new Promise((r) => setTimeout(() => r(load()), (paths.length - i) * 15));
      return file;
    });
    const result = await runReview({ files }, { checks: offline, config: config() });
    expect(result.dependencyChanges.map((c) => [c.path, c.name])).toEqual(
      paths.flatMap((p) => [
        [p, "flask"],
        [p, "requests"],
      ]),
    );
  });
});
