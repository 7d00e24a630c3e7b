import type { RawFinding, RuleId } from "../../review/types.js";
import type { PolicyIssue } from "../cloud/iam.js";
import { type PolicyStatement, policyStatements } from "../cloud/policy.js";
import type { CloudValue, ValuePath } from "../cloud/value.js";
import type { TfBlockView, TfModule, TfResource } from "./model.js";
import { tfFinding } from "./module-check.js";
import { issueLoc, type PolicyDoc, policyAt } from "./policies.js";

/** Where AWS resources keep each kind of policy document, by resource type and attribute. */
export const IDENTITY_POLICIES: ReadonlyArray<readonly [string, string]> = [
  ["aws_iam_policy", "policy"],
  ["aws_iam_role_policy", "policy"],
  ["aws_iam_user_policy", "policy"],
  ["aws_iam_group_policy", "policy"],
];

export const RESOURCE_POLICIES: ReadonlyArray<readonly [string, string]> = [
  ["aws_s3_bucket_policy", "policy"],
  ["aws_s3_bucket", "policy"],
  ["aws_sns_topic_policy", "policy"],
  ["aws_sns_topic", "policy"],
  ["aws_sqs_queue_policy", "policy"],
  ["aws_sqs_queue", "policy"],
  ["aws_kms_key", "policy"],
  ["aws_kms_key_policy", "policy"],
  ["aws_ecr_repository_policy", "policy"],
  ["aws_ecrpublic_repository_policy", "policy"],
  ["aws_secretsmanager_secret_policy", "policy"],
  ["aws_secretsmanager_secret", "policy"],
  ["aws_glacier_vault", "access_policy"],
  ["aws_elasticsearch_domain_policy", "access_policies"],
  ["aws_opensearch_domain_policy", "access_policies"],
];

export interface FoundPolicy {
  resource: TfResource;
  /** The block holding the attribute (the resource, or an `inline_policy` block of a role). */
  holder: TfBlockView;
  attr: string;
  policy: PolicyDoc;
}

export function policiesOf(mod: TfModule, sources: ReadonlyArray<readonly [string, string]>): FoundPolicy[] {
  const out: FoundPolicy[] = [];
  for (const [type, attr] of sources) {
    for (const r of mod.resourcesOf(type)) {
      const policy = policyAt(r, attr);
      if (policy) out.push({ resource: r, holder: r, attr, policy });
    }
  }
  return out;
}

/** Inline policies of roles (`inline_policy { policy = … }`), read as identity policies. */
export function inlineRolePolicies(mod: TfModule): FoundPolicy[] {
  const out: FoundPolicy[] = [];
  for (const r of mod.resourcesOf("aws_iam_role")) {
    for (const b of r.blocks("inline_policy")) {
      const policy = policyAt(b, "policy");
      if (policy) out.push({ resource: r, holder: b, attr: "inline_policy.policy", policy });
    }
  }
  return out;
}

/** One finding per issue, at the line of the offending item, anchored by address, attribute and statement. */
export function issueFindings(
  mod: TfModule,
  ruleId: RuleId,
  found: FoundPolicy,
  issues: readonly PolicyIssue[],
  message: (issue: PolicyIssue) => string,
): RawFinding[] {
  return issues.map((issue) =>
    tfFinding(
      ruleId,
      issueLoc(mod, found.policy, issue),
      `${found.resource.address}:${found.attr}:${issue.kind}:${issue.detail}`,
      message(issue),
    ),
  );
}

const statements = new WeakMap<object, PolicyStatement[]>();

/**
 * A document's statements, read once: the wildcard-admin and privilege-escalation rules read the
 * same identity policies (a 1 MB heredoc policy was read twice per side).
 */
export function statementsOf(doc: CloudValue): PolicyStatement[] {
  if (doc === null || typeof doc !== "object") return policyStatements(doc);
  let found = statements.get(doc);
  if (!found) {
    found = policyStatements(doc);
    statements.set(doc, found);
  }
  return found;
}

export type IssueFinder = (doc: CloudValue | undefined, path?: ValuePath) => PolicyIssue[];
