import {
  accessPath,
  analyseExpression,
  type Expr,
  findExpressions,
  printExpression,
} from "../../formats/expressions.js";
import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, clip, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";

/**
 * `github.actor` is whoever caused the latest event, not who wrote the code:
 * after Dependabot opens a pull request, anyone who can make Dependabot act
 * again (a `@dependabot rebase`, a push that Dependabot then syncs) runs the
 * job as "dependabot[bot]" with the attacker's changes.
 */
const SPOOFABLE = new Set(["github.actor", "github.triggering_actor", "github.event.sender.login"]);

export const spoofableBotCheck = defineCheck({
  kind: "snapshot",
  name: "actions/spoofable-bot-check",
  families: ["actions"],
  rules: ["actions/spoofable-bot-check"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      const conditions = [
        { node: job.if, anchor: jobAnchor(job) },
        ...job.steps.map((s) => ({ node: s.if, anchor: jobAnchor(job, s) })),
      ];
      for (const c of conditions) {
        const text = scalarText(c.node);
        if (!c.node || text === undefined) continue;
        const bodies = text.includes("${{") ? findExpressions(text).map((e) => e.body) : [text];
        for (const body of bodies) {
          const facts = analyseExpression(body);
          if (!facts.ast) continue;
          for (const check of botComparisons(facts.ast)) {
            out.push(
              finding({
                ruleId: "actions/spoofable-bot-check",
                at: at(wf, c.node),
                message: `\`${clip(check, 100)}\` trusts the event's actor, which is not the author of the code: an attacker can make a bot act on their pull request and pass this check.`,
                fix: "Check the pull request's author instead: `github.event.pull_request.user.login == 'dependabot[bot]'`.",
                anchor: `${c.anchor}/if:${check}`,
              }),
            );
          }
        }
      }
    }
    return out;
  }),
});

/**
 * Comparisons that *grant* something to a bot: `actor == 'x[bot]'` (or
 * `contains(actor, '[bot]')`) in a positive position, `actor != 'x[bot]'`
 * under a negation. `actor != 'dependabot[bot]'` on its own only skips bots,
 * which a spoofed actor cannot abuse.
 */
function botComparisons(expr: Expr): string[] {
  const found: string[] = [];
  const isActor = (e: Expr) => SPOOFABLE.has(accessPath(e)?.join(".") ?? "");
  const isBotLiteral = (e: Expr) =>
    e.kind === "literal" && typeof e.value === "string" && /\[bot\]|dependabot|renovate/i.test(e.value);
  const walk = (e: Expr, negated: boolean) => {
    switch (e.kind) {
      case "binary": {
        const compares =
          (isActor(e.left) && isBotLiteral(e.right)) || (isActor(e.right) && isBotLiteral(e.left));
        if (compares && ((e.op === "==" && !negated) || (e.op === "!=" && negated)))
          found.push(printExpression(e));
        walk(e.left, negated);
        walk(e.right, negated);
        break;
      }
      case "call":
        if (
          !negated &&
          ["contains", "startswith", "endswith"].includes(e.name) &&
          e.args.some(isActor) &&
          e.args.some(isBotLiteral)
        ) {
          found.push(printExpression(e));
        }
        for (const a of e.args) walk(a, negated);
        break;
      case "unary":
        walk(e.operand, !negated);
        break;
      default:
        break;
    }
  };
  walk(expr, false);
  return found;
}
