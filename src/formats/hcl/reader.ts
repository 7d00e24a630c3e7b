import { ParseError } from "../errors.js";
import {
  clip,
  type HclBlock,
  type HclBody,
  type HclExpr,
  type HclObjectItem,
  MAX_HCL_DEPTH,
} from "./model.js";
import { type TemplatePiece, templateParts } from "./template.js";

/**
 * HCL native syntax, read in one pass: a scanner that makes one token at a time on demand (so
 * templates and heredocs are scanned by character where they start) under a recursive-descent
 * parser that follows HashiCorp's `hclsyntax` (parser.go, parser_template.go, scan_tokens.rl):
 * the same tokens, the same newline rules (newlines end attributes and object items and are
 * ignored inside brackets, parentheses, `${}` and `for` expressions), the same errors. Recursion
 * is bounded by MAX_HCL_DEPTH, and every loop moves forward through the text, so the time is
 * linear in its length.
 */

// Token kinds.
const EOF = 0;
const NL = 1; // a newline, or a `#`/`//` comment (which ends at one)
const IDENT = 2;
const NUMBER = 3;
const OQUOTE = 4;
const OHEREDOC = 5;
const LBRACE = 6;
const RBRACE = 7;
const STRIP_RBRACE = 8; // `~}`
const LBRACK = 9;
const RBRACK = 10;
const LPAREN = 11;
const RPAREN = 12;
const COMMA = 13;
const DOT = 14;
const ELLIPSIS = 15;
const EQ = 16;
const COLON = 17;
const QUESTION = 18;
const ARROW = 19;
const DCOLON = 20;
const BANG = 21;
const OP = 22; // a binary operator (`-` and `*` too); its precedence is in `prec`

const IDENT_RE = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const DIGITS = /^[0-9]+$/;
/** Go's bytes.TrimSpace set, for the line that closes a heredoc. */
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

type Directive = "if" | "else" | "endif" | "for" | "endfor";
const DIRECTIVES = new Set(["if", "else", "endif", "for", "endfor"]);

export class HclReader {
  private pos = 0;
  private line = 1;
  /** The current token (valid while `peeked`): kind, start, end, line, operator precedence. */
  private peeked = false;
  private tk = EOF;
  private ts = 0;
  private te = 0;
  private tl = 1;
  private prec = 0;
  private heredocMarker = "";
  private heredocFlush = false;
  /** End offset of the last token consumed (or template closed): where an expression's text ends. */
  private lastEnd = 0;
  /** Whether newlines are tokens here (bodies, objects) or ignored (brackets, parentheses, `${}`). */
  private newlines = true;
  private readonly newlineStack: boolean[] = [];

  constructor(private readonly src: string) {
    // hclsyntax skips a UTF-8 byte order mark at the start of a file.
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** A configuration file: a body, or one object (JSON-like HCL, nothing for Terraform to read). */
  parseFile(): HclBody {
    while (this.peek() === NL) this.next();
    if (this.tk !== LBRACE) return this.parseBody(0, 0);
    const line = this.tl;
    this.next();
    const obj = this.parseObject(this.ts, line, 1);
    if (obj.kind !== "object") this.fail("a file that starts with { must be one object", line);
    while (this.peek() === NL) this.next();
    if (this.peek() !== EOF) this.fail("unexpected text after the object", this.tl);
    return { attributes: [], blocks: [] };
  }

  // ---- structure -------------------------------------------------------------------------

  /** Attributes and blocks until `}` (a block's body, `openLine` its header) or the end of the file. */
  private parseBody(depth: number, openLine: number): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    const end = openLine > 0 ? RBRACE : EOF;
    for (;;) {
      const t = this.peek();
      if (t === NL) this.next();
      else if (t === end) {
        this.next();
        return body;
      } else if (t === IDENT) this.parseItem(body, depth);
      else if (t === EOF) this.fail("block not closed: no } before the end of the file", openLine);
      else
        this.fail(
          t === OQUOTE ? "argument names must not be quoted" : "expected an argument or a block",
          this.tl,
        );
    }
  }

  private parseItem(body: HclBody, depth: number): void {
    const name = this.text();
    const line = this.tl;
    this.next();
    const t = this.peek();
    if (t === EQ) {
      this.next();
      const expr = this.parseExpr(depth);
      this.endOfLine("argument");
      body.attributes.push({ name, line, expr });
    } else if (t === OQUOTE || t === IDENT || t === LBRACE)
      body.blocks.push(this.parseBlock(name, line, depth));
    else this.fail(`expected "=" or a block after ${name}`, this.tl);
  }

  private parseBlock(type: string, line: number, depth: number): HclBlock {
    if (depth >= MAX_HCL_DEPTH) throw new ParseError(`nested deeper than ${MAX_HCL_DEPTH} levels`, line);
    const labels: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t === LBRACE) break;
      if (t === IDENT) labels.push(this.text());
      else if (t === OQUOTE) {
        const at = this.tl;
        this.next();
        labels.push(this.readLabel(at));
        continue;
      } else if (t === NL) this.fail("a block's { must be on the line of its type and labels", this.tl);
      else this.fail("expected a quoted block label or {", this.tl);
      this.next();
    }
    this.next();
    const t = this.peek();
    let body: HclBody;
    if (t === NL || t === EOF || t === RBRACE) body = this.parseBody(depth + 1, line);
    else {
      // A one-line block holds at most one attribute: `lifecycle { prevent_destroy = true }`.
      if (t !== IDENT) this.fail("expected an argument in the one-line block", this.tl);
      const name = this.text();
      const at = this.tl;
      this.next();
      if (this.peek() !== EQ)
        this.fail("a one-line block holds a single argument; put a nested block on its own line", this.tl);
      this.next();
      const expr = this.parseExpr(depth + 1);
      if (this.peek() !== RBRACE) this.fail("a one-line block must close right after its argument", this.tl);
      this.next();
      body = { attributes: [{ name, line: at, expr }], blocks: [] };
    }
    const endLine = this.tl;
    this.endOfLine("block");
    return { type, labels, line, endLine, body };
  }

  private endOfLine(what: string): void {
    const t = this.peek();
    if (t === NL) this.next();
    else if (t !== EOF) this.fail(`expected a newline after the ${what}`, this.tl);
  }

  // ---- expressions -----------------------------------------------------------------------

  /** An expression as the model sees it: one node, `depth` deep (refused past MAX_HCL_DEPTH). */
  private parseExpr(depth: number): HclExpr {
    this.peek();
    const start = this.ts;
    const line = this.tl;
    if (depth >= MAX_HCL_DEPTH) throw new ParseError(`nested deeper than ${MAX_HCL_DEPTH} levels`, line);
    const first = this.parseBinary(depth, 1);
    if (this.peek() !== QUESTION) return first;
    // `a ? b : c ? d : e` associates to the right; read as a loop so a long chain needs no stack.
    do {
      this.next();
      this.parseExpr(depth + 1);
      if (this.peek() !== COLON) this.fail('expected ":" in the conditional', this.tl);
      this.next();
      this.parseBinary(depth + 1, 1);
    } while (this.peek() === QUESTION);
    return this.other(start, line);
  }

  /** Operators by precedence climbing; any operator makes the expression `other`. */
  private parseBinary(depth: number, minPrec: number): HclExpr {
    this.peek();
    const start = this.ts;
    const line = this.tl;
    const left = this.parseUnary(depth);
    let operated = false;
    while (this.peek() === OP && this.prec >= minPrec) {
      const prec = this.prec;
      this.next();
      this.parseBinary(depth, prec + 1);
      operated = true;
    }
    return operated ? this.other(start, line) : left;
  }

  private parseUnary(depth: number): HclExpr {
    const t = this.peek();
    if (t !== BANG && !(t === OP && this.src.charCodeAt(this.ts) === 45)) return this.parsePostfix(depth);
    const start = this.ts;
    const line = this.tl;
    do this.next();
    while (this.peek() === BANG || (this.tk === OP && this.src.charCodeAt(this.ts) === 45));
    this.parsePostfix(depth);
    return this.other(start, line);
  }

  /** A term and its traversals: `a.b[0].c` is a reference, a splat or computed index is `other`. */
  private parsePostfix(depth: number): HclExpr {
    const t = this.peek();
    const start = this.ts;
    const line = this.tl;
    const term = this.parseTerm(depth);
    let path = t === IDENT && term.kind === "ref" ? [...term.path] : undefined;
    let steps = 0;
    for (;;) {
      const p = this.peek();
      if (p === DOT) {
        this.next();
        const q = this.peek();
        if (q === IDENT) path?.push(this.text());
        else if (q === NUMBER) {
          // The legacy index `.0`; `.0.1` reads as the number 0.1 and is refused, as hclsyntax does.
          if (!DIGITS.test(this.text())) this.fail("invalid legacy index: write [0][1]", this.tl);
          path?.push(Number(this.text()));
        } else if (q === OP && this.src.charCodeAt(this.ts) === 42) path = undefined;
        else this.fail("expected an attribute name after .", this.tl);
        this.next();
      } else if (p === LBRACK) {
        this.next();
        if (this.peek() === OP && this.src.charCodeAt(this.ts) === 42) {
          this.next();
          if (this.peek() !== RBRACK) this.fail('expected "]" after [*', this.tl);
          this.next();
          path = undefined;
        } else {
          const key = this.parseIndexKey(depth + 1);
          if (key === undefined) path = undefined;
          else path?.push(key);
        }
      } else break;
      steps++;
    }
    if (steps === 0) return term;
    if (!path) return this.other(start, line);
    return { kind: "ref", path, text: clip(this.src.slice(start, this.lastEnd)), line };
  }

  /** `[key]`: the key when it is a bare number or string literal (not in parentheses). */
  private parseIndexKey(depth: number): string | number | undefined {
    this.pushNewlines(false);
    const first = this.peek();
    const key = this.parseExpr(depth);
    if (this.peek() !== RBRACK) this.fail('expected "]" after the index', this.tl);
    this.next();
    this.popNewlines();
    if ((first !== NUMBER && first !== OQUOTE) || key.kind !== "literal") return undefined;
    return typeof key.value === "number" || typeof key.value === "string" ? key.value : undefined;
  }

  private parseTerm(depth: number): HclExpr {
    const t = this.peek();
    const line = this.tl;
    const start = this.ts;
    switch (t) {
      case NUMBER: {
        const value = Number(this.text());
        if (Number.isNaN(value)) this.fail(`invalid number ${this.text()}`, line);
        this.next();
        return { kind: "literal", value, line };
      }
      case IDENT: {
        const name = this.text();
        this.next();
        const n = this.peek();
        if (n === LPAREN || n === DCOLON) return this.parseCall(name, line, depth);
        if (name === "true" || name === "false") return { kind: "literal", value: name === "true", line };
        if (name === "null") return { kind: "literal", value: null, line };
        return { kind: "ref", path: [name], text: name, line };
      }
      case OQUOTE: {
        this.next();
        const parts = templateParts(this.scanQuoted(depth, line, false), false, this.src);
        if (parts.every((p) => typeof p === "string"))
          return { kind: "literal", value: parts.join(""), line };
        return { kind: "template", parts, line, heredoc: false };
      }
      case OHEREDOC: {
        const marker = this.heredocMarker;
        const flush = this.heredocFlush;
        this.next();
        const parts = templateParts(this.scanHeredoc(marker, depth, line), flush, this.src);
        // The model's line of a heredoc is its first line of text.
        return { kind: "template", parts, line: line + 1, heredoc: true };
      }
      case LPAREN: {
        // Parentheses are transparent in the model: `(var.k)` is the reference inside.
        this.next();
        this.pushNewlines(false);
        const inner = this.parseExpr(depth + 1);
        if (this.peek() !== RPAREN) this.fail('expected ")"', this.tl);
        this.next();
        this.popNewlines();
        return inner;
      }
      case LBRACK:
        this.next();
        return this.parseTuple(start, line, depth);
      case LBRACE:
        this.next();
        return this.parseObject(start, line, depth);
      default:
        return this.fail(
          t === EOF ? "expected an expression before the end of the file" : "expected an expression",
          this.tl,
        );
    }
  }

  private parseCall(first: string, line: number, depth: number): HclExpr {
    let name = first;
    // Provider-defined functions: `provider::aws::arn_parse(…)`.
    while (this.peek() === DCOLON) {
      this.next();
      if (this.peek() !== IDENT) this.fail('expected a function name after "::"', this.tl);
      name += `::${this.text()}`;
      this.next();
    }
    if (this.peek() !== LPAREN) this.fail(`expected "(" after ${name}`, this.tl);
    this.next();
    this.pushNewlines(false);
    const args: HclExpr[] = [];
    if (this.peek() === RPAREN) this.next();
    else
      for (;;) {
        args.push(this.parseExpr(depth + 1));
        const s = this.peek();
        this.next();
        if (s === RPAREN) break;
        if (s === ELLIPSIS) {
          if (this.peek() !== RPAREN) this.fail('expected ")" after "..."', this.tl);
          this.next();
          break;
        }
        if (s !== COMMA)
          this.fail(
            s === EOF ? `${name}( not closed` : 'expected "," between arguments',
            s === EOF ? line : this.tl,
          );
        if (this.peek() === RPAREN) {
          this.next();
          break;
        }
      }
    this.popNewlines();
    return { kind: "call", name, args, line };
  }

  private parseTuple(start: number, line: number, depth: number): HclExpr {
    this.pushNewlines(false);
    let out: HclExpr;
    if (this.peek() === IDENT && this.text() === "for") out = this.parseFor(RBRACK, start, line, depth);
    else {
      const items: HclExpr[] = [];
      for (;;) {
        if (this.peek() === RBRACK) break;
        items.push(this.parseExpr(depth + 1));
        const s = this.peek();
        if (s === RBRACK) break;
        if (s !== COMMA)
          this.fail(s === EOF ? "[ not closed" : 'expected "," between items', s === EOF ? line : this.tl);
        this.next();
      }
      this.next();
      out = { kind: "tuple", items, line };
    }
    this.popNewlines();
    return out;
  }

  private parseObject(start: number, line: number, depth: number): HclExpr {
    // `for` is looked for with newlines ignored (for expressions are not newline-sensitive).
    this.pushNewlines(false);
    const isFor = this.peek() === IDENT && this.text() === "for";
    if (isFor) {
      const out = this.parseFor(RBRACE, start, line, depth);
      this.popNewlines();
      return out;
    }
    this.popNewlines();
    this.pushNewlines(true);
    const items: HclObjectItem[] = [];
    for (;;) {
      let t = this.peek();
      if (t === NL) {
        this.next();
        continue;
      }
      if (t === RBRACE) break;
      const at = this.tl;
      const key = this.parseExpr(depth + 1);
      t = this.peek();
      if (t !== EQ && t !== COLON)
        this.fail(t === EOF ? "{ not closed" : 'expected "=" after the key', t === EOF ? line : this.tl);
      this.next();
      const value = this.parseExpr(depth + 1);
      items.push({ key: objectKey(key), value, line: at });
      t = this.peek();
      if (t === RBRACE) break;
      if (t !== COMMA && t !== NL)
        this.fail(
          t === EOF ? "{ not closed" : "expected a newline or a comma after the value",
          t === EOF ? line : this.tl,
        );
      this.next();
    }
    this.next();
    this.popNewlines();
    return { kind: "object", items, line };
  }

  /** `k, v in coll` after `for`, in a for expression or a `%{for}` directive. */
  private parseForHead(depth: number, what: "expression" | "directive"): void {
    if (this.peek() !== IDENT) this.fail("expected a variable name after for", this.tl);
    this.next();
    if (this.peek() === COMMA) {
      this.next();
      if (this.peek() !== IDENT) this.fail("expected a variable name after ,", this.tl);
      this.next();
    }
    if (this.peek() !== IDENT || this.text() !== "in") this.fail(`expected "in" in the for ${what}`, this.tl);
    this.next();
    this.parseExpr(depth + 1);
  }

  /** `[for k, v in coll : expr if cond]` or `{for k, v in coll : k => v... if cond}`: `other`. */
  private parseFor(close: number, start: number, line: number, depth: number): HclExpr {
    this.next();
    this.parseForHead(depth, "expression");
    if (this.peek() !== COLON) this.fail('expected ":" in the for expression', this.tl);
    this.next();
    this.parseExpr(depth + 1);
    if (close === RBRACE) {
      if (this.peek() !== ARROW) this.fail('expected "=>" in the object for expression', this.tl);
      this.next();
      this.parseExpr(depth + 1);
      if (this.peek() === ELLIPSIS) this.next();
    }
    if (this.peek() === IDENT && this.text() === "if") {
      this.next();
      this.parseExpr(depth + 1);
    }
    if (this.peek() !== close) this.fail("unexpected text in the for expression", this.tl);
    this.next();
    return this.other(start, line);
  }

  // ---- templates -------------------------------------------------------------------------

  /** A quoted string after its `"`: escapes, `${}`/`%{}` sequences and `$${`/`%%{`. */
  private scanQuoted(depth: number, openLine: number, label: boolean): TemplatePiece[] {
    const s = this.src;
    const pieces: TemplatePiece[] = [];
    let text = "";
    let p = this.pos;
    let run = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 34) break;
      if (p >= s.length || c === 10 || c === 13) this.fail("string not closed on its line", openLine);
      if (c === 92) {
        text += s.slice(run, p) + this.escape(p);
        p += s.charCodeAt(p + 1) === 117 ? 6 : s.charCodeAt(p + 1) === 85 ? 10 : 2;
        run = p;
      } else if ((c === 36 || c === 37) && s.charCodeAt(p + 1) === 123) {
        if (label) this.fail("a block label cannot hold template sequences", openLine);
        text += s.slice(run, p);
        if (text) pieces.push({ k: "lit", v: text });
        text = "";
        p = this.scanSequence(p, pieces, depth);
        run = p;
      } else if ((c === 36 || c === 37) && s.charCodeAt(p + 1) === c && s.charCodeAt(p + 2) === 123) {
        text += `${s.slice(run, p + 1)}{`;
        p += 3;
        run = p;
      } else p++;
    }
    text += s.slice(run, p);
    if (text) pieces.push({ k: "lit", v: text });
    this.pos = p + 1;
    this.lastEnd = p + 1;
    return pieces;
  }

  private escape(p: number): string {
    const s = this.src;
    const c = s[p + 1];
    switch (c) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U": {
        const hex = s.slice(p + 2, p + (c === "u" ? 6 : 10));
        const cp =
          /^[0-9a-fA-F]+$/.test(hex) && hex.length === (c === "u" ? 4 : 8) ? Number.parseInt(hex, 16) : -1;
        // Go cannot encode surrogates or code points past U+10FFFF, and hclsyntax refuses them.
        if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          this.fail(`invalid escape \\${c}${hex}`, this.line);
        return String.fromCodePoint(cp);
      }
      default:
        return this.fail(`invalid escape \\${c ?? ""}`, this.line);
    }
  }

  /** A heredoc's lines after its `<<EOT` line, up to the line that is only the marker. */
  private scanHeredoc(marker: string, depth: number, openLine: number): TemplatePiece[] {
    const s = this.src;
    const n = s.length;
    const pieces: TemplatePiece[] = [];
    let p = this.pos;
    let run = p;
    let text = "";
    let lineStart = true;
    for (;;) {
      if (lineStart) {
        lineStart = false;
        const end = this.closingMarker(p, marker);
        if (end >= 0) {
          this.lastEnd = end;
          // The newline after the marker is left to end the attribute, as hclsyntax does.
          this.pos = s.indexOf("\n", end);
          if (s.charCodeAt(this.pos - 1) === 13) this.pos--;
          return pieces;
        }
      }
      if (p >= n) this.fail(`heredoc not closed: no ${marker} line before the end of the file`, openLine);
      const c = s.charCodeAt(p);
      if (c === 10) {
        text += s.slice(run, p + 1);
        pieces.push({ k: "lit", v: text });
        text = "";
        p++;
        run = p;
        this.line++;
        lineStart = true;
      } else if ((c === 36 || c === 37) && s.charCodeAt(p + 1) === 123) {
        text += s.slice(run, p);
        if (text) pieces.push({ k: "lit", v: text });
        text = "";
        p = this.scanSequence(p, pieces, depth);
        run = p;
      } else if ((c === 36 || c === 37) && s.charCodeAt(p + 1) === c && s.charCodeAt(p + 2) === 123) {
        text += `${s.slice(run, p + 1)}{`;
        p += 3;
        run = p;
      } else p++;
    }
  }

  /** The end of the marker if the line at `p` is only the marker (and spaces) and a newline, else -1. */
  private closingMarker(p: number, marker: string): number {
    const s = this.src;
    let q = p;
    while (q < s.length && s.charCodeAt(q) !== 10 && isSpace(s.charCodeAt(q))) q++;
    if (!s.startsWith(marker, q)) return -1;
    const end = q + marker.length;
    let r = end;
    while (r < s.length && s.charCodeAt(r) !== 10 && isSpace(s.charCodeAt(r))) r++;
    return s.charCodeAt(r) === 10 ? end : -1;
  }

  /** `${ expr }` or `%{ directive }` at `p`, with strip markers; returns the offset after its `}`. */
  private scanSequence(p: number, pieces: TemplatePiece[], depth: number): number {
    const directive = this.src.charCodeAt(p) === 37;
    const line = this.line;
    let q = p + 2;
    const stripBefore = this.src.charCodeAt(q) === 126;
    if (stripBefore) q++;
    this.pos = q;
    this.peeked = false;
    this.pushNewlines(false);
    if (!directive) {
      const e = this.parseExpr(depth + 1);
      const stripAfter = this.closeSequence();
      pieces.push({ k: "interp", e, stripBefore, stripAfter });
    } else {
      if (this.peek() !== IDENT || !DIRECTIVES.has(this.text()))
        this.fail("expected if, for, else, endif or endfor after %{", this.tl);
      const word = this.text() as Directive;
      this.next();
      if (word === "if") this.parseExpr(depth + 1);
      else if (word === "for") this.parseForHead(depth, "directive");
      const stripAfter = this.closeSequence();
      pieces.push({ k: "dir", word, stripBefore, stripAfter, start: p, end: this.pos, line });
    }
    this.popNewlines();
    return this.pos;
  }

  private closeSequence(): boolean {
    const t = this.peek();
    if (t !== RBRACE && t !== STRIP_RBRACE) this.fail('expected "}" to close the template sequence', this.tl);
    this.next();
    return t === STRIP_RBRACE;
  }

  /** A block label after its `"`: a string without template sequences. */
  private readLabel(line: number): string {
    const pieces = this.scanQuoted(0, line, true);
    return pieces.map((p) => (p.k === "lit" ? p.v : "")).join("");
  }

  // ---- tokens ----------------------------------------------------------------------------

  private peek(): number {
    for (;;) {
      if (!this.peeked) {
        this.scan();
        this.peeked = true;
      }
      if (this.tk !== NL || this.newlines) return this.tk;
      this.peeked = false;
    }
  }

  private next(): void {
    this.peek();
    this.peeked = false;
    this.lastEnd = this.te;
  }

  private text(): string {
    return this.src.slice(this.ts, this.te);
  }

  private pushNewlines(on: boolean): void {
    this.newlineStack.push(this.newlines);
    this.newlines = on;
  }

  private popNewlines(): void {
    this.newlines = this.newlineStack.pop() ?? true;
  }

  private other(start: number, line: number): HclExpr {
    return { kind: "other", text: clip(this.src.slice(start, this.lastEnd)), line };
  }

  private fail(message: string, line: number): never {
    throw new ParseError(`HCL syntax error: ${message}`, line);
  }

  /** The next token from `pos`, past spaces, tabs and `/* … *\/` comments. */
  private scan(): void {
    const s = this.src;
    const n = s.length;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 9) p++;
      else if (c === 47 && s.charCodeAt(p + 1) === 42) {
        const end = s.indexOf("*/", p + 2);
        if (end < 0) this.fail("comment not closed: no */ before the end of the file", this.line);
        for (let i = p + 2; i < end; i++) if (s.charCodeAt(i) === 10) this.line++;
        p = end + 2;
      } else break;
    }
    this.ts = p;
    this.tl = this.line;
    if (p >= n) {
      this.tk = EOF;
      this.te = this.pos = p;
      return;
    }
    const c = s.charCodeAt(p);
    const d = s.charCodeAt(p + 1);
    let kind = OP;
    let len = 1;
    switch (c) {
      case 10:
        kind = NL;
        this.line++;
        break;
      case 13:
        if (d !== 10) this.fail("a carriage return outside a line break", this.line);
        kind = NL;
        len = 2;
        this.line++;
        break;
      case 35: // #
        this.lineComment(p);
        return;
      case 47: // /
        if (d === 47) {
          this.lineComment(p);
          return;
        }
        this.prec = 6;
        break;
      case 34:
        kind = OQUOTE;
        break;
      case 123:
        kind = LBRACE;
        break;
      case 125:
        kind = RBRACE;
        break;
      case 126: // ~}
        if (d !== 125) this.fail('unexpected "~"', this.line);
        kind = STRIP_RBRACE;
        len = 2;
        break;
      case 91:
        kind = LBRACK;
        break;
      case 93:
        kind = RBRACK;
        break;
      case 40:
        kind = LPAREN;
        break;
      case 41:
        kind = RPAREN;
        break;
      case 44:
        kind = COMMA;
        break;
      case 46:
        if (d === 46 && s.charCodeAt(p + 2) === 46) {
          kind = ELLIPSIS;
          len = 3;
        } else kind = DOT;
        break;
      case 61: // = == =>
        if (d === 61) {
          this.prec = 3;
          len = 2;
        } else if (d === 62) {
          kind = ARROW;
          len = 2;
        } else kind = EQ;
        break;
      case 58:
        if (d === 58) {
          kind = DCOLON;
          len = 2;
        } else kind = COLON;
        break;
      case 63:
        kind = QUESTION;
        break;
      case 33: // ! !=
        if (d === 61) {
          this.prec = 3;
          len = 2;
        } else kind = BANG;
        break;
      case 60: // < <= <<EOT
        if (d === 60 && this.heredocStart(p)) return;
        this.prec = 4;
        if (d === 61) len = 2;
        break;
      case 62:
        this.prec = 4;
        if (d === 61) len = 2;
        break;
      case 43:
      case 45:
        this.prec = 5;
        break;
      case 42:
      case 37:
        this.prec = 6;
        break;
      case 38:
      case 124: // && ||
        if (d !== c) this.fail(`unexpected "${s[p]}"`, this.line);
        this.prec = c === 38 ? 2 : 1;
        len = 2;
        break;
      default:
        if (c >= 48 && c <= 57) {
          kind = NUMBER;
          len = this.numberLength(p);
        } else {
          IDENT_RE.lastIndex = p;
          if (!IDENT_RE.test(s))
            this.fail(
              `unexpected character ${JSON.stringify(String.fromCodePoint(s.codePointAt(p)!))}`,
              this.line,
            );
          kind = IDENT;
          len = IDENT_RE.lastIndex - p;
        }
    }
    this.tk = kind;
    this.te = this.pos = p + len;
  }

  private lineComment(p: number): void {
    const nl = this.src.indexOf("\n", p);
    this.tk = NL;
    if (nl < 0) this.te = this.pos = this.src.length;
    else {
      this.te = this.pos = nl + 1;
      this.line++;
    }
  }

  /** hclsyntax's NumberLit: digits, `.digits`, `e±digits`, never ending on a dot. */
  private numberLength(p: number): number {
    const s = this.src;
    const digit = (i: number) => {
      const c = s.charCodeAt(i);
      return c >= 48 && c <= 57;
    };
    let q = p + 1;
    for (;;) {
      const c = s.charCodeAt(q);
      if (digit(q)) q++;
      else if (c === 46 && digit(q + 1)) q += 2;
      else if ((c === 101 || c === 69) && digit(q + 1)) q += 2;
      else if (
        (c === 101 || c === 69) &&
        (s.charCodeAt(q + 1) === 43 || s.charCodeAt(q + 1) === 45) &&
        digit(q + 2)
      )
        q += 3;
      else return q - p;
    }
  }

  /** `<<EOT` or `<<-EOT` and its newline; false if what follows `<<` is not a heredoc's start. */
  private heredocStart(p: number): boolean {
    const s = this.src;
    let q = p + 2;
    const flush = s.charCodeAt(q) === 45;
    if (flush) q++;
    IDENT_RE.lastIndex = q;
    if (!IDENT_RE.test(s)) return false;
    const markerEnd = IDENT_RE.lastIndex;
    let r = markerEnd;
    if (s.charCodeAt(r) === 13) r++;
    if (s.charCodeAt(r) !== 10) return false;
    this.tk = OHEREDOC;
    this.heredocMarker = s.slice(q, markerEnd);
    this.heredocFlush = flush;
    this.te = this.pos = r + 1;
    this.line++;
    return true;
  }
}

/** `Action = …`, `"Action" = …` and `(k) = …` name their key; anything else is computed. */
function objectKey(key: HclExpr): string | undefined {
  if (key.kind === "ref" && key.path.length === 1) return String(key.path[0]);
  if (key.kind === "literal" && typeof key.value === "string") return key.value;
  return undefined;
}
