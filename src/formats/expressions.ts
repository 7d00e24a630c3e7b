/**
 * GitHub Actions expressions (`${{ … }}`): a tokenizer, a parser and the two
 * questions the checks ask of an expression — which context paths it reads,
 * and which of those can reach its *value* (the text substituted into a
 * script). `contains(github.event.issue.title, 'x')` reads the title but
 * yields a boolean; `format('{0}', github.event.issue.title)` yields the title.
 *
 * Grammar (https://docs.github.com/actions/reference/evaluate-expressions):
 * literals (null, booleans, numbers, 'single-quoted' strings with '' escapes),
 * context access with `.name`, `['name']`, `[expr]` and `.*` / `[*]` filters,
 * function calls, `!`, comparisons, `==`/`!=`, `&&`, `||` and parentheses.
 */

export type Expr =
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "context"; name: string }
  | { kind: "property"; object: Expr; name: string }
  | { kind: "index"; object: Expr; index: Expr }
  | { kind: "star"; object: Expr }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "unary"; op: "!"; operand: Expr }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr };

export type BinaryOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||";

/** A context path in lower case (GitHub compares them case-insensitively); `*` for a filter or a computed index. */
export type ContextPath = readonly string[];

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** One `${{ … }}` inside a string. Offsets are into that string; `end` is past the closing `}}`. */
export interface EmbeddedExpression {
  start: number;
  end: number;
  /** The text between `${{` and `}}`. */
  body: string;
  bodyStart: number;
}

/** Bounds on hostile input: expressions GitHub itself would reject long before these. */
export const MAX_EXPRESSION_LENGTH = 20_000;
const MAX_DEPTH = 100;
const MAX_EXPRESSIONS = 2_000;

/**
 * Finds every `${{ … }}` in a string, honouring string literals (a `}}` inside
 * `'…'` does not close the expression). Multi-line and oddly spaced
 * expressions are found too; an unterminated `${{` ends the scan.
 */
export function findExpressions(text: string): EmbeddedExpression[] {
  const out: EmbeddedExpression[] = [];
  let from = 0;
  while (out.length < MAX_EXPRESSIONS) {
    const start = text.indexOf("${{", from);
    if (start === -1) break;
    const bodyStart = start + 3;
    let i = bodyStart;
    let close = -1;
    const limit = Math.min(text.length, bodyStart + MAX_EXPRESSION_LENGTH);
    while (i < limit) {
      const c = text[i];
      if (c === "'") {
        i++;
        while (i < limit) {
          if (text[i] === "'") {
            if (text[i + 1] === "'") i += 2;
            else break;
          } else i++;
        }
        i++;
        continue;
      }
      if (c === "}" && text[i + 1] === "}") {
        close = i;
        break;
      }
      i++;
    }
    if (close === -1) break;
    out.push({ start, end: close + 2, body: text.slice(bodyStart, close), bodyStart });
    from = close + 2;
  }
  return out;
}

type Token =
  | { type: "number"; value: number; pos: number }
  | { type: "string"; value: string; pos: number }
  | { type: "ident"; value: string; pos: number }
  | { type: "punct"; value: string; pos: number }
  | { type: "end"; pos: number };

const PUNCT = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ",", ".", "*"];

export function tokenize(source: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError("expression too long", 0);
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new ExpressionError("unterminated string", i);
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j++;
      }
      tokens.push({ type: "string", value, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-f]+|[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i.exec(source.slice(i, i + 64));
    // A number cannot follow a `.` (that would be a property like `steps.1abc`).
    if (num && /[\d.+-]/.test(c) && tokens.at(-1)?.type !== "ident" && !isDot(tokens.at(-1))) {
      const text = num[0];
      if (!(text === "+" || text === "-" || text === ".")) {
        tokens.push({ type: "number", value: Number(text), pos: i });
        i += text.length;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_-]/.test(source[j]!)) j++;
      tokens.push({ type: "ident", value: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    // Property names after a dot may start with a digit or contain dashes (`steps.1st-step`).
    if (isDot(tokens.at(-1)) && /[0-9-]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_-]/.test(source[j]!)) j++;
      tokens.push({ type: "ident", value: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    const p = PUNCT.find((op) => source.startsWith(op, i));
    if (!p) throw new ExpressionError(`unexpected character ${JSON.stringify(c)}`, i);
    tokens.push({ type: "punct", value: p, pos: i });
    i += p.length;
  }
  tokens.push({ type: "end", pos: source.length });
  return tokens;
}

function isDot(t: Token | undefined): boolean {
  return t?.type === "punct" && t.value === ".";
}

const PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
};

/** Parses the body of one expression (without `${{ }}`). Throws `ExpressionError`. */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isPunct = (v: string) => {
    const t = peek();
    return t.type === "punct" && t.value === v;
  };
  const expect = (v: string) => {
    if (!isPunct(v)) throw new ExpressionError(`expected "${v}"`, peek().pos);
    pos++;
  };
  const enter = () => {
    if (++depth > MAX_DEPTH) throw new ExpressionError("expression nested too deeply", peek().pos);
  };

  const binary = (minPrec: number): Expr => {
    enter();
    let left = unary();
    for (;;) {
      const t = peek();
      const prec = t.type === "punct" ? PRECEDENCE[t.value] : undefined;
      if (prec === undefined || prec < minPrec) break;
      pos++;
      const right = binary(prec + 1);
      left = { kind: "binary", op: (t as { value: string }).value as BinaryOp, left, right };
    }
    depth--;
    return left;
  };

  const unary = (): Expr => {
    if (isPunct("!")) {
      pos++;
      enter();
      const operand = unary();
      depth--;
      return { kind: "unary", op: "!", operand };
    }
    return postfix(primary());
  };

  const primary = (): Expr => {
    const t = next();
    if (t.type === "number" || t.type === "string") return { kind: "literal", value: t.value };
    if (t.type === "punct" && t.value === "(") {
      const inner = binary(1);
      expect(")");
      return inner;
    }
    if (t.type === "ident") {
      const lower = t.value.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true" };
      if (lower === "null") return { kind: "literal", value: null };
      if (isPunct("(")) {
        pos++;
        const args: Expr[] = [];
        if (!isPunct(")")) {
          for (;;) {
            args.push(binary(1));
            if (isPunct(",")) {
              pos++;
              continue;
            }
            break;
          }
        }
        expect(")");
        return { kind: "call", name: lower, args };
      }
      return { kind: "context", name: lower };
    }
    throw new ExpressionError(t.type === "end" ? "unexpected end of expression" : "unexpected token", t.pos);
  };

  const postfix = (object: Expr): Expr => {
    for (let links = 0; ; links++) {
      if (links > MAX_DEPTH) throw new ExpressionError("property chain too long", peek().pos);
      if (isPunct(".")) {
        pos++;
        const t = next();
        if (t.type === "punct" && t.value === "*") object = { kind: "star", object };
        else if (t.type === "ident") object = { kind: "property", object, name: t.value.toLowerCase() };
        else if (t.type === "number") object = { kind: "property", object, name: String(t.value) };
        else throw new ExpressionError("expected a property name after '.'", t.pos);
      } else if (isPunct("[")) {
        pos++;
        if (isPunct("*")) {
          pos++;
          object = { kind: "star", object };
        } else {
          const index = binary(1);
          object =
            index.kind === "literal" && typeof index.value === "string"
              ? { kind: "property", object, name: index.value.toLowerCase() }
              : { kind: "index", object, index };
        }
        expect("]");
      } else {
        return object;
      }
    }
  };

  const expr = binary(1);
  if (peek().type !== "end") throw new ExpressionError("unexpected token after expression", peek().pos);
  return expr;
}

/** The context path of an access chain (`github.event['pull_request'].title`), or undefined. */
export function accessPath(expr: Expr): string[] | undefined {
  switch (expr.kind) {
    case "context":
      return [expr.name];
    case "property": {
      const base = accessPath(expr.object);
      return base ? [...base, expr.name] : undefined;
    }
    case "star": {
      const base = accessPath(expr.object);
      return base ? [...base, "*"] : undefined;
    }
    case "index": {
      const base = accessPath(expr.object);
      if (!base) return undefined;
      const i = expr.index;
      return [...base, i.kind === "literal" && i.value !== null ? String(i.value).toLowerCase() : "*"];
    }
    default:
      return undefined;
  }
}

/** Functions whose result is a boolean or a hash: attacker text read by them never reaches the value. */
const OPAQUE_FUNCTIONS = new Set([
  "contains",
  "startswith",
  "endswith",
  "hashfiles",
  "success",
  "always",
  "failure",
  "cancelled",
]);

/** Every context path the expression reads, anywhere (conditions included). */
export function readPaths(expr: Expr): ContextPath[] {
  const out: ContextPath[] = [];
  const visit = (e: Expr) => {
    const path = accessPath(e);
    if (path) {
      out.push(path);
      // A computed index reads its own paths too (`github.event[inputs.field]`).
      collectIndexReads(e, visit);
      return;
    }
    switch (e.kind) {
      case "call":
        e.args.forEach(visit);
        break;
      case "unary":
        visit(e.operand);
        break;
      case "binary":
        visit(e.left);
        visit(e.right);
        break;
      case "property":
      case "star":
        visit(e.object);
        break;
      case "index":
        visit(e.object);
        visit(e.index);
        break;
      default:
        break;
    }
  };
  visit(expr);
  return out;
}

function collectIndexReads(e: Expr, visit: (e: Expr) => void): void {
  if (e.kind === "index") {
    visit(e.index);
    collectIndexReads(e.object, visit);
  } else if (e.kind === "property" || e.kind === "star") {
    collectIndexReads(e.object, visit);
  }
}

/**
 * The context paths whose content can appear in the expression's value: what
 * would be pasted into a script. Comparisons, `!`, and boolean or hash
 * functions stop the flow; `&&`, `||`, `format`, `join`, `toJSON`, `fromJSON`
 * and unknown functions pass it on.
 */
export function valuePaths(expr: Expr): ContextPath[] {
  const path = accessPath(expr);
  if (path) return [path];
  switch (expr.kind) {
    case "literal":
    case "context":
      return [];
    case "unary":
      return [];
    case "binary":
      if (expr.op === "&&" || expr.op === "||") return [...valuePaths(expr.left), ...valuePaths(expr.right)];
      return [];
    case "call":
      if (OPAQUE_FUNCTIONS.has(expr.name)) return [];
      return expr.args.flatMap(valuePaths);
    case "property":
    case "star":
    case "index":
      // A member of a computed value, e.g. fromJSON(steps.x.outputs.json).title.
      return valuePaths(expr.object);
    default:
      return [];
  }
}

/**
 * The text an expression evaluates to, as far as it is known without running
 * it: literals as GitHub prints them, a context path as `${{ path }}`, and
 * `format()` with a literal template filled in (`{{` and `}}` are braces).
 * Anything else (operators, other functions, computed values) is undefined.
 * `format('refs/pull/{0}/head', github.event.issue.number)` gives
 * `refs/pull/${{ github.event.issue.number }}/head`.
 */
export function staticText(expr: Expr, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (expr.kind === "literal") return expr.value === null ? "" : String(expr.value);
  const path = accessPath(expr);
  if (path) return `\${{ ${path.join(".")} }}`;
  if (expr.kind !== "call" || expr.name !== "format") return undefined;
  const [template, ...args] = expr.args;
  if (template?.kind !== "literal" || typeof template.value !== "string") return undefined;
  let out = "";
  const t = template.value;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if ((c === "{" || c === "}") && t[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    const slot = c === "{" ? /^\{(\d+)\}/.exec(t.slice(i, i + 12)) : null;
    if (slot) {
      const arg = args[Number(slot[1])];
      if (!arg) return undefined;
      out += staticText(arg, depth + 1) ?? `\${{ ${printExpression(arg)} }}`;
      i += slot[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** A string with each `${{ }}` replaced by its `staticText` (unchanged where that is unknown). */
export function renderExpressions(text: string): string {
  if (!text.includes("${{")) return text;
  let out = "";
  let from = 0;
  for (const e of findExpressions(text)) {
    const facts = analyseExpression(e.body);
    const rendered = facts.ast ? staticText(facts.ast) : undefined;
    out += text.slice(from, e.start) + (rendered ?? text.slice(e.start, e.end));
    from = e.end;
  }
  return out + text.slice(from);
}

/** Canonical text of an expression: stable across spacing and quoting, for fingerprints and messages. */
export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case "literal":
      if (typeof expr.value === "string") return `'${expr.value.replace(/'/g, "''")}'`;
      return String(expr.value);
    case "context":
      return expr.name;
    case "property":
      return /^[a-z_][a-z0-9_-]*$/i.test(expr.name)
        ? `${printExpression(expr.object)}.${expr.name}`
        : `${printExpression(expr.object)}['${expr.name.replace(/'/g, "''")}']`;
    case "star":
      return `${printExpression(expr.object)}.*`;
    case "index":
      return `${printExpression(expr.object)}[${printExpression(expr.index)}]`;
    case "call":
      return `${expr.name}(${expr.args.map(printExpression).join(", ")})`;
    case "unary":
      return `!${wrap(expr.operand, expr)}`;
    case "binary":
      return `${wrap(expr.left, expr)} ${expr.op} ${wrap(expr.right, expr)}`;
  }
}

function wrap(child: Expr, parent: Expr): string {
  const text = printExpression(child);
  if (child.kind !== "binary") return text;
  if (parent.kind === "unary") return `(${text})`;
  if (parent.kind === "binary" && PRECEDENCE[child.op]! <= PRECEDENCE[parent.op]!) return `(${text})`;
  return text;
}

/** What a check needs to know about one expression, even a malformed one. */
export interface ExpressionFacts {
  /** Canonical text (the raw body, whitespace-collapsed, when it did not parse). */
  text: string;
  ast?: Expr;
  reads: ContextPath[];
  values: ContextPath[];
  error?: string;
}

/**
 * Parses an expression body. A body that does not parse is still analysed
 * conservatively: every dotted name in it counts as read and as reaching the
 * value, so malformed input can hide nothing.
 */
export function analyseExpression(body: string): ExpressionFacts {
  // Workflows repeat the same few expressions many times; facts are never mutated, so share them.
  const cached = factsCache.get(body);
  if (cached) return cached;
  const facts = analyseUncached(body);
  if (factsCache.size >= FACTS_CACHE_SIZE) factsCache.clear();
  factsCache.set(body, facts);
  return facts;
}

const FACTS_CACHE_SIZE = 5_000;
const factsCache = new Map<string, ExpressionFacts>();

function analyseUncached(body: string): ExpressionFacts {
  try {
    const ast = parseExpression(body);
    return { text: printExpression(ast), ast, reads: readPaths(ast), values: valuePaths(ast) };
  } catch (e) {
    const paths = loosePaths(body);
    return {
      text: body.replace(/\s+/g, " ").trim().slice(0, 500),
      reads: paths,
      values: paths,
      error: (e as Error).message,
    };
  }
}

function loosePaths(body: string): ContextPath[] {
  const out: ContextPath[] = [];
  const re = /[A-Za-z_][A-Za-z0-9_-]*(?:\s*(?:\.\s*(?:[A-Za-z0-9_-]+|\*)|\[\s*(?:'[^']*'|\*)\s*\]))*/g;
  for (const m of body.slice(0, MAX_EXPRESSION_LENGTH).matchAll(re)) {
    const parts = [...m[0].matchAll(/'([^']*)'|([A-Za-z0-9_*-]+)/g)].map((p) =>
      (p[1] ?? p[2]!).toLowerCase(),
    );
    if (parts.length > 0) out.push(parts);
  }
  return out;
}

/**
 * Whether `path` matches `pattern`; `*` in either matches any one segment.
 * With `prefix`, a path that stops early (an object containing the pattern,
 * like `github.event.pull_request` for `…pull_request.title`) matches too.
 */
export function pathMatches(path: ContextPath, pattern: ContextPath, prefix = false): boolean {
  if (path.length > pattern.length) return false;
  if (path.length < pattern.length && !prefix) return false;
  for (let i = 0; i < path.length; i++) {
    const a = path[i]!;
    const b = pattern[i]!;
    if (a !== b && a !== "*" && b !== "*") return false;
  }
  return true;
}
