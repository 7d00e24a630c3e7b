/**
 * Plain values shared by the cloud families (CloudFormation, Terraform): JSON-like
 * data in which whatever a static reading cannot know (a `!Ref` to a parameter
 * without a default, `!GetAtt`, a Terraform reference or module output) is an
 * `Unknown`. The analyses in this directory never turn an `Unknown` into a
 * finding by itself: it is neither "*" nor a restriction they can rely on
 * being absent, so each of them says which way it leans.
 */

/**
 * A value a static reading cannot know. `source` says where it came from: the
 * expression's text when the family has it (`Fn::Sub`'s template, a Terraform
 * expression), which an analysis may read for what it names (an OIDC provider's
 * host) but never evaluates.
 */
export class Unknown {
  readonly source: string | undefined;
  constructor(source?: string) {
    this.source = source;
  }
}

/** The unknown value with no recorded source. */
export const UNKNOWN: Unknown = new Unknown();

export function unknownValue(source?: string): Unknown {
  return source === undefined ? UNKNOWN : new Unknown(source);
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export type CloudValue =
  | string
  | number
  | boolean
  | null
  | Unknown
  | readonly CloudValue[]
  | { readonly [key: string]: CloudValue | undefined };

/** An object; a key whose value is `undefined` counts as absent (so typed literals fit). */
export type CloudObject = { readonly [key: string]: CloudValue | undefined };

/** A path into a value: object keys and array indices, as the families map them back to source positions. */
export type ValuePath = ReadonlyArray<string | number>;

export function isCloudObject(value: CloudValue | undefined): value is CloudObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** One element of a list-or-single value, with its path (IAM accepts `Action: "x"` and `Action: ["x"]`). */
export interface Item {
  value: CloudValue;
  path: ValuePath;
}

/** The elements of a value that may be a single item or an array; `undefined` gives none. */
export function itemsOf(value: CloudValue | undefined, path: ValuePath): Item[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, path: [...path, i] }));
  return [{ value: value as CloudValue, path }];
}

/** The value's text when it is a known string (numbers too: `FromPort: "22"` and `22` mean the same). */
export function knownString(value: CloudValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `true`/`false` from a boolean or its string forms; `undefined` when absent, unknown or anything else. */
export function knownBoolean(value: CloudValue | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
  }
  return undefined;
}

/** An integer from a number or a numeric string; `undefined` otherwise (unknown included). */
export function knownInteger(value: CloudValue | undefined): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  if (typeof value === "string" && /^\s*-?\d{1,10}\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}

/** A key looked up case-insensitively (IAM keys are case-sensitive in AWS, but hand-written policies vary). */
export function getKey(obj: CloudObject, key: string): { key: string; value: CloudValue } | undefined {
  const exact = obj[key];
  if (exact !== undefined && Object.hasOwn(obj, key)) return { key, value: exact };
  // Called for every field of every statement, mostly for keys that are absent: no entry pairs,
  // and a key of another length cannot match (ASCII case folding keeps lengths; others are compared in full).
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.length !== lower.length && isAscii(k)) continue;
    const value = obj[k];
    if (value !== undefined && k.toLowerCase() === lower) return { key: k, value };
  }
  return undefined;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
