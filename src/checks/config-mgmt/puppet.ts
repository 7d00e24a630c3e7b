import { type PuppetValue, readPuppet } from "../../formats/puppet.js";
import { type CmModel, type Script, type Setting, setting } from "./types.js";

/**
 * Puppet manifests through the Puppet reader: each resource's attributes
 * (`file { '/srv': mode => '0777' }`, named `file['/srv']`), variable
 * assignments and class parameters (`$db_password = '…'`), and the command
 * of every `exec`.
 */
export function puppetModel(text: string): CmModel {
  const file = readPuppet(text);
  const settings: Setting[] = [];
  const scripts: Script[] = [];
  for (const r of file.resources) {
    const label = r.title ? `${r.type}['${clip(r.title)}']` : r.type;
    for (const a of r.attributes) {
      const where = { resource: label, resourceType: r.type };
      settings.push(setting(where, a.name, literalOf(a.value), file.position(a.nameToken.start)));
      const only = a.value.tokens.length === 1 ? a.value.tokens[0] : undefined;
      if (r.type.toLowerCase() === "exec" && a.name === "command" && only && only.valueStart !== undefined) {
        const start = only.valueStart;
        scripts.push({
          resource: label,
          resourceType: "exec",
          property: "command",
          text: only.text,
          position: (offset) => file.position(start + offset),
        });
      }
    }
  }
  for (const a of file.assignments) {
    const where = { resource: `$${a.name}`, resourceType: "variable" };
    const name = a.name.replace(/^.*::/, "");
    settings.push(setting(where, name, literalOf(a.value), file.position(a.nameToken.start)));
  }
  return { tool: "puppet", settings, scripts };
}

function literalOf(v: PuppetValue): Pick<Setting, "value" | "kind" | "dynamic" | "items"> {
  const only = v.tokens.length === 1 ? v.tokens[0] : undefined;
  if (only?.kind === "string" || only?.kind === "heredoc") {
    return { kind: "string", value: only.text, dynamic: only.interpolated === true };
  }
  if (only?.kind === "word") {
    const bool = only.text === "true" || only.text === "false";
    return { kind: bool ? "boolean" : "symbol", value: only.text, dynamic: false };
  }
  if (only?.kind === "number") return { kind: "number", value: only.text, dynamic: false };
  if (v.tokens[0]?.text === "[" && v.tokens[v.tokens.length - 1]?.text === "]") {
    const inner = v.tokens.slice(1, -1).filter((t) => t.text !== ",");
    const literal = inner.every((t) => (t.kind === "string" && !t.interpolated) || t.kind === "word");
    return {
      kind: "list",
      items: inner.map((t) => t.text),
      value: inner.map((t) => t.text).join(","),
      dynamic: !literal,
    };
  }
  return { kind: "other", dynamic: true };
}

function clip(title: string): string {
  const one = title.replace(/\s+/g, " ").trim();
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
}
