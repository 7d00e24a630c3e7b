import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reviewFiles, ruleLines } from "../../support/review.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/deps/${name}`, import.meta.url), "utf8");

describe("deps on an npm lockfile change", () => {
  it("reports an install script, a changed integrity and lists every dependency change", async () => {
    const review = await reviewFiles([
      {
        path: "package-lock.json",
        base: fixture("package-lock.base.json"),
        head: fixture("package-lock.head.json"),
      },
    ]);
    const deps = ruleLines(review).filter(([id]) => id.startsWith("deps/"));
    expect(deps).toContainEqual(["deps/install-script", 32]);
    // the changed "integrity" line of the lodash entry (52)
    expect(deps).toContainEqual(["deps/lockfile-integrity-changed", 55]);
    expect(
      review.dependencyChanges.map((c) => [c.name, c.kind, c.from, c.to, c.line, c.direct, c.dev]),
    ).toEqual([
      ["esbuild", "added", undefined, "0.19.12", 32, true, false],
      ["left-pad", "added", undefined, "1.3.0", 47, true, false],
      ["lodash", "changed", "4.17.21", "4.17.21", 52, true, false],
      ["vitest", "downgraded", "1.0.4", "1.0.2", 57, true, true],
    ]);
  });
});
