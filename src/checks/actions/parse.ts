import { defineCheck } from "../define.js";
import { loadWorkflow } from "./model.js";

/**
 * Reports a workflow that does not parse, once: the engine turns the thrown
 * ParseError into `meta/parse-error` at its line. Every other actions check
 * shares the same memoised parse and stays silent on such a file.
 */
export const workflowParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "actions/parse",
  families: ["actions"],
  rules: [],
  run(file) {
    const { error } = loadWorkflow(file);
    if (error) throw error;
    return [];
  },
});
