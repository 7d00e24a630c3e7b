import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/actions/checks.generated.js";
import { runReview } from "../../../src/review/engine.js";
import { memoryChangeSet } from "../../../src/review/memory.js";
import { config } from "../../support/review.js";

/** `examples/actions/` is what `tollgate scan examples/` shows; together its files exercise every actions rule. */
const ROOT = join(import.meta.dirname, "../../../examples/actions");

function exampleFiles() {
  const dir = join(ROOT, ".github/workflows");
  return [
    ...readdirSync(dir).map((f) => ({
      path: `.github/workflows/${f}`,
      head: readFileSync(join(dir, f), "utf8"),
    })),
    { path: "action.yml", head: readFileSync(join(ROOT, "action.yml"), "utf8") },
  ];
}

describe("examples/actions", () => {
  it("every actions rule fires on the examples, and nothing errors", async () => {
    const review = await runReview(memoryChangeSet(exampleFiles()), {
      mode: "scan",
      config: config({ actions: { "untrusted-inputs": true } }),
    });
    expect(review.errors).toEqual([]);
    const fired = new Set(review.findings.map((f) => f.ruleId));
    for (const id of new Set(checks.flatMap((c) => c.rules))) expect(fired, id).toContain(id);
  });

  it("the pwn-request example reports on the exact lines", async () => {
    const review = await runReview(
      memoryChangeSet(exampleFiles().filter((f) => f.path.endsWith("pr-preview.yml"))),
    );
    const at = (id: string) => review.findings.filter((f) => f.ruleId === id).map((f) => f.line);
    expect(at("actions/untrusted-checkout")).toEqual([13]);
    expect(at("actions/script-injection")).toEqual([18]);
    expect(at("actions/unpinned-action")).toEqual([11, 20]);
    expect(at("actions/dangerous-trigger")).toEqual([4]);
    expect(at("actions/excessive-permissions")).toEqual([8]);
  });
});
