import {
  type CloudObject,
  type CloudValue,
  getKey,
  type Item,
  isCloudObject,
  isUnknown,
  itemsOf,
  knownString,
  type ValuePath,
} from "./value.js";

/**
 * IAM policy documents read as the cloud families hand them over: an object
 * (a CloudFormation `PolicyDocument`, a Terraform `jsonencode({...})`) or a
 * JSON string (a heredoc, a `Fn::Sub`-free literal), with `Statement` as an
 * array or a single object and every list field as an array or one value.
 */

/** Beyond this, a policy string is not read: IAM caps a managed policy at 6,144 characters. */
export const MAX_POLICY_TEXT = 1_000_000;

export interface PolicyField {
  /** The key as written (`Action`, `action`). */
  key: string;
  value: CloudValue;
  path: ValuePath;
}

export interface PolicyStatement {
  /** Index in `Statement` (0 for a single statement object). */
  index: number;
  /** Path of the statement object in the document. */
  path: ValuePath;
  sid: string | undefined;
  /** `undefined` when missing or unknown: such a statement is never a finding. */
  effect: "Allow" | "Deny" | undefined;
  action?: PolicyField;
  notAction?: PolicyField;
  resource?: PolicyField;
  notResource?: PolicyField;
  principal?: PolicyField;
  notPrincipal?: PolicyField;
  condition?: PolicyField;
}

/** A policy given as text: its JSON, or `undefined` when it is not JSON or is too big to read. */
export function parsePolicyText(text: string): CloudValue | undefined {
  if (text.length > MAX_POLICY_TEXT) return undefined;
  try {
    return JSON.parse(text) as CloudValue;
  } catch {
    return undefined;
  }
}

/**
 * The statements of a policy document. `path` is where the document sits (the
 * caller maps paths back to source positions); a string document is parsed
 * and its paths are relative to the string's own JSON.
 */
export function policyStatements(doc: CloudValue | undefined, path: ValuePath = []): PolicyStatement[] {
  const value = typeof doc === "string" ? parsePolicyText(doc) : doc;
  if (!isCloudObject(value)) return [];
  const statement = getKey(value, "Statement");
  if (statement === undefined) return [];
  const base = [...path, statement.key];
  const items: Item[] = Array.isArray(statement.value)
    ? itemsOf(statement.value, base)
    : [{ value: statement.value, path: base }];
  const out: PolicyStatement[] = [];
  items.forEach((item, index) => {
    if (isCloudObject(item.value)) out.push(readStatement(item.value, item.path, index));
  });
  return out;
}

function readStatement(obj: CloudObject, path: ValuePath, index: number): PolicyStatement {
  const field = (name: string): PolicyField | undefined => {
    const found = getKey(obj, name);
    return found && { key: found.key, value: found.value, path: [...path, found.key] };
  };
  const effect = knownString(getKey(obj, "Effect")?.value)?.toLowerCase();
  return {
    index,
    path,
    sid: knownString(getKey(obj, "Sid")?.value),
    effect: effect === "allow" ? "Allow" : effect === "deny" ? "Deny" : undefined,
    action: field("Action"),
    notAction: field("NotAction"),
    resource: field("Resource"),
    notResource: field("NotResource"),
    principal: field("Principal"),
    notPrincipal: field("NotPrincipal"),
    condition: field("Condition"),
  };
}

/** The items of a list field (`Action: x` or `Action: [x, y]`). */
export function fieldItems(field: PolicyField | undefined): Item[] {
  return field ? itemsOf(field.value, field.path) : [];
}

/** Known strings of a list field, each with its path; unknown items are left out. */
export function knownItems(field: PolicyField | undefined): Array<{ text: string; path: ValuePath }> {
  const out: Array<{ text: string; path: ValuePath }> = [];
  for (const item of fieldItems(field)) {
    const text = knownString(item.value);
    if (text !== undefined) out.push({ text, path: item.path });
  }
  return out;
}

/** True when a list field holds an unknown item (a `!Ref`, a Terraform reference) or is unknown itself. */
export function hasUnknownItem(field: PolicyField | undefined): boolean {
  return fieldItems(field).some((item) => isUnknown(item.value));
}

/** A short name for a statement in messages: its Sid, else its position. */
export function statementLabel(statement: PolicyStatement): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${statement.index + 1}`;
}
