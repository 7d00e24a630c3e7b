import { defineCheck } from "../define.js";
import { loadCm } from "./model.js";

/**
 * Reports a Salt state or Packer JSON template that does not parse, once (as
 * `meta/parse-error`); the Ruby, Puppet and HCL readers never fail, they
 * skip what they do not understand.
 */
export const configMgmtParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "config-mgmt/parse",
  families: ["config-mgmt"],
  rules: [],
  run(file) {
    const { error } = loadCm(file);
    if (error) throw error;
    return [];
  },
});
