import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRuleFile, readRuleFiles } from "../../src/review/rule-files.js";
import { packageRoot, RuleCatalog, RuleCatalogError } from "../../src/review/rules.js";

const valid = `id: docker/example-rule
title: An example rule
severity: medium
description: Why this matters, at length.
remediation: How to fix it, at length.
fix: Do the safe thing.
references: { cwe: [CWE-1], equivalents: { hadolint: [DL3000] }, links: [] }
examples:
  bad: [{ code: "FROM x" }]
  good: [{ code: "FROM y" }]
`;

describe("rule files", () => {
  it("every shipped rule file is valid and matches its path", () => {
    const rules = readRuleFiles(join(packageRoot(), "rules"));
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.id.startsWith(`${r.family}/`)).toBe(true);
    expect(() => new RuleCatalog(rules)).not.toThrow();
  });

  it("validates a rule and derives its family", () => {
    const rule = parseRuleFile(valid, "rules/docker/example-rule.yml");
    expect(rule.family).toBe("docker");
    expect(rule.references.equivalents).toEqual({ hadolint: ["DL3000"] });
  });

  it("names the bad key of an invalid rule", () => {
    expect(() =>
      parseRuleFile(valid.replace("severity: medium", "severity: urgent"), "rules/docker/example-rule.yml"),
    ).toThrow(/rules\/docker\/example-rule.yml: severity/);
    expect(() =>
      parseRuleFile(valid.replace("fix: Do the safe thing.\n", ""), "rules/docker/example-rule.yml"),
    ).toThrow(/fix/);
    expect(() => parseRuleFile(`${valid}colour: blue\n`, "rules/docker/example-rule.yml")).toThrow(
      RuleCatalogError,
    );
  });

  it("refuses an id that does not match the file path", () => {
    expect(() => parseRuleFile(valid, "rules/docker/other-name.yml")).toThrow(/does not match its path/);
  });

  it("an off-by-default rule must say its severity when enabled", () => {
    expect(() =>
      parseRuleFile(valid.replace("severity: medium", "severity: off"), "rules/docker/example-rule.yml"),
    ).toThrow(/enabled-severity/);
  });

  it("resolves aliases and refuses duplicate ids", () => {
    const rule = parseRuleFile(
      valid.replace("examples:", "aliases: [DL9999]\nexamples:"),
      "rules/docker/example-rule.yml",
    );
    const catalog = new RuleCatalog([rule]);
    expect(catalog.get("DL9999")?.id).toBe("docker/example-rule");
    expect(() => new RuleCatalog([rule, rule])).toThrow(/duplicate/);
  });
});
