/**
 * Salt states and pillars (`*.sls`) are YAML rendered through Jinja. Nothing
 * is rendered here: Jinja statement and comment lines (`{% for … %}`,
 * `{# … #}`) become blank lines, and each `{{ … }}` expression becomes a
 * placeholder of the same length (`_J__…`), so the rest parses as YAML with
 * every line and column where the author wrote it, and a value holding a
 * placeholder is known to be unknown. Linear: one pass over each line.
 */

const PLACEHOLDER = /_J__/;

/** Whether a value came (partly) from a Jinja expression. */
export function isJinjaPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

export function saltToYaml(text: string): string {
  const lines = text.split("\n");
  let open: "%}" | "#}" | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      const close = line.indexOf(open);
      if (close === -1) {
        lines[i] = "";
        continue;
      }
      lines[i] = " ".repeat(close + 2) + line.slice(close + 2);
      open = undefined;
    }
    if (!line.includes("{")) continue;
    const result = maskLine(lines[i]!);
    lines[i] = result.text;
    open = result.open;
  }
  return lines.join("\n");
}

function maskLine(line: string): { text: string; open?: "%}" | "#}" } {
  let out = "";
  let i = 0;
  const trimmed = line.trim();
  const jinjaOnly = /^\{[%#]/.test(trimmed);
  while (i < line.length) {
    const at = line.indexOf("{", i);
    if (at === -1 || at + 1 >= line.length) {
      out += line.slice(i);
      break;
    }
    const kind = line[at + 1];
    if (kind !== "{" && kind !== "%" && kind !== "#") {
      out += line.slice(i, at + 1);
      i = at + 1;
      continue;
    }
    const closer = kind === "{" ? "}}" : kind === "%" ? "%}" : "#}";
    out += line.slice(i, at);
    const close = line.indexOf(closer, at + 2);
    if (close === -1) {
      out += " ".repeat(line.length - at);
      return { text: out, open: kind === "{" ? undefined : (closer as "%}" | "#}") };
    }
    const length = close + 2 - at;
    out += kind === "{" ? `_J${"_".repeat(length - 2)}` : " ".repeat(length);
    i = close + 2;
  }
  return { text: jinjaOnly && out.trim() === "" ? "" : out };
}
