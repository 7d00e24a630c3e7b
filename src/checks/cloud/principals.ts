import type { PolicyIssue } from "./iam.js";
import { isOpenCidr } from "./network.js";
import { knownItems, type PolicyStatement, policyStatements, statementLabel } from "./policy.js";
import {
  type CloudValue,
  getKey,
  isCloudObject,
  isUnknown,
  itemsOf,
  knownBoolean,
  knownString,
  type ValuePath,
} from "./value.js";

/**
 * Who a resource policy or a role's trust policy lets in. "Anyone" is the
 * principal `*` (or `{AWS: "*"}`), or an `Allow` with `NotPrincipal`, unless a
 * condition ties the request to an account, an organisation, a source ARN, a
 * VPC endpoint or a network.
 */

/** Condition keys that confine a `*` principal to known callers. */
const RESTRICTING_KEYS = new Set(
  [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
    "kms:ViaService",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
    "lambda:EventSourceToken",
  ].map((k) => k.toLowerCase()),
);

/** Operators whose values do not name who may call (`Null`, `Bool` on another key). */
const NON_RESTRICTING_OPERATOR = /^(null)$/i;

/** A condition value that lets everything through (`"*"`, an open CIDR). */
function isWildcardValue(key: string, value: CloudValue): boolean {
  const text = knownString(value);
  if (text === undefined) return false;
  if (/^\*+$/.test(text.trim())) return true;
  return /ip$/i.test(key) && isOpenCidr(text);
}

/**
 * Does the statement's `Condition` confine its principal? An unknown value (a
 * `!Ref`, a Terraform reference) counts as confining: an unknown is never a
 * finding by itself.
 */
export function hasRestrictingCondition(condition: CloudValue | undefined): boolean {
  if (condition === undefined) return false;
  if (isUnknown(condition)) return true;
  if (!isCloudObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (block === undefined) continue;
    if (isUnknown(block)) return true;
    if (NON_RESTRICTING_OPERATOR.test(operator) || !isCloudObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (value === undefined) continue;
      const name = key.toLowerCase();
      if (name === "aws:principalisawsservice") {
        if (knownBoolean(itemsOf(value, [])[0]?.value) !== false) return true;
        continue;
      }
      if (!RESTRICTING_KEYS.has(name)) continue;
      const values = itemsOf(value, []);
      if (values.length === 0) continue;
      if (!values.every((v) => isWildcardValue(name, v.value))) return true;
    }
  }
  return false;
}

/** Where a principal value says "anyone": `"*"`, or `"*"` among its `AWS` entries. */
export function anyPrincipalPath(principal: CloudValue | undefined, path: ValuePath): ValuePath | undefined {
  if (principal === undefined) return undefined;
  if (knownString(principal)?.trim() === "*") return path;
  if (!isCloudObject(principal)) return undefined;
  const aws = getKey(principal, "AWS");
  if (!aws) return undefined;
  const star = itemsOf(aws.value, [...path, aws.key]).find((item) => knownString(item.value)?.trim() === "*");
  return star?.path;
}

/** Is a principal value (a policy `Principal`, a Lambda permission's `Principal`) anyone at all? */
export function isAnyPrincipal(principal: CloudValue | undefined): boolean {
  return anyPrincipalPath(principal, []) !== undefined;
}

function publicIn(s: PolicyStatement): { path: ValuePath; how: string } | undefined {
  if (s.effect !== "Allow") return undefined;
  if (hasRestrictingCondition(s.condition?.value)) return undefined;
  if (s.principal) {
    const path = anyPrincipalPath(s.principal.value, s.principal.path);
    if (path) return { path, how: 'Principal "*"' };
  }
  if (s.notPrincipal && s.principal === undefined)
    return { path: s.notPrincipal.path, how: "NotPrincipal (everyone but the listed principals)" };
  return undefined;
}

/**
 * Statements of a resource policy (bucket, topic, queue, key, registry,
 * function) that allow anyone, with no condition confining the caller.
 */
export function publicPrincipalIssues(statements: readonly PolicyStatement[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const s of statements) {
    const found = publicIn(s);
    if (!found) continue;
    const actions = knownItems(s.action).map((a) => a.text);
    const what =
      actions.length > 0 ? ` to ${actions.slice(0, 3).join(", ")}${actions.length > 3 ? ", …" : ""}` : "";
    out.push({
      kind: "public-principal",
      statement: s,
      path: found.path,
      detail: `${statementLabel(s)} allows ${found.how}${what} without a condition on the caller`,
    });
  }
  return out;
}

/** Public-principal issues of a resource policy document (object or JSON text). */
export function resourcePolicyIssues(doc: CloudValue | undefined, path: ValuePath = []): PolicyIssue[] {
  return publicPrincipalIssues(policyStatements(doc, path));
}

const GITHUB_OIDC = "token.actions.githubusercontent.com";

function federatedGitHub(s: PolicyStatement): boolean {
  const principal = s.principal?.value;
  if (!isCloudObject(principal)) return false;
  const federated = getKey(principal, "Federated");
  if (!federated) return false;
  // The provider's ARN is usually built (`!Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/token…"`):
  // its account is unknown, but the text it was built from still names the provider.
  return itemsOf(federated.value, []).some((item) => {
    const text = isUnknown(item.value) ? item.value.source : knownString(item.value);
    return text?.includes(GITHUB_OIDC) ?? false;
  });
}

/** The `…githubusercontent.com[/enterprise]:sub` entries of a condition, with their paths. */
function subConditions(s: PolicyStatement): Array<{ value: CloudValue; path: ValuePath }> {
  const condition = s.condition;
  if (!condition || !isCloudObject(condition.value)) return [];
  const out: Array<{ value: CloudValue; path: ValuePath }> = [];
  for (const [operator, block] of Object.entries(condition.value)) {
    if (!isCloudObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      const lower = key.toLowerCase();
      if (value !== undefined && lower.startsWith(GITHUB_OIDC) && lower.endsWith(":sub"))
        out.push({ value, path: [...condition.path, operator, key] });
    }
  }
  return out;
}

/**
 * A `sub` pattern that does not pin the owner: `*`, `repo:*`, `repo:*` followed
 * by a repository, `repo:my*org/x`. `repo:my-org/*` names one organisation and is accepted.
 */
export function isUnscopedGitHubSub(value: string): boolean {
  const v = value.trim();
  if (/^[*?]/.test(v)) return true;
  const m = /^repo:([^/]*)/i.exec(v);
  if (!m) return false;
  const owner = m[1] ?? "";
  return owner === "" || /[*?]/.test(owner);
}

function githubIssue(s: PolicyStatement): PolicyIssue | undefined {
  const subs = subConditions(s);
  if (subs.length === 0) {
    return {
      kind: "github-oidc-unscoped",
      statement: s,
      path: s.principal?.path ?? s.path,
      detail: `${statementLabel(s)} trusts GitHub Actions OIDC tokens without a \`sub\` condition, so any repository on GitHub can assume the role`,
    };
  }
  const values = subs.flatMap((sub) => itemsOf(sub.value, sub.path));
  if (values.some((v) => isUnknown(v.value) || knownString(v.value) === undefined)) return undefined;
  if (!values.every((v) => isUnscopedGitHubSub(knownString(v.value) ?? ""))) return undefined;
  const first = values[0];
  return {
    kind: "github-oidc-unscoped",
    statement: s,
    path: first?.path ?? s.path,
    detail: `${statementLabel(s)} trusts GitHub Actions OIDC tokens whose \`sub\` is "${knownString(first?.value) ?? ""}", which any repository's workflow can present`,
  };
}

/**
 * A role's trust policy (`AssumeRolePolicyDocument`, `assume_role_policy`):
 * any principal may assume it, or GitHub's OIDC provider is trusted for
 * every repository.
 */
export function trustPolicyIssues(doc: CloudValue | undefined, path: ValuePath = []): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const s of policyStatements(doc, path)) {
    if (s.effect !== "Allow") continue;
    const found = publicIn(s);
    if (found) {
      out.push({
        kind: "trust-any-principal",
        statement: s,
        path: found.path,
        detail: `${statementLabel(s)} lets ${found.how === 'Principal "*"' ? "any AWS principal" : "everyone but the listed principals"} assume the role`,
      });
      continue;
    }
    if (federatedGitHub(s)) {
      const issue = githubIssue(s);
      if (issue) out.push(issue);
    }
  }
  return out;
}
