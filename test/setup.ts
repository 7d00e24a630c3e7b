import { loadRuleCatalog } from "../src/review/rules.js";

// Tests run from the sources, where the catalogue is read from rules/*.yml instead of dist/rules.json.
// A broken rule file is left out here (so unrelated tests still run) and fails test/review/rules.test.ts instead.
await loadRuleCatalog({ onError: (e) => console.warn(`rule catalogue: ${e.message}`) });
