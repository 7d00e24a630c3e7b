import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, depLabel } from "./describe.js";
import { diffDependencies } from "./model.js";

/**
 * deps/license-policy: a dependency the change adds (or moves to a version
 * under another license) whose license the repository denies in
 * `deps.license-deny`. Silent unless that list is set. Licenses come from the
 * files themselves (package-lock.json v2/v3 `license`, composer.lock), never
 * from a registry.
 */

const MAX_EXPRESSION = 500;

export const licensePolicy = defineCheck({
  kind: "change",
  name: "deps/license-policy",
  families: ["deps"],
  rules: ["deps/license-policy"],
  run(change, ctx) {
    const deny = ctx.config.deps["license-deny"];
    if (deny.length === 0) return [];
    const out: RawFinding[] = [];
    const reported = new Set<string>();
    for (const diff of diffDependencies(change)) {
      const dep = diff.after;
      if (!dep?.license || diff.kind === "removed") continue;
      const denied = deniedLicenses(dep.license, deny);
      if (denied.length === 0) continue;
      // Already under a denied license at base: the change brings nothing new.
      if (diff.before?.license && deniedLicenses(diff.before.license, deny).length > 0) continue;
      const license = clip(dep.license, 120);
      const key = `${dep.name}\u0000${license}`;
      if (reported.has(key)) continue;
      reported.add(key);
      out.push({
        ruleId: "deps/license-policy",
        line: dep.line,
        message: `${depLabel(dep)} is licensed under \`${license}\`, which this repository's license policy denies (deps.license-deny: ${denied.map((d) => `\`${d}\``).join(", ")}).`,
        anchor: `license-policy:${dep.ecosystem}:${clip(dep.name, 100)}:${license}`,
      });
    }
    return out;
  },
});

/**
 * The deny-list entries that make an SPDX expression unacceptable, or [] when
 * it is acceptable. `A OR B` is acceptable when either side is (the user may
 * choose); `A AND B` needs both. `GPL-3.0` in the list also denies
 * `GPL-3.0-only`, `GPL-3.0-or-later` and `GPL-3.0+`; an entry ending in `*`
 * is a prefix (`AGPL-*`).
 */
export function deniedLicenses(expression: string, deny: readonly string[]): string[] {
  const text = expression.trim().slice(0, MAX_EXPRESSION);
  let node: Expr | undefined;
  try {
    node = parseSpdx(text);
  } catch {
    node = undefined;
  }
  if (!node) {
    const hit = deny.find((d) => licenseMatches(text, d));
    return hit ? [hit] : [];
  }
  return evaluate(node, deny) ?? [];
}

type Expr = { id: string; exception?: string } | { op: "AND" | "OR"; left: Expr; right: Expr };

/** Undefined = acceptable; otherwise the deny entries that rule it out. */
function evaluate(node: Expr, deny: readonly string[]): string[] | undefined {
  if ("id" in node) {
    const full = node.exception ? `${node.id} WITH ${node.exception}` : node.id;
    const hits = deny.filter((d) => licenseMatches(full, d) || licenseMatches(node.id, d));
    return hits.length ? hits : undefined;
  }
  const left = evaluate(node.left, deny);
  const right = evaluate(node.right, deny);
  if (node.op === "OR") return left && right ? [...new Set([...left, ...right])] : undefined;
  return left || right ? [...new Set([...(left ?? []), ...(right ?? [])])] : undefined;
}

function licenseMatches(license: string, denied: string): boolean {
  const l = license.trim().toLowerCase();
  const d = denied.trim().toLowerCase();
  if (d.endsWith("*")) return l.startsWith(d.slice(0, -1));
  if (l === d) return true;
  // `GPL-3.0` denies its -only / -or-later / + spellings.
  return l === `${d}-only` || l === `${d}-or-later` || l === `${d}+`;
}

/** A small SPDX license-expression parser: ids, `WITH`, `AND` (binds tighter), `OR`, parentheses. */
function parseSpdx(text: string): Expr | undefined {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length === 0) return undefined;
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  const primary = (): Expr => {
    const t = next();
    if (t === undefined) throw new Error("unexpected end");
    if (t === "(") {
      const inner = orExpr();
      if (next() !== ")") throw new Error("missing )");
      return inner;
    }
    if (t === ")" || /^(AND|OR|WITH)$/i.test(t)) throw new Error(`unexpected ${t}`);
    if (peek()?.toUpperCase() === "WITH") {
      next();
      const exception = next();
      if (!exception || exception === "(" || exception === ")") throw new Error("missing exception");
      return { id: t, exception };
    }
    return { id: t };
  };
  const andExpr = (): Expr => {
    let left = primary();
    while (peek()?.toUpperCase() === "AND") {
      next();
      left = { op: "AND", left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Expr => {
    let left = andExpr();
    while (peek()?.toUpperCase() === "OR") {
      next();
      left = { op: "OR", left, right: andExpr() };
    }
    return left;
  };
  const expr = orExpr();
  if (i !== tokens.length) throw new Error("trailing tokens");
  return expr;
}
