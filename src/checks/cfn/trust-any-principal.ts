import { trustPolicyIssues } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { onTemplate, resourceLabel } from "./findings.js";
import { policyFindings } from "./policies.js";

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
  run: onTemplate((template) =>
    policyFindings(
      template,
      RULE,
      "trust",
      (s) => trustPolicyIssues(s.doc, s.path),
      (s, issue) => `The trust policy of ${resourceLabel(s.resource)}: ${issue.detail}.`,
    ),
  ),
});
