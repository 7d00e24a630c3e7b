import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { packageRoot, ruleCatalog } from "../src/review/rules.js";

/** docs/severity.md states the policy and every rule's default: it must not drift from rules/. */
it("docs/severity.md lists every rule with its default severity", () => {
  const page = readFileSync(join(packageRoot(), "docs/severity.md"), "utf8");
  const listed = new Map(
    [...page.matchAll(/^\| \[`([^`]+)`\]\([^)]*\) \| (\w+) \|/gm)].map((m) => [m[1]!, m[2]!] as const),
  );
  const expected = new Map(ruleCatalog().rules.map((r) => [r.id, r.severity] as const));
  expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(expected));
});
