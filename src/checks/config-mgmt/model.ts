import { type FileVersion, ParseError } from "../types.js";
import { packerHclModel, packerJsonModel } from "./packer.js";
import { puppetModel } from "./puppet.js";
import { rubyModel } from "./ruby.js";
import { saltModel } from "./salt.js";
import type { CmModel, Setting } from "./types.js";

/**
 * Chef, Puppet, Salt, Vagrant and Packer files reduced to what the rules
 * judge: settings (a property, attribute, argument or assignment with its
 * literal value and position) and scripts (shell a resource runs), each
 * named by the resource it belongs to. One reader per format produces them;
 * every config-mgmt rule reads this model, whatever the tool.
 */

export type { CmModel, Script, Setting, Tool, ValueKind } from "./types.js";

export type CmFormat = "chef" | "vagrant" | "puppet" | "salt" | "packer-hcl" | "packer-json";

/** Which reader a config-mgmt path needs. */
export function formatOf(path: string): CmFormat | undefined {
  const p = path.toLowerCase();
  if (/(^|\/)vagrantfile$/.test(p)) return "vagrant";
  if (p.endsWith(".pkr.hcl")) return "packer-hcl";
  if (p.endsWith(".pkr.json")) return "packer-json";
  if (p.endsWith(".pp")) return "puppet";
  if (p.endsWith(".sls")) return "salt";
  if (p.endsWith(".rb")) return "chef";
  return undefined;
}

/** The model of one file version, built once; the parse-stage check throws its error. */
export function loadCm(file: FileVersion): { model?: CmModel; error?: ParseError } {
  return file.memo("config-mgmt/model", () => {
    try {
      const model = readModel(file);
      return model ? { model } : {};
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

function readModel(file: FileVersion): CmModel | undefined {
  {
    const format = formatOf(file.path);
    switch (format) {
      case "chef":
        return rubyModel(file.text, "chef");
      case "vagrant":
        return rubyModel(file.text, "vagrant");
      case "puppet":
        return puppetModel(file.text);
      case "salt":
        return saltModel(file);
      case "packer-hcl":
        return packerHclModel(file.text);
      case "packer-json":
        return packerJsonModel(file);
      default:
        return undefined;
    }
  }
}

/** Ruby/Puppet/YAML booleans as these tools spell them. */
export function isFalse(s: Setting): boolean {
  return !s.dynamic && s.value !== undefined && /^(?:false|no|off|0|:false)$/i.test(s.value.trim());
}

export function isTrue(s: Setting): boolean {
  return !s.dynamic && s.value !== undefined && /^(?:true|yes|on|1|:true)$/i.test(s.value.trim());
}

/** The last segment of a dotted name: `config.ssh.password` → `password`. */
export function leafName(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? name : name.slice(dot + 1);
}
