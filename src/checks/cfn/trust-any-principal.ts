import type { RawFinding } from "../../review/types.js";
import { trustPolicyIssues } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import { policySites, statementAnchor } from "./policies.js";

/**
 * A role whose trust policy lets any AWS principal assume it, or trusts
 * GitHub Actions' OIDC provider without pinning the repository (`sub`), so
 * any workflow on GitHub can take the role.
 */

const RULE = "cfn/trust-any-principal";

export const trustAnyPrincipal = defineCheck({
  kind: "snapshot",
  name: "cfn/trust-any-principal",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const s of policySites(template)) {
      if (s.kind !== "trust") continue;
      for (const issue of trustPolicyIssues(s.doc, s.path)) {
        out.push(
          atProperty({
            ruleId: RULE,
            template,
            resource: s.resource,
            path: issue.path,
            anchor: `${s.anchor}|${issue.kind}|${statementAnchor(issue.statement)}`,
            message: `The trust policy of ${resourceLabel(s.resource)}: ${issue.detail}.`,
          }),
        );
      }
    }
    return out;
  }),
});
