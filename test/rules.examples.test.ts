import { describe, expect, it } from "vitest";
import { loadAllChecks } from "../src/checks/index.js";
import { DEFAULT_EXAMPLE_PATHS } from "../src/report/rule-docs.js";
import { runReview } from "../src/review/engine.js";
import { memoryChangeSet } from "../src/review/memory.js";
import { type RuleExample, type RuleMeta, ruleCatalog } from "../src/review/rules.js";
import { exampleServices } from "./support/example-services.js";
import { expandFakes } from "./support/fake-secrets.js";
import "./support/fakes.js";
import { config } from "./support/review.js";

/**
 * Every rule carries bad and good examples (as ESLint's RuleTester runs them):
 * a bad example must produce the rule (at exactly `lines`, when given) and a
 * good one must not.
 */

async function findingsFor(rule: RuleMeta, example: RuleExample) {
  const path = example.path ?? DEFAULT_EXAMPLE_PATHS[rule.family] ?? "file.txt";
  const changeSet = memoryChangeSet([
    {
      path,
      base: example.base === undefined ? null : expandFakes(example.base),
      head: expandFakes(example.code),
    },
  ]);
  const enabled = rule.severity === "off" ? { [rule.id]: rule["enabled-severity"]! } : {};
  const review = await runReview(changeSet, {
    config: config({
      rules: enabled,
      docker: { "trusted-registries": ["registry.example.com"] },
      deps: { "license-deny": ["AGPL-3.0", "SSPL-1.0"] },
    }),
    services: exampleServices(),
  });
  return review.findings.filter((f) => f.ruleId === rule.id);
}

const rules = ruleCatalog().rules;

describe("rule examples", () => {
  it("the catalogue is not empty and every check names catalogued rules", async () => {
    expect(rules.length).toBeGreaterThan(0);
    const ids = new Set(rules.map((r) => r.id));
    for (const check of await loadAllChecks())
      for (const id of check.rules) expect(ids, `${check.name} → ${id}`).toContain(id);
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      rule.examples.bad.forEach((example, i) => {
        it(`bad example ${i + 1} is reported${example.lines ? ` on line(s) ${example.lines.join(", ")}` : ""}`, async () => {
          const found = await findingsFor(rule, example);
          expect(found.length, `no ${rule.id} finding for:\n${example.code}`).toBeGreaterThan(0);
          if (example.lines) expect(found.map((f) => f.line).sort((a, b) => a - b)).toEqual(example.lines);
        });
      });
      rule.examples.good.forEach((example, i) => {
        it(`good example ${i + 1} is clean`, async () => {
          const found = await findingsFor(rule, example);
          expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
        });
      });
    });
  }
});
