import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import {
  compareVersions,
  dependencyView,
  diffManifests,
  parseDependencies,
} from "../../../src/checks/deps/model.js";
import type { CheckContext, FileChange } from "../../../src/checks/types.js";
import type { Dependency } from "../../../src/formats/lockfiles/types.js";
import { defaultConfig } from "../../../src/review/config.js";
import { TextVersion } from "../../../src/review/content.js";
import { ruleCatalog } from "../../../src/review/rules.js";

/** A TextVersion that counts how often a parse is actually computed. */
class CountingVersion extends TextVersion {
  computed = 0;
  override memo<T>(key: string, compute: () => T): T {
    return super.memo(key, () => {
      this.computed++;
      return compute();
    });
  }
}

const dep = (key: string, version: string, extra: Partial<Dependency> = {}): Dependency => ({
  ecosystem: "npm",
  name: key,
  version,
  direct: true,
  dev: false,
  line: 1,
  key,
  ...extra,
});

describe("parseDependencies / dependencyView", () => {
  it("parses each file version once, however many checks read it", async () => {
    const head = new CountingVersion(
      "requirements.txt",
      "--extra-index-url https://x.example/simple\nflask\n",
    );
    const base = new CountingVersion("requirements.txt", "requests==2.0\n");
    const change: FileChange = {
      path: "requirements.txt",
      status: "modified",
      families: ["deps"],
      head,
      base,
      hunks: [],
      added: new Map(),
      removed: new Map(),
    };
    const ctx: CheckContext = {
      config: { ...defaultConfig, deps: { ...defaultConfig.deps, vulnerabilities: "off" } },
      catalog: ruleCatalog(),
      mode: "diff",
      services: {},
      note: () => {},
      dependencyChange: () => {},
    };
    for (const check of checks) {
      if (check.kind === "change") await check.run(change, ctx);
      else if (check.kind === "review") await check.run([change], ctx);
    }
    expect(parseDependencies(head)).toBe(parseDependencies(head));
    expect([head.computed, base.computed]).toEqual([1, 1]);
    expect(dependencyView(change).diffs.map((d) => [d.kind, d.before?.name ?? d.after?.name])).toEqual([
      ["removed", "requests"],
      ["added", "flask"],
    ]);
  });

  it("returns undefined for files that are not dependency files", () => {
    expect(parseDependencies(new TextVersion("src/index.ts", "export {}\n"))).toBeUndefined();
  });
});

describe("diffManifests", () => {
  it("pairs several versions of one name: equal versions, then the same major line, then in order", () => {
    const before = [dep("lodash", "3.10.1"), dep("lodash", "4.17.20"), dep("lodash", "1.0.0")];
    const after = [dep("lodash", "4.17.21"), dep("lodash", "3.10.1"), dep("lodash", "2.0.0")];
    expect(diffManifests(before, after).map((d) => [d.kind, d.before?.version, d.after?.version])).toEqual([
      ["upgraded", "4.17.20", "4.17.21"],
      ["upgraded", "1.0.0", "2.0.0"],
    ]);
  });

  it("same version with another source or integrity is a change, identical entries are nothing", () => {
    expect(
      diffManifests(
        [dep("a", "1.0.0", { integrity: "sha512-x" })],
        [dep("a", "1.0.0", { integrity: "sha512-y" })],
      ),
    ).toHaveLength(1);
    expect(diffManifests([dep("a", "1.0.0")], [dep("a", "1.0.0")])).toEqual([]);
  });
});

describe("compareVersions", () => {
  it.each([
    ["npm", "4.17.21", "4.17.3", 1],
    ["Go", "v1.10.0", "v1.9.1", 1],
    ["Go", "v2.0.0+incompatible", "v2.1.0+incompatible", -1],
    ["PyPI", "2.0", "2.0rc1", 1],
    ["PyPI", "1.10", "1.9.5", 1],
    ["Maven", "33.2.1-jre", "33.2.1-jre", 0],
    ["RubyGems", "7.1.3.4", "7.1.3", 1],
    // loose semver would read 2.9.10.7 as 2.9.1-0.7
    ["Maven", "2.9.8", "2.9.10.7", -1],
    ["Maven", "2.9.10.7", "2.9.10", 1],
    ["Maven", "2.6.7.3", "2.9.8", -1],
  ] as const)("%s: %s vs %s", (ecosystem, a, b, sign) => {
    expect(Math.sign(compareVersions(ecosystem, a, b)!)).toBe(sign);
  });
});
