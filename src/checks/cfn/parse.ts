import { defineCheck } from "../define.js";
import { loadTemplate } from "./model.js";

/**
 * Reads the template once (the other cfn/ checks share the parse) and reports
 * a file that is not valid YAML or JSON as `meta/parse-error` at its line.
 */
export const templateParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "cfn/parse",
  families: ["cfn"],
  rules: [],
  run(file) {
    const { error } = loadTemplate(file);
    if (error) throw error;
    return [];
  },
});
