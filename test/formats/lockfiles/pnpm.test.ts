import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isCanonicalPnpmLayout,
  parsePnpmLock,
  parsePnpmLockAsYaml,
} from "../../../src/formats/lockfiles/pnpm.js";
import { parseAs, summary } from "./parse.js";

/**
 * pnpm-lock.yaml is YAML, whatever its usual layout: an entry written as a
 * flow mapping, or moved behind an alias, must read as pnpm reads it.
 * (v6 and v9 layouts are in js-lockfiles.test.ts.)
 */

const v5 = `lockfileVersion: 5.4

specifiers:
  express: ^4.18.2
  typescript: ^5.0.0

dependencies:
  express: 4.18.2

devDependencies:
  typescript: 5.4.5

packages:

  /express/4.18.2:
    resolution: {integrity: sha512-5/PsL6iGPdfQ/lKM1UuielYgv3BUoJfz1aUwU9vHZ+J7gyvwdQXFEBIEIaxeGf0GIcreATNyBExtalisDbuMqQ==}
    engines: {node: '>= 0.10.0'}
    dependencies:
      accepts: 1.3.8
    dev: false

  /typescript/5.4.5:
    resolution: {integrity: sha512-vcI4UpRgg81oIRUFwR0WSIHKt11nJ7SAVlYNIu+QpqeyXP+gpQJy/Z4+F0aGxSE4MqwjyXvW/TzgkLAx2AGHwQ==}
    engines: {node: '>=14.17'}
    hasBin: true
    dev: true

  /@babel/core/7.24.0_supports-color@8.1.1:
    resolution: {integrity: sha512-abc}
    dev: true

  /esbuild/0.19.12:
    resolution: {integrity: sha512-def}
    requiresBuild: true
    dev: true

  github.com/stevemao/left-pad/5c1d7ba:
    resolution: {tarball: https://codeload.github.com/stevemao/left-pad/tar.gz/5c1d7ba}
    name: left-pad
    version: 1.3.0
    dev: false

  file:packages/local:
    resolution: {directory: packages/local, type: directory}
    name: local
    version: 0.0.0
    dev: false

  /gitdep/1.0.0:
    resolution: {commit: abc123, repo: git+ssh://git@github.com/o/r.git, type: git}
    dev: false
`;

/** Built at run time so that the repository holds no token-shaped literal. */
const token = `${"gh"}p_${"A1b2C3d4E5".repeat(3)}x9Y8z7`;

const v9 = (packages: string, extra = "") =>
  `lockfileVersion: '9.0'\n${extra}\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.0.0\n        version: 1.3.0\n\npackages:\n\n${packages}`;

describe("pnpm-lock.yaml", () => {
  it("v5: /name/version keys, peer suffixes dropped, git, tarball and directory sources", () => {
    const parsed = parseAs("pnpm-lock.yaml", v5);
    expect(parsed.format).toBe("pnpm-lock.yaml v5.4");
    expect(summary(parsed)).toEqual([
      "express@4.18.2 L15 direct",
      "typescript@5.4.5 L22 direct dev",
      "@babel/core@7.24.0 L28 dev",
      "esbuild@0.19.12 L32 dev",
      "left-pad@1.3.0 L37 <https://codeload.github.com/stevemao/left-pad/tar.gz/5c1d7ba>",
      "local@0.0.0 L43 <file:packages/local>",
      "gitdep@1.0.0 L49 <git+git+ssh://git@github.com/o/r.git#abc123>",
    ]);
    expect(parsed.dependencies.map((d) => d.hasInstallScript ?? false)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it("an entry written as a flow mapping is read as one: its tarball is a source, never a version", () => {
    const parsed = parseAs(
      "pnpm-lock.yaml",
      v9(
        `  left-pad@1.3.0: {resolution: {tarball: 'https://registry.example/left-pad.tgz?token=${token}'}}\n`,
      ),
    );
    expect(parsed.dependencies).toHaveLength(1);
    const dep = parsed.dependencies[0]!;
    expect([dep.name, dep.version, dep.line, dep.direct]).toEqual(["left-pad", "1.3.0", 13, true]);
    expect(dep.source).toBe(`https://registry.example/left-pad.tgz?token=${token}`);
  });

  it("block-style resolution and quoted scalars read as YAML says (1.10 stays 1.10)", () => {
    const parsed = parseAs(
      "pnpm-lock.yaml",
      v9(
        "  left-pad@1.3.0:\n    resolution:\n      integrity: 'sha512-abc'\n      tarball: \"https://t.example/x.tgz\"\n    version: 1.10\n    requiresBuild: true\n",
      ),
    );
    const dep = parsed.dependencies[0]!;
    expect([dep.version, dep.integrity, dep.source, dep.hasInstallScript]).toEqual([
      "1.10",
      "sha512-abc",
      "https://t.example/x.tgz",
      true,
    ]);
  });

  it("aliases are resolved as pnpm's loader resolves them, never reported as versions", () => {
    const parsed = parseAs(
      "pnpm-lock.yaml",
      v9(
        "  left-pad@1.3.0: *m0\n  right-pad@2.0.0:\n    <<: *m0\n    requiresBuild: true\n  up@1.0.0: *nowhere\n",
        "settings:\n  hidden: &m0 {resolution: {tarball: 'https://evil.example/x.tgz'}}\n",
      ),
    );
    expect(summary(parsed)).toEqual([
      "left-pad@1.3.0 L15 direct <https://evil.example/x.tgz>",
      "right-pad@2.0.0 L16 <https://evil.example/x.tgz>",
      "up@1.0.0 L19",
    ]);
    expect(parsed.dependencies[1]!.hasInstallScript).toBe(true);
  });

  it("an alias bomb is not expanded", () => {
    let bomb = "lockfileVersion: '9.0'\nbomb:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 30; i++) {
      bomb += `  a${i}: &a${i} [${Array(10)
        .fill(i === 1 ? "*a" : `*a${i - 1}`)
        .join(", ")}]\n`;
    }
    bomb += "packages:\n  left-pad@1.3.0: {resolution: *a29, version: *a29, dev: *a29}\n  x@1.0.0: *a29\n";
    expect(summary(parseAs("pnpm-lock.yaml", bomb))).toEqual(["left-pad@1.3.0 L34", "x@1.0.0 L35"]);
  });

  it("every document of the file is read", () => {
    const parsed = parseAs(
      "pnpm-lock.yaml",
      "---\nlockfileVersion: '9.0'\npackages:\n  tool@1.0.0:\n    resolution: {integrity: sha512-a}\n---\n" +
        "lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    resolution: {integrity: sha512-b}\n",
    );
    expect(summary(parsed)).toEqual(["tool@1.0.0 L4", "ms@2.1.3 L9"]);
  });

  it("a document that is not YAML is a parse error at its line", () => {
    expect(() =>
      parseAs("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: [\n"),
    ).toThrow(expect.objectContaining({ line: expect.any(Number) }));
    expect(() => parseAs("pnpm-lock.yaml", "packages: {}\n")).toThrow(/no lockfileVersion/);
  });
});

/**
 * Lockfiles in pnpm's own layout take a line reader (a YAML tree of a 10 MB
 * lockfile costs seconds); it must give exactly the YAML reading, or leave
 * the file to the YAML parser. Generated lockfiles mix pnpm's layout with the
 * YAML that changes meaning (aliases, comments, flow entries, quotes, nulls,
 * booleans, block scalars, odd indentation).
 */
describe("pnpm-lock.yaml: the line reader is the YAML reading", () => {
  const KEYS = [
    "left-pad@1.3.0",
    "/left-pad/1.3.0",
    "'@scope/pkg@1.0.0'",
    "/@s/p@1.0.0(peer@1.0.0)",
    "file:packages/x",
    "github.com/o/r/5c1d7ba",
    "~",
    "null",
    "true",
    "<<",
    "'a: b'",
    '"q@2.0.0"',
    "a#b@1.0.0",
    "x y",
    ".",
    "-x",
    "&a k",
    "*a",
    "? k",
  ];
  const FIELDS = [
    "resolution",
    "version",
    "name",
    "dev",
    "requiresBuild",
    "engines",
    "'version'",
    "<<",
    "dependencies",
  ];
  const VALUES = [
    "1.0.0",
    "'1.0.0'",
    '"1.0.0"',
    "1.10",
    "0x10",
    ".inf",
    "~",
    "null",
    "NULL",
    "true",
    "True",
    "'true'",
    "false",
    "{integrity: sha512-abc}",
    "{tarball: https://x.example/a.tgz?token=abc}",
    "{tarball: 'https://x.example/a b.tgz'}",
    "{repo: git+ssh://git@h.example/o/r.git, commit: abc, type: git}",
    "{directory: packages/x, type: directory}",
    "{tarball: a, tarball: b}",
    "{tarball: ~}",
    "{integrity: a,b}",
    "{a: {b: c}}",
    "{}",
    "[x64]",
    "[a, b]",
    "*m0",
    "&m0 {tarball: https://evil.example/x.tgz}",
    "a #c",
    "a: b",
    "'it''s'",
    '"a\\"b"',
    "x y",
    "^1.0.0 || ^2.0.0",
    "'>=12'",
    "-1",
    "|",
    ">-",
    "!!str 1",
    "%x",
    "@x",
    "`x`",
    "=1",
    "link:../x",
  ];
  const NOISE = [
    "",
    "# comment",
    "---",
    "...",
    "\t",
    "  - a",
    "    - b",
    "  ? k",
    "  :",
    "      deep: 1",
    "x: |",
    "  text: 1",
  ];

  /** Mostly what pnpm writes, sometimes anything from the pool. */
  const usual = (common: string[], pool: string[]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...common), weight: 12 },
      { arbitrary: fc.constantFrom(...pool), weight: 1 },
    );
  const entry = fc.record({
    key: usual(KEYS.slice(0, 6), KEYS),
    inline: fc.oneof(
      { arbitrary: fc.constant(null), weight: 10 },
      { arbitrary: fc.constantFrom(...VALUES), weight: 1 },
    ),
    fields: fc.array(
      fc.record({
        name: usual(FIELDS.slice(0, 5), FIELDS),
        value: fc.option(usual(VALUES.slice(0, 20), VALUES), { freq: 12 }),
        children: fc
          .array(fc.constantFrom(...FIELDS), { maxLength: 2, depthIdentifier: "children" })
          .map((c) => (c.length > 1 ? c : [])),
      }),
      { maxLength: 5 },
    ),
  });
  const lockfile = fc
    .record({
      version: usual(["'9.0'", "'6.0'", "5.4", "9.0"], ["~", "{}", "*m0", "''"]),
      versionLast: fc.boolean(),
      direct: fc.array(usual(KEYS.slice(0, 6), KEYS), { maxLength: 3 }),
      rootSection: fc.constantFrom("dependencies", "devDependencies", "importers"),
      entries: fc.array(entry, { maxLength: 6 }),
      noise: fc.oneof(
        { arbitrary: fc.constant([]), weight: 3 },
        {
          arbitrary: fc.array(fc.record({ at: fc.nat(), line: fc.constantFrom(...NOISE) }), { maxLength: 2 }),
          weight: 1,
        },
      ),
    })
    .map((g) => {
      const lines: string[] = [];
      if (!g.versionLast) lines.push(`lockfileVersion: ${g.version}`, "");
      if (g.rootSection === "importers") {
        lines.push("importers:", "  .:", "    devDependencies:");
        for (const d of g.direct)
          lines.push(`      ${d}:`, "        specifier: ^1.0.0", "        version: 1.0.0");
      } else {
        lines.push(`${g.rootSection}:`);
        for (const d of g.direct) lines.push(`  ${d}: 1.0.0`);
      }
      lines.push("", "packages:", "");
      for (const e of g.entries) {
        lines.push(e.inline === null ? `  ${e.key}:` : `  ${e.key}: ${e.inline}`);
        for (const f of e.fields) {
          lines.push(f.value === null ? `    ${f.name}:` : `    ${f.name}: ${f.value}`);
          // Nested lines under a field that has a value are YAML errors: rare, like in real files.
          if (f.value === null || f.children.length > 1)
            for (const c of f.children) lines.push(`      ${c}: 1.0.0`);
        }
        lines.push("");
      }
      if (g.versionLast) lines.push(`lockfileVersion: ${g.version}`);
      for (const n of g.noise) lines.splice(n.at % (lines.length + 1), 0, n.line);
      return `${lines.join("\n")}\n`;
    });

  const outcome = (parse: typeof parsePnpmLock, text: string) => {
    try {
      return { ok: parse(text, text.split("\n")) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };

  it("gives the YAML reading on every generated lockfile, and takes most of pnpm's own layout", () => {
    let canonical = 0;
    fc.assert(
      fc.property(lockfile, (text) => {
        if (isCanonicalPnpmLayout(text.split("\n"))) canonical++;
        expect(outcome(parsePnpmLock, text)).toEqual(outcome(parsePnpmLockAsYaml, text));
      }),
      { numRuns: 1000 },
    );
    // Not vacuous: a good share of the generated files took the line reader.
    expect(canonical).toBeGreaterThan(150);
  });
});
