/**
 * CVSS 3.x base score from a vector string, as specified in section 7 of the
 * CVSS v3.1 specification (v3.0 uses the same formula and weights; only the
 * rounding helper was made floating-point safe in 3.1, which we use for both).
 *
 * OSV records carry vectors, not scores, so this is how an advisory without a
 * database severity still gets one.
 */

export type SeverityName = "critical" | "high" | "medium" | "low";

const ATTACK_VECTOR: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ATTACK_COMPLEXITY: Record<string, number> = { L: 0.77, H: 0.44 };
const USER_INTERACTION: Record<string, number> = { N: 0.85, R: 0.62 };
const IMPACT: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

function privilegesRequired(value: string, scopeChanged: boolean): number | undefined {
  if (value === "N") return 0.85;
  if (value === "L") return scopeChanged ? 0.68 : 0.62;
  if (value === "H") return scopeChanged ? 0.5 : 0.27;
  return undefined;
}

/** The spec's Roundup: smallest number with one decimal that is ≥ the input, immune to float noise. */
function roundUp(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** Base score 0.0–10.0, or undefined when the vector is not a complete CVSS 3.x base vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split("/");
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? "")) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(":");
    if (!key || value === undefined) return undefined;
    metrics.set(key, value);
  }
  const scope = metrics.get("S");
  if (scope !== "U" && scope !== "C") return undefined;
  const changed = scope === "C";
  const av = ATTACK_VECTOR[metrics.get("AV") ?? ""];
  const ac = ATTACK_COMPLEXITY[metrics.get("AC") ?? ""];
  const pr = privilegesRequired(metrics.get("PR") ?? "", changed);
  const ui = USER_INTERACTION[metrics.get("UI") ?? ""];
  const c = IMPACT[metrics.get("C") ?? ""];
  const i = IMPACT[metrics.get("I") ?? ""];
  const a = IMPACT[metrics.get("A") ?? ""];
  if ([av, ac, pr, ui, c, i, a].some((m) => m === undefined)) return undefined;

  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  const raw = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return roundUp(Math.min(raw, 10));
}

/** The qualitative rating of a score (CVSS "None" has no Tollgate severity). */
export function severityFromScore(score: number): SeverityName | undefined {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return undefined;
}
