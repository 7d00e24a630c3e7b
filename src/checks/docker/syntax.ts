import { dockerfileOf } from "../../formats/dockerfile.js";
import { defineCheck } from "../define.js";
import { ParseError } from "../types.js";

/**
 * Reports what Docker itself would refuse to build (an instruction before the
 * first FROM, an unterminated heredoc, a FROM without an image) as
 * `meta/parse-error`. The other docker checks keep analysing what parsed, so
 * one typo does not hide the rest of the file.
 */
export const dockerSyntax = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "docker/syntax",
  families: ["docker"],
  rules: [],
  run(file) {
    const problem = dockerfileOf(file).problems[0];
    if (problem) throw new ParseError(problem.message, problem.line);
    return [];
  },
});
