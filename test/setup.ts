import { loadRuleCatalog } from "../src/review/rules.js";

// Tests run from the sources, where the catalogue is read from rules/*.yml (validated) instead of dist/rules.json.
await loadRuleCatalog();
