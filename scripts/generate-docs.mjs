// Writes docs/rules/<family>/<name>.md and docs/rules/README.md from rules/**/*.yml (run after a build).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { readRuleFiles } = await import(join(root, "dist/src/review/rule-files.js"));
const { ruleDocPage, ruleIndexPage } = await import(join(root, "dist/src/report/rule-docs.js"));
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
process.stdout.write(`wrote ${rules.length} rule pages to docs/rules/\n`);
