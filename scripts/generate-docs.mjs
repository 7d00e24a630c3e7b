// Writes docs/rules/<family>/<name>.md, docs/rules/README.md and the rule table of each
// family's page (docs/docker.md, …, between its markers) from rules/**/*.yml (run after a build).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { readRuleFiles } = await import(join(root, "dist/src/review/rule-files.js"));
const { FAMILY_DOCS, ruleDocPage, ruleIndexPage, withFamilyRuleTable } = await import(
  join(root, "dist/src/report/rule-docs.js")
);
const rules = readRuleFiles(join(root, "rules"));
const out = join(root, "docs/rules");
mkdirSync(out, { recursive: true });
// Pages of rules that no longer exist must not linger.
for (const entry of readdirSync(out, { withFileTypes: true })) {
  if (entry.isDirectory()) rmSync(join(out, entry.name), { recursive: true });
}
for (const rule of rules) {
  const file = join(out, `${rule.id}.md`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, ruleDocPage(rule));
}
writeFileSync(join(out, "README.md"), ruleIndexPage(rules));
for (const [family, page] of Object.entries(FAMILY_DOCS)) {
  const path = join(root, page);
  writeFileSync(path, withFamilyRuleTable(readFileSync(path, "utf8"), rules, family));
}
process.stdout.write(
  `wrote ${rules.length} rule pages to docs/rules/ and the rule tables of ${Object.values(FAMILY_DOCS).join(", ")}\n`,
);
