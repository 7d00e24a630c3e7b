import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILY_DOCS, ruleDocPage, ruleIndexPage, withFamilyRuleTable } from "../src/report/rule-docs.js";
import { packageRoot, ruleCatalog } from "../src/review/rules.js";

/** The committed rule pages are what `npm run docs` generates from rules/: edit the YAML, then regenerate. */
describe("docs/rules", () => {
  const root = packageRoot();
  const rules = ruleCatalog().rules;

  it("has one current page per rule", () => {
    const stale: string[] = [];
    for (const rule of rules) {
      const path = join(root, "docs/rules", `${rule.id}.md`);
      if (!existsSync(path) || readFileSync(path, "utf8") !== ruleDocPage(rule)) stale.push(rule.id);
    }
    expect(stale, "run `npm run docs`").toEqual([]);
  });

  it("has a current index", () => {
    expect(readFileSync(join(root, "docs/rules/README.md"), "utf8")).toBe(ruleIndexPage(rules));
  });

  it("each family's page has the current rule table (between its markers)", () => {
    const stale: string[] = [];
    for (const [family, page] of Object.entries(FAMILY_DOCS)) {
      const text = readFileSync(join(root, page), "utf8");
      if (withFamilyRuleTable(text, rules, family) !== text) stale.push(page);
    }
    expect(stale, "run `npm run docs`").toEqual([]);
  });

  it("every family with rules has a page with a table", () => {
    expect(Object.keys(FAMILY_DOCS).sort()).toEqual([...new Set(rules.map((r) => r.family))].sort());
  });

  it("every rule's page explains, fixes and cites", () => {
    for (const rule of rules) {
      const page = ruleDocPage(rule);
      expect(page).toContain("## Why it matters");
      expect(page).toContain("## How to fix");
      expect(page).toContain(`tollgate:ignore ${rule.id} -- <reason>`);
    }
  });
});
