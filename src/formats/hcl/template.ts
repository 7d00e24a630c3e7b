import { ParseError } from "../errors.js";
import { clip, type HclExpr } from "./model.js";

/**
 * The pieces of a template as the reader scans them, in HashiCorp's token shapes: literal text
 * (in a heredoc one piece per line, each ending at its newline), `${…}` interpolations and the
 * `%{…}` markers of directives. Strip markers and `<<-` indentation are applied to these pieces
 * exactly as `hclsyntax` applies them to its tokens (parser_template.go), because that is what
 * gives a heredoc's stripped text its Terraform value.
 */
export type TemplatePiece =
  | { k: "lit"; v: string }
  | { k: "interp"; e: HclExpr; stripBefore: boolean; stripAfter: boolean }
  | {
      k: "dir";
      word: "if" | "else" | "endif" | "for" | "endfor";
      stripBefore: boolean;
      stripAfter: boolean;
      start: number;
      end: number;
      line: number;
    };

/** Go's `unicode.IsSpace`, which `hclsyntax` trims with (JS `\s` differs by U+0085 and U+FEFF). */
const SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING = new RegExp(`^[${SPACE}]+`);
const TRAILING = new RegExp(`[${SPACE}]+$`);

const trimLeft = (s: string) => s.replace(LEADING, "");
const trimRight = (s: string) => s.replace(TRAILING, "");

/** The model's parts: literal text (never empty) and expressions; a whole directive is one `other`. */
export function templateParts(
  pieces: TemplatePiece[],
  flush: boolean,
  source: string,
): Array<string | HclExpr> {
  applyStripMarkers(pieces);
  if (flush) flushIndentation(pieces);
  const parts: Array<string | HclExpr> = [];
  let text: string[] = [];
  const endText = () => {
    const joined = text.length === 1 ? text[0]! : text.join("");
    if (joined) parts.push(joined);
    text = [];
  };
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.k === "lit") text.push(p.v);
    else if (p.k === "interp") {
      endText();
      parts.push(p.e);
    } else {
      endText();
      const end = directiveEnd(pieces, i);
      const close = pieces[end] as Extract<TemplatePiece, { k: "dir" }>;
      parts.push({ kind: "other", text: clip(source.slice(p.start, close.end)), line: p.line });
      i = end;
    }
  }
  endText();
  return parts;
}

/** `${~`/`%{~` trim the literal piece before them, `~}` the one after (hclsyntax does no more). */
function applyStripMarkers(pieces: TemplatePiece[]): void {
  let trimNext = false;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.k === "lit") {
      if (trimNext) p.v = trimLeft(p.v);
      trimNext = false;
      continue;
    }
    const prev = pieces[i - 1];
    if (p.stripBefore && prev?.k === "lit") prev.v = trimRight(prev.v);
    trimNext = p.stripAfter;
  }
}

/**
 * `<<-`: the fewest leading spaces of any line (blank lines aside; a line that starts with an
 * interpolation counts as none) are removed from every line-leading literal piece.
 */
function flushIndentation(pieces: TemplatePiece[]): void {
  let min = Number.POSITIVE_INFINITY;
  let lineStart = true;
  const adjust: Array<{ v: string }> = [];
  for (const p of pieces) {
    if (lineStart) {
      lineStart = false;
      let spaces = 0;
      if (p.k === "lit") {
        const rest = trimLeft(p.v);
        if (rest.length === 0 && p.v.endsWith("\n")) spaces = Number.POSITIVE_INFINITY;
        else {
          spaces = p.v.length - rest.length;
          adjust.push(p);
        }
      }
      if (spaces < min) min = spaces;
    }
    if (p.k === "lit" && p.v.endsWith("\n")) lineStart = true;
  }
  if (min === 0 || adjust.length === 0) return;
  for (const p of adjust) p.v = p.v.slice(min);
}

/** The index of the `endif`/`endfor` that closes the directive at `open`; unbalanced is an error. */
function directiveEnd(pieces: TemplatePiece[], open: number): number {
  const first = pieces[open] as Extract<TemplatePiece, { k: "dir" }>;
  if (first.word !== "if" && first.word !== "for")
    throw new ParseError(`HCL syntax error: unexpected %{ ${first.word} } directive`, first.line);
  const stack: Array<{ word: string; sawElse: boolean; line: number }> = [];
  for (let i = open; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.k !== "dir") continue;
    if (p.word === "if" || p.word === "for") {
      stack.push({ word: p.word, sawElse: false, line: p.line });
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (p.word === "else" && top.word === "if" && !top.sawElse) {
      top.sawElse = true;
      continue;
    }
    if ((p.word === "endif" && top.word === "if") || (p.word === "endfor" && top.word === "for")) {
      stack.pop();
      if (stack.length === 0) return i;
      continue;
    }
    throw new ParseError(`HCL syntax error: unexpected %{ ${p.word} } directive`, p.line);
  }
  const top = stack[stack.length - 1]!;
  throw new ParseError(`HCL syntax error: %{ ${top.word} } without its %{ end${top.word} }`, top.line);
}
