import {
  type CfnPath,
  type CfnRaw,
  type CfnSource,
  parseCfnSource,
  UNREAD,
} from "../../formats/cloudformation.js";
import type { Position } from "../../formats/yaml.js";
import {
  type CloudObject,
  type CloudValue,
  isCloudObject,
  knownBoolean,
  knownString,
  Unknown,
} from "../cloud/value.js";
import type { FileVersion } from "../types.js";
import { ParseError } from "../types.js";

/**
 * A CloudFormation or SAM template as the cfn/ checks read it: parameters and
 * resources, each resource's `Properties` evaluated statically. A `Ref` to a
 * parameter with a `Default` is that default; `Fn::Sub`, `Fn::Join`,
 * `Fn::Select` and `Fn::FindInMap` are computed when every input is known; any
 * other intrinsic (`Fn::GetAtt`, `Fn::ImportValue`, `Fn::If`, a `Ref` to a
 * resource or to a parameter without a default, pseudo parameters) is an
 * `Unknown`, which no check turns into a finding by itself.
 */

export interface CfnParameter {
  name: string;
  path: CfnPath;
  type: string | undefined;
  /** The raw `Default` (a literal: parameters take no intrinsic functions). */
  default: CloudValue | undefined;
  noEcho: boolean;
}

export interface CfnResource {
  logicalId: string;
  type: string;
  /** `["Resources", logicalId]`: properties are at `[...path, "Properties", …]`. */
  path: CfnPath;
  /** `Properties`, evaluated; `{}` when absent. */
  properties: CloudObject;
}

export interface CfnTemplate {
  source: CfnSource;
  /** `Transform: AWS::Serverless-2016-10-31`. */
  sam: boolean;
  parameters: ReadonlyMap<string, CfnParameter>;
  resources: readonly CfnResource[];
  /** Where a path is: the key's position for a mapping entry, else the value's. */
  position(path: CfnPath): Position;
}

export type LoadedTemplate =
  | { template: CfnTemplate; error?: undefined }
  | { template?: undefined; error: ParseError };

export function loadTemplate(file: FileVersion): LoadedTemplate {
  return file.memo("cfn/template", () => {
    try {
      return { template: readTemplate(parseCfnSource(file.text)) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

/** The template of a file, or `undefined` when it does not parse (the parse check reports that). */
export function templateOf(file: FileVersion): CfnTemplate | undefined {
  return loadTemplate(file).template;
}

function isRawObject(v: CfnRaw | undefined): v is { [key: string]: CfnRaw } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function readTemplate(source: CfnSource): CfnTemplate {
  const root = isRawObject(source.root) ? source.root : {};
  const parameters = readParameters(root.Parameters);
  const mappings = isRawObject(root.Mappings) ? root.Mappings : {};
  const evaluator = new Evaluator(parameters, mappings);
  const resources: CfnResource[] = [];
  const rawResources = isRawObject(root.Resources) ? root.Resources : {};
  for (const [logicalId, raw] of Object.entries(rawResources)) {
    if (!isRawObject(raw)) continue;
    const type = typeof raw.Type === "string" ? raw.Type : undefined;
    if (!type) continue;
    const properties = evaluator.evaluate(raw.Properties);
    resources.push({
      logicalId,
      type,
      path: ["Resources", logicalId],
      properties: isCloudObject(properties) ? properties : {},
    });
  }
  const transform = root.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  return {
    source,
    sam: transforms.some((t) => typeof t === "string" && t.startsWith("AWS::Serverless")),
    parameters,
    resources,
    position(path) {
      const at = source.locate(path);
      return at.key ?? at.value;
    },
  };
}

function readParameters(raw: CfnRaw | undefined): Map<string, CfnParameter> {
  const out = new Map<string, CfnParameter>();
  if (!isRawObject(raw)) return out;
  for (const [name, p] of Object.entries(raw)) {
    if (!isRawObject(p)) continue;
    out.set(name, {
      name,
      path: ["Parameters", name],
      type: typeof p.Type === "string" ? p.Type : undefined,
      default: p.Default === undefined ? undefined : literal(p.Default),
      noEcho: knownBoolean(literal(p.NoEcho ?? null)) === true,
    });
  }
  return out;
}

/** A raw value where intrinsics cannot appear (a parameter's Default): intrinsic-looking objects are unknown. */
function literal(raw: CfnRaw): CloudValue {
  if (Array.isArray(raw)) return raw.map(literal);
  if (isRawObject(raw)) {
    if (intrinsicName(raw) !== undefined) return new Unknown("intrinsic");
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, literal(v)]));
  }
  return raw;
}

/** The intrinsic function a one-key object calls (`Ref`, `Fn::Sub`, `Condition`), if it is one. */
export function intrinsicName(raw: { [key: string]: CfnRaw }): string | undefined {
  const keys = Object.keys(raw);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (key === "Ref" || key.startsWith("Fn::") || key === UNREAD) return key;
  if (key === "Condition" && typeof raw[key] === "string") return key;
  return undefined;
}

/** `AWS::NoValue`: the property is removed, as CloudFormation does. */
const NO_VALUE = Symbol("AWS::NoValue");
type Evaluated = CloudValue | typeof NO_VALUE;

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

class Evaluator {
  constructor(
    private readonly parameters: ReadonlyMap<string, CfnParameter>,
    private readonly mappings: { [key: string]: CfnRaw },
  ) {}

  evaluate(raw: CfnRaw | undefined): CloudValue | undefined {
    if (raw === undefined) return undefined;
    const v = this.value(raw);
    return v === NO_VALUE ? undefined : v;
  }

  private value(raw: CfnRaw): Evaluated {
    if (Array.isArray(raw)) {
      const out: CloudValue[] = [];
      for (const item of raw) {
        const v = this.value(item);
        if (v !== NO_VALUE) out.push(v);
      }
      return out;
    }
    if (!isRawObject(raw)) return raw;
    const fn = intrinsicName(raw);
    if (fn !== undefined) return this.intrinsic(fn, raw[fn]!);
    const out: { [key: string]: CloudValue } = {};
    for (const [k, item] of Object.entries(raw)) {
      const v = this.value(item);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private intrinsic(fn: string, arg: CfnRaw): Evaluated {
    switch (fn) {
      case "Ref":
        return typeof arg === "string" ? this.ref(arg) : new Unknown("Ref");
      case "Fn::Sub":
        return this.sub(arg);
      case "Fn::Join":
        return this.join(arg);
      case "Fn::Select":
        return this.select(arg);
      case "Fn::FindInMap":
        return this.findInMap(arg);
      default:
        return new Unknown(fn === UNREAD ? "not read" : fn);
    }
  }

  private ref(name: string): Evaluated {
    if (name === "AWS::NoValue") return NO_VALUE;
    const p = this.parameters.get(name);
    if (!p || p.default === undefined) return new Unknown(`Ref ${name}`);
    const text = knownString(p.default);
    if (text !== undefined && p.type !== undefined && /^(CommaDelimitedList|List<)/.test(p.type))
      return text.split(",").map((s) => s.trim());
    return p.default;
  }

  private sub(arg: CfnRaw): Evaluated {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof template !== "string") return new Unknown("Fn::Sub");
    const bound = isRawObject(vars) ? vars : {};
    let unknown = false;
    const text = template.replace(SUB_VARIABLE, (whole, name: string) => {
      if (name.startsWith("!")) return `\${${name.slice(1)}}`;
      const value = Object.hasOwn(bound, name) ? this.value(bound[name]!) : this.ref(name);
      const s = value === NO_VALUE ? undefined : knownString(value);
      if (s === undefined) unknown = true;
      return s ?? whole;
    });
    return unknown ? new Unknown(template) : text;
  }

  private join(arg: CfnRaw): Evaluated {
    if (!Array.isArray(arg) || typeof arg[0] !== "string") return new Unknown("Fn::Join");
    const list = arg[1] === undefined ? undefined : this.value(arg[1]);
    if (!Array.isArray(list)) return new Unknown("Fn::Join");
    const parts = list.map((v) => knownString(v));
    if (parts.some((p) => p === undefined)) return new Unknown("Fn::Join");
    return parts.join(arg[0]);
  }

  private select(arg: CfnRaw): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2) return new Unknown("Fn::Select");
    const index = Number(knownString(this.value(arg[0]!) as CloudValue));
    const list = this.value(arg[1]!);
    if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length)
      return new Unknown("Fn::Select");
    return list[index] as CloudValue;
  }

  private findInMap(arg: CfnRaw): Evaluated {
    if (!Array.isArray(arg) || arg.length < 3) return new Unknown("Fn::FindInMap");
    const keys = arg.slice(0, 3).map((k) => {
      const v = this.value(k);
      return v === NO_VALUE ? undefined : knownString(v);
    });
    if (keys.some((k) => k === undefined)) return new Unknown("Fn::FindInMap");
    const map = this.mappings[keys[0]!];
    const top = isRawObject(map) ? map[keys[1]!] : undefined;
    const found = isRawObject(top) ? top[keys[2]!] : undefined;
    return found === undefined ? new Unknown("Fn::FindInMap") : literal(found);
  }
}
