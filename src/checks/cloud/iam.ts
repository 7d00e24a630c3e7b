import { escalationActionsAllowed, isAllActions } from "./actions.js";
import {
  hasUnknownItem,
  knownItems,
  type PolicyField,
  type PolicyStatement,
  policyStatements,
  statementLabel,
} from "./policy.js";
import { type CloudValue, knownString, type ValuePath } from "./value.js";

/**
 * What an identity policy (attached to a user, group or role) grants that a
 * reviewer must see: full administrator rights, and the IAM actions that let
 * a principal raise its own rights.
 */

export type PolicyIssueKind =
  | "wildcard-admin"
  | "privilege-escalation"
  | "public-principal"
  | "trust-any-principal"
  | "github-oidc-unscoped";

export interface PolicyIssue {
  kind: PolicyIssueKind;
  statement: PolicyStatement;
  /** The most precise place to report: the `"*"` action, the principal, the `sub` condition, else the statement. */
  path: ValuePath;
  /** A sentence fragment for messages, e.g. `statement "Admin" allows Action "*" on Resource "*"`. */
  detail: string;
  /** For `privilege-escalation`: the escalation actions the statement allows. */
  actions?: readonly string[];
}

/** Is every resource covered? `Resource: "*"`, or an `Allow` with `NotResource` (all but a few). */
function coversAllResources(s: PolicyStatement): boolean {
  if (s.notResource !== undefined && s.resource === undefined) return true;
  return knownItems(s.resource).some((r) => r.text.trim() === "*");
}

/**
 * Resources through which IAM actions reach other principals: `*`, or an ARN
 * with a wildcard whose service may be IAM (`arn:aws:iam::123456789012:role/*`).
 */
function coversIamResources(s: PolicyStatement): boolean {
  if (coversAllResources(s)) return true;
  return knownItems(s.resource).some(({ text }) => {
    if (!text.includes("*")) return false;
    const service = text.split(":")[2];
    return text.startsWith("arn:") && service !== undefined && /^(iam|\*|i\*|ia\*)$/i.test(service);
  });
}

/** `Effect: Allow` with `Action: "*"` on `Resource: "*"` (or `NotResource`): full administrator rights. */
export function wildcardAdminIssues(statements: readonly PolicyStatement[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const s of statements) {
    if (s.effect !== "Allow" || !coversAllResources(s)) continue;
    const star = knownItems(s.action).find((a) => isAllActions(a.text));
    if (!star) continue;
    const on = s.resource === undefined ? "every resource (NotResource)" : 'Resource "*"';
    out.push({
      kind: "wildcard-admin",
      statement: s,
      path: star.path,
      detail: `${statementLabel(s)} allows Action "${star.text}" on ${on}`,
    });
  }
  return out;
}

/** Condition keys that narrow an escalation action to the intended use (a role passed to one service). */
const ESCALATION_CONDITION_KEY =
  /^(iam:PassedToService|iam:PermissionsBoundary|iam:PolicyARN|iam:AssociatedResourceArn)$/i;

function conditionKeys(condition: PolicyField | undefined): string[] {
  const value = condition?.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const keys: string[] = [];
  for (const block of Object.values(value as Record<string, CloudValue>)) {
    if (typeof block === "object" && block !== null && !Array.isArray(block))
      keys.push(...Object.keys(block));
  }
  return keys;
}

/**
 * `Allow` of an IAM privilege-escalation action (`iam:PassRole`, `iam:Put*Policy`,
 * `iam:CreateAccessKey`, …) on every resource or a wildcard of IAM resources,
 * not narrowed by an IAM condition key. A statement that already grants
 * everything is reported as wildcard admin instead.
 */
export function privilegeEscalationIssues(statements: readonly PolicyStatement[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const s of statements) {
    if (s.effect !== "Allow" || !coversIamResources(s)) continue;
    if (conditionKeys(s.condition).some((k) => ESCALATION_CONDITION_KEY.test(k))) continue;
    const actions = knownItems(s.action);
    if (coversAllResources(s) && actions.some((a) => isAllActions(a.text))) continue;
    let granted: string[];
    let path: ValuePath;
    if (s.action !== undefined) {
      granted = escalationActionsAllowed(
        actions.map((a) => a.text),
        false,
      );
      const first = actions.find((a) => escalationActionsAllowed([a.text], false).length > 0);
      path = first?.path ?? s.action.path;
    } else if (s.notAction !== undefined && !hasUnknownItem(s.notAction)) {
      granted = escalationActionsAllowed(
        knownItems(s.notAction).map((a) => a.text),
        true,
      );
      path = s.notAction.path;
    } else continue;
    if (granted.length === 0) continue;
    const shown =
      granted.length > 3
        ? `${granted.slice(0, 3).join(", ")} and ${granted.length - 3} more`
        : granted.join(", ");
    out.push({
      kind: "privilege-escalation",
      statement: s,
      path,
      actions: granted,
      detail: `${statementLabel(s)} allows ${shown} on ${coversAllResources(s) ? "every resource" : "a wildcard of IAM resources"}`,
    });
  }
  return out;
}

/** Wildcard admin and privilege escalation of an identity policy document (object or JSON text). */
export function identityPolicyIssues(doc: CloudValue | undefined, path: ValuePath = []): PolicyIssue[] {
  const statements = policyStatements(doc, path);
  return [...wildcardAdminIssues(statements), ...privilegeEscalationIssues(statements)];
}

const ADMIN_POLICY_ARN = /^arn:aws(?:-[a-z]+)*:iam::aws:policy\/AdministratorAccess$/;

/** The AWS managed `AdministratorAccess` policy (any partition). An unknown value is not it. */
export function isAdministratorAccessArn(value: CloudValue | undefined): boolean {
  const text = knownString(value);
  return text !== undefined && ADMIN_POLICY_ARN.test(text.trim());
}
