/**
 * A line-oriented reader of HCL attributes, enough for Packer templates
 * (`*.pkr.hcl`): block headers (`source "amazon-ebs" "web" {`), attributes
 * (`name = value`) with their block path, values that span lines (lists,
 * objects and heredocs `<<EOF`/`<<-EOF`) and the string literals in them
 * with positions. Not a full HCL parser: expressions are kept as text, and
 * one-line blocks (`x { a = 1 }`) are not split. Linear: each line is read
 * once; an unterminated heredoc or list runs to the end of the file.
 */

export interface HclString {
  value: string;
  line: number;
  /** 1-based column of the value's first character. */
  column: number;
  /** Holds a `${…}` template expression. */
  interpolated: boolean;
}

export interface HclAttribute {
  name: string;
  /** Enclosing blocks, outermost first: `source.amazon-ebs.web`, `build.provisioner.shell`. */
  blocks: Array<{ type: string; labels: string[]; line: number }>;
  /** The value's text (all its lines, joined by `\n`). */
  value: string;
  line: number;
  column: number;
  strings: HclString[];
}

const HEADER = /^\s*([A-Za-z_][\w-]*)((?:\s+"[^"\n]*"|\s+[A-Za-z_][\w-]*)*)\s*\{\s*$/;
const ATTRIBUTE = /^(\s*)([A-Za-z_][\w-]*)\s*=\s*/;
const HEREDOC = /^<<-?([A-Za-z_][\w]*)\s*$/;
const STRING = /"((?:[^"\\\n]|\\.){0,4096})"/g;
const MAX_LINE = 65_536;

export function readHclAttributes(text: string): HclAttribute[] {
  const lines = text.split("\n");
  const out: HclAttribute[] = [];
  const blocks: HclAttribute["blocks"] = [];
  let open: { attr: HclAttribute; depth: number; heredoc?: string } | undefined;
  let inComment = false;
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = (rawLine.length > MAX_LINE ? rawLine.slice(0, MAX_LINE) : rawLine).replace(/\r$/, "");
    if (open?.heredoc !== undefined) {
      if (line.trim() === open.heredoc) open = undefined;
      else addLine(open.attr, line, lineNo, 0, true);
      return;
    }
    const code = stripComments(line, inComment);
    inComment = code.inComment;
    if (open) {
      addLine(open.attr, code.text, lineNo, 0, false);
      open.depth += depthChange(code.text);
      if (open.depth <= 0) open = undefined;
      return;
    }
    const header = HEADER.exec(code.text);
    if (header) {
      const labels = [...header[2]!.matchAll(/"([^"\n]*)"|([A-Za-z_][\w-]*)/g)].map((m) => m[1] ?? m[2]!);
      blocks.push({ type: header[1]!, labels, line: lineNo });
      return;
    }
    if (/^\s*\}\s*$/.test(code.text)) {
      blocks.pop();
      return;
    }
    const m = ATTRIBUTE.exec(code.text);
    if (!m) return;
    const valueText = code.text.slice(m[0].length);
    const attr: HclAttribute = {
      name: m[2]!,
      blocks: blocks.slice(),
      value: "",
      line: lineNo,
      column: m[1]!.length + 1,
      strings: [],
    };
    out.push(attr);
    const heredoc = HEREDOC.exec(valueText.trim());
    if (heredoc) {
      open = { attr, depth: 0, heredoc: heredoc[1]! };
      return;
    }
    addLine(attr, valueText, lineNo, m[0].length, false);
    const depth = depthChange(valueText);
    if (depth > 0) open = { attr, depth };
  });
  return out;
}

function addLine(attr: HclAttribute, text: string, line: number, offset: number, heredoc: boolean): void {
  attr.value = attr.value === "" ? text : `${attr.value}\n${text}`;
  if (heredoc) {
    attr.strings.push({ value: text, line, column: 1, interpolated: text.includes("${") });
    return;
  }
  STRING.lastIndex = 0;
  for (let m = STRING.exec(text); m; m = STRING.exec(text)) {
    attr.strings.push({
      value: m[1]!,
      line,
      column: offset + m.index + 2,
      interpolated: m[1]!.includes("${"),
    });
  }
}

/** Brackets opened minus closed, outside strings. */
function depthChange(text: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
  }
  return depth;
}

/** Removes `#`, `//` and `/* … *\/` comments outside strings; `inComment` carries a block comment over lines. */
function stripComments(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let out = "";
  let quoted = false;
  let i = 0;
  if (inComment) {
    const close = line.indexOf("*/");
    if (close === -1) return { text: "", inComment: true };
    i = close + 2;
    out = " ".repeat(i);
  }
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      out += c;
      if (c === "\\" && i + 1 < line.length) out += line[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "#" || (c === "/" && line[i + 1] === "/")) return { text: out, inComment: false };
    else if (c === "/" && line[i + 1] === "*") {
      const close = line.indexOf("*/", i + 2);
      if (close === -1) return { text: out, inComment: true };
      out += " ".repeat(close + 2 - i);
      i = close + 1;
      continue;
    }
    out += c;
  }
  return { text: out, inComment: false };
}
