import type { RawFinding, RuleId } from "../../review/types.js";
import {
  type CloudObject,
  type CloudValue,
  getKey,
  isCloudObject,
  itemsOf,
  knownString,
  type PolicyIssue,
  type PolicyStatement,
  type ValuePath,
} from "../cloud/index.js";
import { atProperty, canonical, digest } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";

/**
 * Where a template holds IAM policy documents, by what they govern: identity
 * policies (what a user, group, role or SAM function may do), resource
 * policies (who may use a bucket, topic, queue, key, …) and role trust
 * policies (who may assume the role).
 */

export type PolicyKind = "identity" | "resource" | "trust";

export interface PolicySite {
  resource: CfnResource;
  kind: PolicyKind;
  doc: CloudValue;
  /** Path of the document inside `Properties`. */
  path: ValuePath;
  /** Stable name of the document for anchors (`Policies[ReadLogs]`, `PolicyDocument`). */
  anchor: string;
  /** What the document is, for messages: "bucket policy", "inline policy `ReadLogs`". */
  label: string;
}

/** Resource type → the property holding its resource policy, and what to call it. */
const RESOURCE_POLICIES: ReadonlyMap<string, readonly [string, string]> = new Map([
  ["AWS::S3::BucketPolicy", ["PolicyDocument", "bucket policy"]],
  ["AWS::S3::AccessPoint", ["Policy", "access point policy"]],
  ["AWS::SNS::TopicPolicy", ["PolicyDocument", "topic policy"]],
  ["AWS::SNS::TopicInlinePolicy", ["PolicyDocument", "topic policy"]],
  ["AWS::SQS::QueuePolicy", ["PolicyDocument", "queue policy"]],
  ["AWS::SQS::QueueInlinePolicy", ["PolicyDocument", "queue policy"]],
  ["AWS::KMS::Key", ["KeyPolicy", "key policy"]],
  ["AWS::ECR::Repository", ["RepositoryPolicyText", "repository policy"]],
  ["AWS::SecretsManager::ResourcePolicy", ["ResourcePolicy", "secret policy"]],
  ["AWS::OpenSearchService::Domain", ["AccessPolicies", "domain access policy"]],
  ["AWS::Elasticsearch::Domain", ["AccessPolicies", "domain access policy"]],
  ["AWS::EFS::FileSystem", ["FileSystemPolicy", "file system policy"]],
  ["AWS::Logs::ResourcePolicy", ["PolicyDocument", "log resource policy"]],
  ["AWS::Glue::ResourcePolicy", ["PolicyInJson", "Data Catalog policy"]],
]);

const IDENTITY_WITH_INLINE = new Set(["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]);
const SAM_WITH_POLICIES = new Set(["AWS::Serverless::Function", "AWS::Serverless::StateMachine"]);

/** Four checks read the same documents: found once per template. */
const found = new WeakMap<CfnTemplate, PolicySite[]>();

export function policySites(template: CfnTemplate): PolicySite[] {
  let out = found.get(template);
  if (!out) {
    out = template.resources.flatMap(sitesOf);
    found.set(template, out);
  }
  return out;
}

function site(
  resource: CfnResource,
  kind: PolicyKind,
  path: ValuePath,
  label: string,
  anchor?: string,
): PolicySite[] {
  const doc = valueAt(resource.properties, path);
  return doc === undefined ? [] : [{ resource, kind, doc, path, label, anchor: anchor ?? path.join(".") }];
}

function sitesOf(resource: CfnResource): PolicySite[] {
  const { type, properties } = resource;
  const named = RESOURCE_POLICIES.get(type);
  if (named) return site(resource, "resource", [named[0]], named[1]);
  if (type === "AWS::IAM::Policy" || type === "AWS::IAM::ManagedPolicy")
    return site(resource, "identity", ["PolicyDocument"], "policy");
  if (type === "AWS::SSO::PermissionSet")
    return site(resource, "identity", ["InlinePolicy"], "inline policy");
  const out: PolicySite[] = [];
  if (type === "AWS::IAM::Role")
    out.push(...site(resource, "trust", ["AssumeRolePolicyDocument"], "trust policy"));
  if (IDENTITY_WITH_INLINE.has(type)) {
    for (const item of itemsOf(properties.Policies, ["Policies"])) {
      if (!isCloudObject(item.value)) continue;
      const name = knownString(item.value.PolicyName);
      const key = name ?? String(item.path[1] ?? 0);
      out.push(
        ...site(
          resource,
          "identity",
          [...item.path, "PolicyDocument"],
          name ? `inline policy \`${name}\`` : "inline policy",
          `Policies[${key}].PolicyDocument`,
        ),
      );
    }
  }
  if (SAM_WITH_POLICIES.has(type)) {
    for (const item of itemsOf(properties.Policies, ["Policies"])) {
      if (isCloudObject(item.value) && getKey(item.value, "Statement"))
        out.push(
          ...site(resource, "identity", item.path, "policy", `Policies[${statementsDigest(item.value)}]`),
        );
    }
  }
  return out;
}

function valueAt(obj: CloudObject, path: ValuePath): CloudValue | undefined {
  let current: CloudValue | undefined = obj;
  for (const segment of path) {
    if (typeof segment === "number") current = Array.isArray(current) ? current[segment] : undefined;
    else current = isCloudObject(current) ? current[segment] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function statementsDigest(doc: CloudObject): string {
  return digest(canonical(doc));
}

/**
 * A statement's identity for anchors: its `Sid`, else a digest of what it
 * allows (effect, principals, actions, resources; not its conditions), so
 * reordering statements or reformatting keeps the anchor.
 */
export function statementAnchor(statement: PolicyStatement): string {
  if (statement.sid) return `Sid=${statement.sid}`;
  const parts = [
    statement.effect ?? "?",
    canonical(statement.principal?.value),
    canonical(statement.notPrincipal?.value),
    canonical(statement.action?.value),
    canonical(statement.notAction?.value),
    canonical(statement.resource?.value),
    canonical(statement.notResource?.value),
  ];
  return `Statement#${digest(parts.join("|"))}`;
}

/**
 * One finding per issue an analysis finds in the template's documents of one
 * kind, at the issue's path and anchored by document and statement.
 */
export function policyFindings(
  template: CfnTemplate,
  ruleId: RuleId,
  kind: PolicyKind,
  analyse: (site: PolicySite) => PolicyIssue[],
  message: (site: PolicySite, issue: PolicyIssue) => string,
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const site of policySites(template)) {
    if (site.kind !== kind) continue;
    for (const issue of analyse(site)) {
      out.push(
        atProperty({
          ruleId,
          template,
          resource: site.resource,
          path: issue.path,
          anchor: `${site.anchor}|${issue.kind}|${statementAnchor(issue.statement)}`,
          message: message(site, issue),
        }),
      );
    }
  }
  return out;
}
