/**
 * The rule catalogue is broken (a rule file that does not validate, a duplicate
 * or unknown id). In a module of its own so that `rules.ts` (the catalogue) and
 * `rule-files.ts` (reading `rules/`, loaded lazily by it) do not import each other.
 */
export class RuleCatalogError extends Error {}
