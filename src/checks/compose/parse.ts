import { defineCheck } from "../define.js";
import { loadCompose } from "./model.js";

/**
 * Reports a Compose file that does not parse, once: the engine turns the
 * thrown ParseError into `meta/parse-error` at its line. Every other compose
 * check shares the same memoised parse and stays silent on such a file.
 */
export const composeParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "compose/parse",
  families: ["compose"],
  rules: [],
  run(file) {
    const { error } = loadCompose(file);
    if (error) throw error;
    return [];
  },
});
