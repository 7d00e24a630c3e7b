import { memoOn } from "../../formats/memo.js";
import { type RubyFile, type RubyStatement, type RubyString, readRuby } from "../../formats/ruby.js";
import { type CmModel, type Script, type Setting, setting } from "./types.js";

/**
 * Chef recipes, attribute files and client configuration, and Vagrantfiles,
 * read with the Ruby block reader: a resource (`remote_file '/x' do … end`)
 * and its properties, attribute assignments (`default['app']['password'] =
 * …`, hashes included), dotted assignments (`config.ssh.insert_key = false`),
 * top-level settings (`ssl_verify_mode :verify_none`), and the shell that
 * `execute`/`bash`/`script` resources and Vagrant shell provisioners run.
 */

/** A block opener's type and where its `do` starts; no lazy `.*?` before `\s*do` (quadratic on blanked strings). */
const RESOURCE_TYPE = /^[a-z_][a-z0-9_]*(?=[\s(])/;
const TRAILING_DO = /\bdo\s*(?:\|[^|]*\|)?$/;
const NOT_RESOURCES = new Set([
  "if",
  "unless",
  "while",
  "until",
  "case",
  "def",
  "class",
  "module",
  "begin",
  "for",
  "loop",
  "lambda",
  "proc",
  "action",
  "each",
  "map",
  "with_run_context",
  "ruby_block",
  "block",
  "load_current_value",
  "action_class",
]);
const PROPERTY = /^([a-z_][a-z0-9_]*[?!]?)(?:\s+|\s*\()(.*)$/s;
const ASSIGNMENT =
  /^((?:[A-Za-z_@$][\w]*)(?:\.[A-Za-z_][\w]*)*)((?:\s*\[[^\]]*\])*)\s*(\|\||&&)?=(?![=~>])\s*/s;
const ATTRIBUTE_ROOT =
  /^(?:node\.)?(?:default|override|normal|force_default|force_override|default_unless|override_unless|set)$/;
const SHELL_RESOURCES: Record<string, string> = {
  execute: "command",
  bash: "code",
  script: "code",
  sh: "code",
  ksh: "code",
  csh: "code",
};

export function rubyModel(text: string, tool: "chef" | "vagrant"): CmModel {
  const file = readRuby(text);
  const settings: Setting[] = [];
  const scripts: Script[] = [];
  for (const statement of file.statements) {
    const resource = resourceOf(statement);
    if (tool === "vagrant") readProvisioner(file, statement, resource, settings, scripts);
    if (statement.children) {
      const opened = openedResource(statement);
      if (opened) {
        const explicit =
          opened.type === "execute" && statement.children.some((c) => /^command\b/.test(c.code));
        if (opened.type === "execute" && !explicit && opened.titleString) {
          scripts.push(script(file, opened.label, opened.type, "title", opened.titleString));
        }
        continue;
      }
    }
    const assignment = ASSIGNMENT.exec(statement.code);
    if (assignment) {
      readAssignment(file, statement, assignment, resource, settings, scripts);
      continue;
    }
    const property = PROPERTY.exec(statement.code);
    if (property) {
      const name = property[1]!;
      const valueAt = statement.start + statement.code.length - property[2]!.length;
      const value = literalOf(statement, valueAt, property[2]!);
      settings.push(setting(resource, name, value, file.position(statement.start)));
      const shellProperty = Object.hasOwn(SHELL_RESOURCES, resource.resourceType)
        ? SHELL_RESOURCES[resource.resourceType]
        : undefined;
      const str = firstStringAt(statement, valueAt);
      if (shellProperty === name && str)
        scripts.push(script(file, resource.resource, resource.resourceType, name, str));
      // `execute 'curl … | sh'` without a block: the title is the command.
      if (tool === "chef" && name === "execute" && !statement.parent && str && !value.dynamic) {
        scripts.push(script(file, `execute[${clipTitle(str.value)}]`, "execute", "title", str));
      }
    }
  }
  return { tool, settings, scripts };
}

interface Opened {
  type: string;
  label: string;
  titleString?: RubyString;
}

const OPENED = Symbol("chef opened resource");

/**
 * `type 'title' do` (or `type('title') do |x|`): the resource a block opens, once per statement
 * (kept on it: formats/memo.ts says why not in a WeakMap).
 */
function openedResource(statement: RubyStatement): Opened | undefined {
  return memoOn(statement, OPENED, () => readOpener(statement));
}

function readOpener(statement: RubyStatement): Opened | undefined {
  if (!statement.children) return undefined;
  const code = statement.code;
  const type = RESOURCE_TYPE.exec(code)?.[0];
  const end = TRAILING_DO.exec(code);
  if (!type || !end || NOT_RESOURCES.has(type)) return undefined;
  const titleString = statement.strings[0];
  const raw = code
    .slice(type.length, end.index)
    .trim()
    .replace(/^\(|\)$/g, "")
    .trim();
  const title = titleString ? titleString.value : raw;
  return { type, label: `${type}[${clipTitle(title)}]`, titleString };
}

function clipTitle(title: string): string {
  const one = title.replace(/\s+/g, " ").trim();
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
}

/** The resource a statement belongs to: its enclosing resource block, else the file's top level. */
function resourceOf(statement: RubyStatement): Pick<Setting, "resource" | "resourceType"> {
  for (let p = statement.parent, depth = 0; p && depth < 64; p = p.parent, depth++) {
    const opened = openedResource(p);
    if (opened) return { resource: opened.label, resourceType: opened.type };
  }
  return { resource: "config", resourceType: "config" };
}

function literalOf(
  statement: RubyStatement,
  at: number,
  code: string,
): Pick<Setting, "value" | "kind" | "dynamic" | "items"> {
  const rest = code
    .trim()
    .replace(/\)\s*$/, "")
    .trim();
  const str = firstStringAt(statement, at);
  if (str && /^(?:["'`%]|<<)/.test(rest)) {
    if (rest.startsWith("%w") || rest.startsWith("%i")) {
      return { kind: "list", items: str.value.trim().split(/\s+/), value: str.value, dynamic: false };
    }
    // `'a' + x`, `"#{x}"`, `'x' if y`: only a lone literal is known.
    const after = statement.code.slice(str.end - statement.start).replace(/[)\s]/g, "");
    return { kind: "string", value: str.value, dynamic: str.interpolated || after !== "" };
  }
  if (rest.startsWith("[")) {
    const items = statement.strings.filter((s) => s.start >= at).map((s) => s.value);
    const dynamic = statement.strings.some((s) => s.start >= at && s.interpolated);
    return { kind: "list", items, value: items.join(","), dynamic };
  }
  if (/^:[A-Za-z_]\w*$/.test(rest)) return { kind: "symbol", value: rest, dynamic: false };
  if (/^(?:true|false|nil)$/.test(rest)) return { kind: "boolean", value: rest, dynamic: false };
  if (/^0?[0-7]*$|^\d+$/.test(rest) && rest !== "") return { kind: "number", value: rest, dynamic: false };
  return { kind: "other", value: rest.length > 200 ? rest.slice(0, 200) : rest, dynamic: true };
}

function firstStringAt(statement: RubyStatement, at: number): RubyString | undefined {
  return statement.strings.find((s) => s.start >= at);
}

function readAssignment(
  file: RubyFile,
  statement: RubyStatement,
  m: RegExpExecArray,
  resource: Pick<Setting, "resource" | "resourceType">,
  settings: Setting[],
  scripts: Script[],
): void {
  const target = m[1]!;
  const eq = statement.start + m[0].length;
  const keys = statement.strings.filter((s) => s.start < eq).map((s) => s.value);
  const isAttribute = ATTRIBUTE_ROOT.test(target) && keys.length > 0;
  const name = isAttribute ? keys.join(".") : target;
  const where = isAttribute
    ? { resource: `attributes[${clipTitle(keys.join("."))}]`, resourceType: "attributes" }
    : resource;
  const value = literalOf(statement, eq, statement.code.slice(m[0].length));
  settings.push(setting(where, name, value, file.position(statement.start)));
  // `{ 'password' => 's3cret', api_key: 'x' }`: every literal pair of a hash.
  const strings = statement.strings.filter((s) => s.start >= eq);
  for (let k = 0; k + 1 < strings.length; k++) {
    const between = file.text.slice(strings[k]!.end, strings[k + 1]!.start);
    if (!/^\s*=>\s*$/.test(between)) continue;
    settings.push(
      setting(
        where,
        isAttribute ? `${name}.${strings[k]!.value}` : strings[k]!.value,
        { value: strings[k + 1]!.value, kind: "string", dynamic: strings[k + 1]!.interpolated },
        file.position(strings[k]!.start),
      ),
    );
  }
  for (const pair of file.text.slice(eq, statement.end).matchAll(/(?<![\w:])([a-z_]\w*):\s+(?=["'])/g)) {
    const valueString = strings.find((s) => s.start >= eq + pair.index + pair[0].length);
    if (!valueString || valueString.start !== eq + pair.index + pair[0].length) continue;
    settings.push(
      setting(
        where,
        isAttribute ? `${name}.${pair[1]}` : pair[1]!,
        { value: valueString.value, kind: "string", dynamic: valueString.interpolated },
        file.position(eq + pair.index),
      ),
    );
  }
  // Vagrant: `s.inline = <<-SHELL … SHELL` inside a shell provisioner block.
  if (/\.inline$/.test(target)) {
    const str = firstStringAt(statement, eq);
    if (str) scripts.push(script(file, "provision[shell]", "provision", "inline", str));
  }
}

/** `config.vm.provision "shell", inline: …` and `config.vm.network "forwarded_port", …` (Vagrant). */
function readProvisioner(
  file: RubyFile,
  statement: RubyStatement,
  resource: Pick<Setting, "resource" | "resourceType">,
  settings: Setting[],
  scripts: Script[],
): void {
  const code = statement.code;
  const first = statement.strings[0]?.value;
  if (/\.provision\b/.test(code) && (first === "shell" || /\.provision\s*\(?\s*:shell\b/.test(code))) {
    const inline = /\binline:\s*/.exec(code);
    const str = inline
      ? firstStringAt(statement, statement.start + inline.index + inline[0].length)
      : undefined;
    if (str) scripts.push(script(file, "provision[shell]", "provision", "inline", str));
  }
  if (/\.network\b/.test(code) && first === "forwarded_port") {
    const hostIp = /\bhost_ip:\s*|:host_ip\s*=>\s*/.exec(code);
    const str = hostIp
      ? firstStringAt(statement, statement.start + hostIp.index + hostIp[0].length)
      : undefined;
    const ports = /\bguest:\s*(\d+)/.exec(code);
    settings.push({
      resource: `network[forwarded_port${ports ? ` ${ports[1]}` : ""}]`,
      resourceType: resource.resourceType,
      name: "forwarded_port",
      value: str?.value,
      kind: hostIp ? "string" : "other",
      dynamic: hostIp ? !str || str.interpolated : false,
      ...file.position(statement.start),
    });
  }
}

function script(
  file: RubyFile,
  resource: string,
  resourceType: string,
  property: string,
  str: RubyString,
): Script {
  return {
    resource,
    resourceType,
    property,
    text: str.value,
    position: (offset) => file.position(str.valueStart + offset),
  };
}
