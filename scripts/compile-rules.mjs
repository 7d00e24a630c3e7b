// Validates every rules/<family>/<name>.yml and writes dist/rules.json, so the
// built CLI loads the catalogue without parsing YAML at start-up.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { readRuleFiles } = await import(join(root, "dist/src/review/rule-files.js"));
const rules = readRuleFiles(join(root, "rules"));
// Examples serve tests and docs only; the runtime catalogue leaves them out.
const runtime = rules.map((r) => ({ ...r, examples: { bad: [], good: [] } }));
writeFileSync(join(root, "dist/rules.json"), JSON.stringify(runtime));
process.stdout.write(`compiled ${rules.length} rules into dist/rules.json\n`);
