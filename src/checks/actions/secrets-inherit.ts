import { visit } from "yaml";
import { analyseExpression, findExpressions } from "../../formats/expressions.js";
import { scalarPosition, scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, clip, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";

/** `secrets: inherit` hands every secret of the repository to a called workflow. */
export const secretsInherit = defineCheck({
  kind: "snapshot",
  name: "actions/secrets-inherit",
  families: ["actions"],
  rules: ["actions/secrets-inherit"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      if (job.secrets && scalarText(job.secrets.value)?.trim() === "inherit") {
        out.push(
          finding({
            ruleId: "actions/secrets-inherit",
            at: at(wf, job.secrets.value),
            message: `Job \`${job.id}\` passes every secret of the repository to \`${clip(scalarText(job.uses) ?? "the called workflow", 80)}\`, whatever it needs.`,
            fix: "List only the secrets the called workflow needs under `secrets:`.",
            anchor: `${jobAnchor(job)}/secrets:inherit`,
          }),
        );
      }
    }
    // toJSON(secrets) anywhere: every secret in one string, which masking cannot cover once it is transformed.
    visit(wf.doc, {
      Scalar(_key, node) {
        if (typeof node.value !== "string" || !node.value.includes("${{")) return;
        for (const e of findExpressions(node.value)) {
          const facts = analyseExpression(e.body);
          if (!facts.values.some((p) => p.length === 1 && p[0] === "secrets")) continue;
          out.push(
            finding({
              ruleId: "actions/secrets-inherit",
              at: scalarPosition(wf.src, node, e.start),
              message: `\`\${{ ${clip(facts.text, 80)} }}\` exposes every secret of the repository at once.`,
              fix: "Reference only the secrets this step needs, one by one (`secrets.NAME`).",
              anchor: `secrets-object:${facts.text}`,
            }),
          );
        }
      },
    });
    return out;
  }),
});
