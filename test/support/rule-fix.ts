import type { Check } from "../../src/checks/types.js";
import { runReview } from "../../src/review/engine.js";
import { memoryChangeSet } from "../../src/review/memory.js";
import { RuleCatalog, ruleCatalog } from "../../src/review/rules.js";
import type { Finding } from "../../src/review/types.js";

/**
 * The engine fills a finding's `fix` from its rule once; the outputs only show
 * `finding.fix`. This passes `f` through the engine, with `ruleFix` as its
 * rule's one-line fix, and returns it with the fix the engine gave it.
 */
export async function withEngineFix(f: Finding, ruleFix: string): Promise<Finding> {
  const check: Check = {
    kind: "change",
    name: "test/one-finding",
    families: "all",
    rules: [f.ruleId],
    run: () => [
      {
        ruleId: f.ruleId,
        line: 1,
        message: f.message,
        anchor: f.anchor,
        ...(f.fix ? { fix: f.fix } : {}),
      },
    ],
  };
  const catalog = new RuleCatalog([{ ...ruleCatalog().require(f.ruleId), fix: ruleFix }]);
  const review = await runReview(memoryChangeSet([{ path: "file.txt", base: null, head: "x\n" }]), {
    catalog,
    checks: [check],
  });
  const fix = review.findings[0]?.fix;
  return fix ? { ...f, fix } : f;
}
