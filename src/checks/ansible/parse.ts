import { defineCheck } from "../define.js";
import { loadAnsible } from "./model.js";

/**
 * Reports a playbook, task or vars file that does not parse, once: the engine
 * turns the thrown ParseError into `meta/parse-error` at its line, and the
 * other ansible checks share the memoised parse and stay silent.
 */
export const ansibleParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "ansible/parse",
  families: ["ansible"],
  rules: [],
  run(file) {
    const { error } = loadAnsible(file);
    if (error) throw error;
    return [];
  },
});
