/**
 * IAM action patterns: `service:Action` with `*` and `?` wildcards, matched
 * case-insensitively as IAM does.
 */

/** An action name longer than this is not a real IAM action; it is not matched (bounds the matcher). */
const MAX_ACTION = 256;

/** Does the IAM pattern (`iam:*Policy*`, `*`) cover the action (`iam:PutRolePolicy`)? */
export function actionPatternMatches(pattern: string, action: string): boolean {
  if (pattern.length > MAX_ACTION || action.length > MAX_ACTION) return false;
  return globMatch(pattern.toLowerCase(), action.toLowerCase());
}

/** Iterative wildcard matching with one backtrack point: O(n·m) at worst, never exponential. */
function globMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/** `*` and `*:*`: every action of every service. */
export function isAllActions(pattern: string): boolean {
  const p = pattern.trim();
  return p === "*" || p === "*:*";
}

/**
 * Actions that let a principal give itself (or a principal it controls) more
 * permissions than it has: the IAM paths of Rhino Security Labs' AWS
 * privilege-escalation catalogue, as Checkov's CKV_AWS_110 and Trivy's
 * AWS-0342 look for them.
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  "iam:PassRole",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:PutRolePolicy",
  "iam:AddUserToGroup",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
];

/** The escalation actions a list of patterns allows (`Action`), or does not exclude (`NotAction`). */
export function escalationActionsAllowed(patterns: readonly string[], negated: boolean): string[] {
  return ESCALATION_ACTIONS.filter((action) => {
    const matched = patterns.some((p) => actionPatternMatches(p, action));
    return negated ? !matched : matched;
  });
}
