import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

const offline = checks.filter((c) => c.kind === "change");
const review = (files: Parameters<typeof reviewFiles>[0]) => reviewFiles(files, { checks: offline });

const H = (c: string) => c.repeat(64);

describe("poetry.lock and uv.lock: hashes compare per distribution file", () => {
  const poetry = (files: string[]) =>
    `[[package]]\nname = "certifi"\nversion = "2024.7.4"\ndescription = ""\noptional = false\npython-versions = ">=3.6"\nfiles = [\n    {file = "certifi-2024.7.4.tar.gz", hash = "sha256:${H("c")}"},\n]\n\n[[package]]\nname = "idna"\nversion = "3.7"\ndescription = ""\nfiles = [\n${files.join("\n")}\n]\n`;
  const sdist = `    {file = "idna-3.7.tar.gz", hash = "sha256:${H("a")}"},`;
  const wheel = (c: string) => `    {file = "idna-3.7-py3-none-any.whl", hash = "sha256:${H(c)}"},`;

  it("a changed wheel hash beside an unchanged sdist hash is reported, on the wheel's line", async () => {
    const base = poetry([sdist, wheel("b")]);
    const head = poetry([sdist, wheel("e")]);
    expect(head.split("\n")[11]).toBe('name = "idna"');
    const result = await review([{ path: "poetry.lock", base, head }]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 17]]);
    expect(result.findings[0]!.message).toBe(
      "`idna@3.7` has a different hash for `idna-3.7-py3-none-any.whl` for the same version: the lockfile no longer verifies the package that was reviewed before. Regenerate it from the registry and compare.",
    );
    // the row stays on the entry, flagged
    expect(result.dependencyChanges.map((c) => [c.name, c.kind, c.line, c.flags])).toEqual([
      ["idna", "changed", 12, ["deps/lockfile-integrity-changed"]],
    ]);
  });

  it("a new wheel's hash beside the old ones is not reported", async () => {
    const result = await review([
      { path: "poetry.lock", base: poetry([sdist]), head: poetry([sdist, wheel("b")]) },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });

  it("the fingerprint does not depend on the line the hash sits on", async () => {
    const base = poetry([sdist, wheel("b")]);
    const a = await review([{ path: "poetry.lock", base, head: poetry([sdist, wheel("e")]) }]);
    const moved = poetry([wheel("e"), sdist]);
    const b = await review([{ path: "poetry.lock", base, head: moved }]);
    expect(ruleLines(b)).toEqual([["deps/lockfile-integrity-changed", 16]]);
    expect(b.findings[0]!.fingerprint).toBe(a.findings[0]!.fingerprint);
  });

  it("uv.lock: a changed wheel hash is reported on its line, a new wheel is not", async () => {
    const uv = (wheels: string[]) =>
      `version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "idna"\nversion = "3.7"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://files.pythonhosted.org/packages/21/ed/idna-3.7.tar.gz", hash = "sha256:${H("a")}", size = 189575 }\nwheels = [\n${wheels.join("\n")}\n]\n`;
    const whl = (name: string, c: string) =>
      `    { url = "https://files.pythonhosted.org/packages/e5/3e/${name}", hash = "sha256:${H(c)}", size = 66836 },`;
    const changed = await review([
      {
        path: "uv.lock",
        base: uv([whl("idna-3.7-py3-none-any.whl", "b")]),
        head: uv([whl("idna-3.7-py3-none-any.whl", "d")]),
      },
    ]);
    expect(ruleLines(changed)).toEqual([["deps/lockfile-integrity-changed", 10]]);
    const added = await review([
      {
        path: "uv.lock",
        base: uv([whl("idna-3.7-py3-none-any.whl", "b")]),
        head: uv([whl("idna-3.7-py3-none-any.whl", "b"), whl("idna-3.7-py2-none-any.whl", "d")]),
      },
    ]);
    expect(ruleLines(added)).toEqual([]);
  });
});

describe("files without file names: a digest swapped for another is reported", () => {
  it("requirements --hash {a,b} → {b,c} is reported on the new hash's line", async () => {
    const req = (hashes: string[]) =>
      `idna==3.7 \\\n${hashes.map((h) => `    --hash=sha256:${H(h)}`).join(" \\\n")}\n`;
    const result = await review([{ path: "requirements.txt", base: req(["a", "b"]), head: req(["b", "c"]) }]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 3]]);
    expect(result.findings[0]!.message).toContain("`idna@3.7` has a different integrity hash");
  });

  it("requirements --hash {a} → {a,b} (a pure addition) is not reported", async () => {
    const result = await review([
      {
        path: "requirements.txt",
        base: `idna==3.7 --hash=sha256:${H("a")}\n`,
        head: `idna==3.7 --hash=sha256:${H("a")} --hash=sha256:${H("b")}\n`,
      },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });

  it("Pipfile.lock: one of two hashes replaced", async () => {
    const lock = (hashes: string[]) =>
      `{\n    "_meta": {},\n    "default": {\n        "idna": {\n            "hashes": [\n${hashes.map((h) => `                "sha256:${H(h)}"`).join(",\n")}\n            ],\n            "version": "==3.7"\n        }\n    },\n    "develop": {}\n}\n`;
    const result = await review([{ path: "Pipfile.lock", base: lock(["a", "b"]), head: lock(["a", "f"]) }]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 7]]);
  });
});

describe("package-lock.json: the finding sits on the changed integrity line", () => {
  it("entry at 34, integrity at 37", async () => {
    const filler = Array.from(
      { length: 7 },
      (_, i) =>
        `    "node_modules/p${i}": {\n      "version": "1.0.0",\n      "integrity": "sha512-P${i}AAAA"\n    },`,
    ).join("\n");
    const lock = (sha: string) =>
      `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n${filler}\n    "node_modules/ms": {\n      "version": "2.1.3",\n      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",\n      "integrity": "${sha}"\n    }\n  }\n}\n`;
    const head = lock("sha512-EVILEVIL");
    expect(head.split("\n")[33]).toBe('    "node_modules/ms": {');
    const result = await review([{ path: "package-lock.json", base: lock("sha512-GOODGOOD"), head }]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 37]]);
    expect(result.dependencyChanges.map((c) => [c.name, c.line, c.flags])).toEqual([
      ["ms", 34, ["deps/lockfile-integrity-changed"]],
    ]);
  });
});

describe("yarn.lock (berry): a cache key migration is not tampering", () => {
  const berry = (cacheKey: string, checksums: [string, string]) =>
    `# This file is generated by running "yarn install" inside your project.\n\n__metadata:\n  version: ${cacheKey === "8" ? 6 : 8}\n  cacheKey: ${cacheKey}\n\n"lodash@npm:^4.17.21":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n  checksum: ${checksums[0]}\n  languageName: node\n  linkType: hard\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: "ms@npm:2.1.3"\n  checksum: ${checksums[1]}\n  languageName: node\n  linkType: hard\n`;
  const yarn3 = berry("8", [H("1").slice(0, 40), H("2").slice(0, 40)]);

  it("Yarn 3 → 4 (cacheKey 8 → 10c0): one info note, no integrity findings", async () => {
    const yarn4 = berry("10c0", [`10c0/${H("3").slice(0, 40)}`, `10c0/${H("4").slice(0, 40)}`]);
    const result = await review([{ path: "yarn.lock", base: yarn3, head: yarn4 }]);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([
      {
        level: "info",
        path: "yarn.lock",
        message:
          "the Yarn cache key changed from 8 to 10c0 (a Yarn upgrade rewrites every checksum), so checksums were not compared; run `yarn install --immutable --check-cache` to verify the packages against the registry",
      },
    ]);
  });

  it("the same cache key and another checksum is still reported, on the checksum line", async () => {
    const tampered = berry("8", [H("1").slice(0, 40), H("9").slice(0, 40)]);
    const result = await review([{ path: "yarn.lock", base: yarn3, head: tampered }]);
    expect(ruleLines(result)).toEqual([["deps/lockfile-integrity-changed", 17]]);
    expect(result.errors).toEqual([]);
  });
});
