import { defineCheck } from "../define.js";
import { ParseError } from "../types.js";
import { flavorOf } from "./facts.js";
import { ciParseError, jenkinsModel } from "./model.js";

/**
 * Reports a pipeline that does not read, once, as `meta/parse-error` at its
 * line: YAML that does not parse (the other ci/ checks then stay silent), or
 * a Jenkinsfile string literal that never closes (Groovy would reject the
 * file; the other checks still report what they read before and after it).
 */
export const ciParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "ci/parse",
  families: ["ci"],
  rules: [],
  run(file) {
    if (flavorOf(file.path, file.text) === "jenkins") {
      const open = jenkinsModel(file).unterminated;
      if (open) throw new ParseError(`a ${open.kind} Groovy string is never closed`, open.line, open.column);
      return [];
    }
    const error = ciParseError(file);
    if (error) throw error;
    return [];
  },
});
