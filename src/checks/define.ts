import type { ChangeCheck, Check, CheckContext, FileVersion, ReviewCheck, SnapshotCheck } from "./types.js";

/**
 * The one way to declare a check: a module under `src/checks/<family>/`
 * exports `export const someCheck = defineCheck({ … })`, and the generator
 * (`scripts/generate-code.mjs`) lists it in that family's
 * `checks.generated.ts` — no hand-written list. One rule per check where the
 * rule has its own logic; `rules` is typed with the generated `RuleId`, so an
 * id that is not in `rules/` does not compile.
 *
 * - `snapshot`: runs on head and base of a file; the engine keeps what is new.
 * - `change`: runs once per changed file with both versions.
 * - `review`: runs once per review over every changed file of its families.
 */
export function defineCheck(spec: SnapshotCheck): SnapshotCheck;
export function defineCheck(spec: ChangeCheck): ChangeCheck;
export function defineCheck(spec: ReviewCheck): ReviewCheck;
export function defineCheck(spec: Check): Check {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(spec.name))
    throw new Error(`check name "${spec.name}" is not family/name`);
  if (spec.kind === "snapshot" && spec.merge) {
    const { run, merge } = spec;
    return {
      ...spec,
      run(file: FileVersion, ctx: CheckContext) {
        const findings = run(file, ctx);
        return findings.length > 1 ? merge(findings, file) : findings;
      },
    };
  }
  return spec;
}
