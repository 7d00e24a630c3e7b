import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import {
  type MapEntry,
  mapEntries,
  mapGet,
  nodePosition,
  type Position,
  parseYamlSource,
  scalarPosition,
  scalarText,
  seqItems,
  type YamlSource,
} from "../../formats/yaml.js";
import { type FileVersion, ParseError } from "../types.js";

/**
 * An Ansible YAML file as the checks see it: plays, tasks (through `block`,
 * `rescue` and `always`, handlers, pre- and post-tasks), the module each task
 * calls with its arguments (a map, or a `k=v` free-form string), and the
 * variables it defines, each with its YAML node for positions.
 */

export type AnsibleFileKind = "playbook" | "tasks" | "vars";

export interface ModuleArg {
  name: string;
  /** The node of the key (map form) or of the whole free-form string. */
  keyNode: Node;
  value: Node | undefined;
  /** For free-form `k=v`: the value text, and where it starts in the string. */
  freeForm?: { text: string; offset: number; scalar: Scalar };
}

export interface Task {
  /** `name:` when present. */
  name?: string;
  node: Node;
  /** The module as written (`ansible.builtin.get_url`) and its short name (`get_url`). */
  moduleKey: string;
  module: string;
  moduleKeyNode: Node;
  moduleValue: Node | undefined;
  args: ModuleArg[];
  /** The free-form part of a `shell`/`command`/`raw` string (`k=v` options removed), or `cmd:`. */
  command?: { text: string; scalar: Scalar; offset: number };
  /** `no_log` on the task, an enclosing block or the play. */
  noLog: boolean;
  /** `loop:` or `with_*:`: Ansible prints every item it loops over. */
  loops: boolean;
  /** Stable label: the play, the enclosing blocks and the task's name (or its module and main argument). */
  anchor: string;
  vars: MapEntry[];
}

export interface VarsScope {
  /** Where the variables come from, for anchors and messages (`vars`, `play:web/vars`, `task:x/vars`). */
  label: string;
  entries: MapEntry[];
}

export interface AnsibleFile {
  path: string;
  src: YamlSource;
  doc: Document;
  kind: AnsibleFileKind;
  tasks: Task[];
  vars: VarsScope[];
}

/** Keys of a task that are not its module. */
const TASK_KEYWORDS = new Set([
  "name",
  "action",
  "local_action",
  "args",
  "async",
  "poll",
  "become",
  "become_user",
  "become_method",
  "become_flags",
  "become_exe",
  "changed_when",
  "check_mode",
  "collections",
  "connection",
  "debugger",
  "delay",
  "delegate_facts",
  "delegate_to",
  "diff",
  "environment",
  "failed_when",
  "ignore_errors",
  "ignore_unreachable",
  "loop",
  "loop_control",
  "module_defaults",
  "no_log",
  "notify",
  "listen",
  "port",
  "register",
  "remote_user",
  "retries",
  "run_once",
  "tags",
  "throttle",
  "timeout",
  "until",
  "vars",
  "when",
  "any_errors_fatal",
]);

const TASK_LISTS = ["pre_tasks", "tasks", "post_tasks", "handlers"] as const;
const BLOCK_LISTS = ["block", "rescue", "always"] as const;
/** Bounds nesting an author controls (blocks inside blocks). */
const MAX_BLOCK_DEPTH = 32;

/** Modules whose string value is a command line with optional `k=v` options before it. */
export const COMMAND_MODULES = new Set(["shell", "command", "raw", "script", "win_shell", "win_command"]);

/** `ansible.builtin.get_url` → `get_url`; `community.general.apk` → `apk`; a short name stays. */
export function shortModuleName(key: string): string {
  const parts = key.split(".");
  return parts.length >= 3 ? parts[parts.length - 1]! : key;
}

/** Parses once per file version; the parse-stage check throws the error. */
export function loadAnsible(file: FileVersion): { model?: AnsibleFile; error?: ParseError } {
  return file.memo("ansible/model", () => {
    if (isAnsibleCfg(file.path)) return {};
    try {
      return { model: buildModel(file) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

export function isAnsibleCfg(path: string): boolean {
  return /(^|\/)ansible\.cfg$/i.test(path);
}

function buildModel(file: FileVersion): AnsibleFile {
  const src = parseYamlSource(file.text);
  const doc = src.documents[0];
  const model: AnsibleFile = {
    path: file.path,
    src,
    doc: doc ?? (undefined as unknown as Document),
    kind: "vars",
    tasks: [],
    vars: [],
  };
  for (const d of src.documents) {
    model.doc = d;
    const root = d.contents;
    if (isSeq(root)) {
      const items = seqItems(d, root);
      const plays = items.some((i) => isMap(i) && isPlay(d, i));
      model.kind = plays ? "playbook" : "tasks";
      if (plays) {
        items.forEach((play, i) => {
          readPlay(model, d, play, i);
        });
      } else readTasks(model, d, items, "", false, 0);
    } else if (isMap(root)) {
      model.kind = "vars";
      model.vars.push({ label: "vars", entries: mapEntries(d, root) });
    }
  }
  return model;
}

/** A play: `hosts:` with tasks or roles, or an `import_playbook`. */
export function isPlay(doc: Document, node: Node): boolean {
  const keys = new Set(mapEntries(doc, node).map((e) => e.key));
  if (keys.has("import_playbook") || keys.has("ansible.builtin.import_playbook")) return true;
  return (
    keys.has("hosts") && ["tasks", "roles", "pre_tasks", "post_tasks", "handlers"].some((k) => keys.has(k))
  );
}

function readPlay(model: AnsibleFile, doc: Document, play: Node, index: number): void {
  if (!isMap(play)) return;
  const name = scalarText(mapGet(doc, play, "name"));
  const hosts = scalarText(mapGet(doc, play, "hosts"));
  const label = `play:${name ?? hosts ?? String(index)}`;
  const noLog = truthy(mapGet(doc, play, "no_log"));
  const vars = mapGet(doc, play, "vars");
  if (isMap(vars)) model.vars.push({ label: `${label}/vars`, entries: mapEntries(doc, vars) });
  for (const list of TASK_LISTS) {
    readTasks(model, doc, seqItems(doc, mapGet(doc, play, list)), `${label}/${list}`, noLog, 0);
  }
}

function readTasks(
  model: AnsibleFile,
  doc: Document,
  items: Node[],
  prefix: string,
  noLog: boolean,
  depth: number,
): void {
  if (depth > MAX_BLOCK_DEPTH) return;
  for (const item of items) {
    if (!isMap(item)) continue;
    const entries = mapEntries(doc, item);
    const name = scalarText(entries.find((e) => e.key === "name")?.value);
    const ownNoLog = noLog || truthy(entries.find((e) => e.key === "no_log")?.value);
    const block = BLOCK_LISTS.find((k) => entries.some((e) => e.key === k));
    if (block) {
      const label = `${prefix}/block:${name ?? "unnamed"}`;
      for (const list of BLOCK_LISTS) {
        readTasks(
          model,
          doc,
          seqItems(doc, mapGet(doc, item, list)),
          `${label}/${list}`,
          ownNoLog,
          depth + 1,
        );
      }
      continue;
    }
    const task = readTask(doc, item, entries, name, ownNoLog, prefix);
    if (task) model.tasks.push(task);
    const vars = entries.find((e) => e.key === "vars")?.value;
    if (task && isMap(vars))
      model.vars.push({ label: `${task.anchor}/vars`, entries: mapEntries(doc, vars) });
  }
}

function readTask(
  doc: Document,
  node: Node,
  entries: MapEntry[],
  name: string | undefined,
  noLog: boolean,
  prefix: string,
): Task | undefined {
  let moduleEntry = entries.find((e) => !TASK_KEYWORDS.has(e.key) && !e.key.startsWith("with_"));
  let moduleKey = moduleEntry?.key;
  let moduleValue = moduleEntry?.value;
  let actionOffset = 0;
  // `action: get_url url=… dest=…` and `local_action: …` name the module inside their value.
  const action = entries.find((e) => e.key === "action" || e.key === "local_action");
  if (!moduleEntry && action) {
    const text = scalarText(action.value);
    const m = text === undefined ? undefined : /^\s*([A-Za-z0-9_.]+)\s*/.exec(text);
    if (m) {
      moduleEntry = action;
      moduleKey = m[1]!;
      moduleValue = action.value;
      actionOffset = m[0].length;
    } else if (isMap(action.value)) {
      const inner = scalarText(mapGet(doc, action.value, "module"));
      if (inner) {
        moduleEntry = action;
        moduleKey = inner;
        moduleValue = action.value;
      }
    }
  }
  if (!moduleEntry || !moduleKey) return undefined;
  const module = shortModuleName(moduleKey);
  const args = readArgs(doc, moduleValue, actionOffset, module);
  const extra = entries.find((e) => e.key === "args")?.value;
  if (isMap(extra)) {
    for (const e of mapEntries(doc, extra)) args.push({ name: e.key, keyNode: e.keyNode, value: e.value });
  }
  const command = commandOf(doc, moduleValue, actionOffset, module, args);
  const main = mainArgument(args);
  const label = name ?? `${module}${main ? ` ${main}` : ""}`;
  return {
    name,
    node,
    moduleKey,
    module,
    moduleKeyNode: moduleEntry.keyNode,
    moduleValue,
    args: args.filter((a) => !(module === "module" && a.name === "module")),
    command,
    noLog,
    loops: entries.some((e) => e.key === "loop" || e.key.startsWith("with_")),
    anchor: `${prefix ? `${prefix}/` : ""}task:${label}`,
    vars: mapEntries(doc, entries.find((e) => e.key === "vars")?.value),
  };
}

/** The argument that best names what an unnamed task acts on, for its anchor. */
function mainArgument(args: ModuleArg[]): string | undefined {
  for (const key of ["dest", "path", "url", "name", "src", "repo", "cmd", "_raw_params"]) {
    const a = args.find((x) => x.name === key);
    const text = a?.freeForm?.text ?? scalarText(a?.value);
    if (text) return text.length > 120 ? text.slice(0, 120) : text;
  }
  return undefined;
}

function readArgs(doc: Document, value: Node | undefined, offset: number, module: string): ModuleArg[] {
  if (isMap(value)) {
    return mapEntries(doc, value).map((e) => ({ name: e.key, keyNode: e.keyNode, value: e.value }));
  }
  if (isScalar(value) && typeof value.value === "string") {
    return freeFormArgs(value as Scalar<string>, offset, COMMAND_MODULES.has(module)).args;
  }
  return [];
}

/**
 * `k=v` pairs of a free-form string, as Ansible's `parse_kv` reads them:
 * whitespace-separated words, quotes grouping. For command modules only the
 * leading known options are pairs; the rest is the command line.
 */
export function freeFormArgs(
  scalar: Scalar<string>,
  offset: number,
  command: boolean,
): { args: ModuleArg[]; rest?: { text: string; offset: number } } {
  const text = scalar.value;
  const args: ModuleArg[] = [];
  const word = /\s*([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/y;
  let i = offset;
  const limit = Math.min(text.length, offset + 65_536);
  while (i < limit) {
    word.lastIndex = i;
    const m = word.exec(text);
    if (!m) {
      if (command) break;
      const next = text.slice(i).search(/\s/);
      if (next <= 0) break;
      i += next;
      continue;
    }
    const name = m[1]!;
    if (command && !COMMAND_OPTIONS.has(name)) break;
    const raw = m[2]!;
    const start = m.index + m[0].length - raw.length;
    const quoted = raw.startsWith('"') || raw.startsWith("'");
    args.push({
      name,
      keyNode: scalar,
      value: undefined,
      freeForm: { text: quoted ? raw.slice(1, -1) : raw, offset: quoted ? start + 1 : start, scalar },
    });
    i = m.index + m[0].length;
  }
  if (!command) return { args };
  const restStart = i + (text.slice(i).length - text.slice(i).trimStart().length);
  return { args, rest: { text: text.slice(restStart), offset: restStart } };
}

const COMMAND_OPTIONS = new Set([
  "chdir",
  "creates",
  "removes",
  "executable",
  "warn",
  "stdin",
  "stdin_add_newline",
  "strip_empty_ends",
  "free_form",
]);

function commandOf(
  doc: Document,
  value: Node | undefined,
  offset: number,
  module: string,
  args: ModuleArg[],
): Task["command"] {
  if (!COMMAND_MODULES.has(module)) return undefined;
  if (isScalar(value) && typeof value.value === "string") {
    const rest = freeFormArgs(value as Scalar<string>, offset, true).rest;
    if (rest && rest.text.trim() !== "")
      return { text: rest.text, scalar: value as Scalar, offset: rest.offset };
    return undefined;
  }
  for (const key of ["cmd", "_raw_params", "free_form"]) {
    const a = args.find((x) => x.name === key);
    if (a && isScalar(a.value) && typeof a.value.value === "string") {
      return { text: a.value.value, scalar: a.value as Scalar, offset: 0 };
    }
  }
  // `shell:` with a map value and the command under `cmd` is handled above; a map under a
  // document key is not a command.
  void doc;
  return undefined;
}

/** Ansible's booleans, YAML 1.1 words included (`yes`, `no`, `on`, `off`). */
export function truthy(node: Node | undefined | null): boolean {
  const v = isScalar(node) ? node.value : undefined;
  if (v === true) return true;
  if (typeof v === "number") return v !== 0;
  return typeof v === "string" && /^(?:yes|y|true|on|1)$/i.test(v.trim());
}

export function falsy(node: Node | undefined | null): boolean {
  const v = isScalar(node) ? node.value : undefined;
  if (v === false) return true;
  if (typeof v === "number") return v === 0;
  return typeof v === "string" && /^(?:no|n|false|off|0)$/i.test(v.trim());
}

/** The boolean an argument (map or free-form) spells, or undefined when unknown (Jinja, missing). */
export function argBoolean(arg: ModuleArg | undefined): boolean | undefined {
  if (!arg) return undefined;
  if (arg.freeForm) {
    const t = arg.freeForm.text.trim();
    if (/^(?:yes|y|true|on|1)$/i.test(t)) return true;
    if (/^(?:no|n|false|off|0)$/i.test(t)) return false;
    return undefined;
  }
  if (truthy(arg.value)) return true;
  if (falsy(arg.value)) return false;
  return undefined;
}

/** An argument's text (map value or free-form value); undefined for collections. */
export function argText(arg: ModuleArg | undefined): string | undefined {
  if (!arg) return undefined;
  return arg.freeForm ? arg.freeForm.text : scalarText(arg.value);
}

/** Jinja makes a value unknown: it is never judged. */
export function hasJinja(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}

/** A value encrypted with Ansible Vault (`!vault |`) or marked `!unsafe`-free literal. */
export function isVaulted(node: Node | undefined): boolean {
  return isScalar(node) && (node.tag === "!vault" || String(node.value).startsWith("$ANSIBLE_VAULT;"));
}

/** Where an argument's value (or key, when it has no value node) is. */
export function argPosition(model: AnsibleFile, arg: ModuleArg, valueOffset = 0): Position {
  if (arg.freeForm) return scalarPosition(model.src, arg.freeForm.scalar, arg.freeForm.offset + valueOffset);
  return nodePosition(model.src, arg.value ?? arg.keyNode) ?? { line: 1, column: 1 };
}

export function positionOf(model: AnsibleFile, node: Node | undefined): Position {
  return nodePosition(model.src, node) ?? { line: 1, column: 1 };
}
