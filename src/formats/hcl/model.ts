/** The plain model of an HCL file that the Terraform checks read (see `formats/hcl.ts`). */

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclAttribute {
  name: string;
  /** 1-based line of the attribute's name. */
  line: number;
  expr: HclExpr;
}

export interface HclBlock {
  type: string;
  labels: string[];
  line: number;
  endLine: number;
  body: HclBody;
}

export type HclExpr =
  | { kind: "literal"; value: string | number | boolean | null; line: number }
  /** A quoted string or heredoc with interpolations: literal parts and embedded expressions. */
  | { kind: "template"; parts: Array<string | HclExpr>; line: number; heredoc: boolean }
  | { kind: "tuple"; items: HclExpr[]; line: number }
  | { kind: "object"; items: HclObjectItem[]; line: number }
  /** A reference: `var.x`, `aws_s3_bucket.b.id`, `local.p[0]` (indices by number or string key). */
  | { kind: "ref"; path: Array<string | number>; text: string; line: number }
  | { kind: "call"; name: string; args: HclExpr[]; line: number }
  /** Conditionals, for expressions, operators, splats: never evaluated, always unknown. */
  | { kind: "other"; text: string; line: number };

export interface HclObjectItem {
  /** The key when it is a bare name or a literal string, else undefined (a computed key). */
  key: string | undefined;
  value: HclExpr;
  line: number;
}

/** Deeper nesting than this is refused as a parse error: no real configuration comes near it. */
export const MAX_HCL_DEPTH = 200;
/** Text kept of an expression that is not evaluated (for messages and anchors). */
export const MAX_OTHER_TEXT = 200;

export function clip(text: string): string {
  return text.length > MAX_OTHER_TEXT ? `${text.slice(0, MAX_OTHER_TEXT)}…` : text;
}
