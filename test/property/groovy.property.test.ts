import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readJenkinsfile } from "../../src/checks/ci/jenkins.js";
import { readGroovy } from "../../src/formats/groovy.js";
import { expectLinear, HOSTILE, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "sh ",
  "sh(",
  "script: ",
  '"',
  "'",
  '"""',
  "'''",
  "/",
  "$/",
  "/$",
  "${",
  "}",
  "{",
  "$x.y",
  "\\",
  "\\$",
  "//",
  "/*",
  "*/",
  "\n",
  "stage('a') {",
  "withCredentials([string(variable: 'T')]) {",
  "env.CHANGE_BRANCH",
];

describe("Groovy string reader (property)", () => {
  it("never throws, keeps the text's length in its blanked code, and returns ordered literals", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        const { strings, code } = readGroovy(text);
        expect(code.length).toBe(text.length);
        let last = -1;
        for (const s of strings) {
          expect(s.start).toBeGreaterThan(last);
          expect(s.contentStart).toBeLessThanOrEqual(s.contentEnd);
          expect(s.end).toBeLessThanOrEqual(text.length);
          last = s.end - 1;
        }
        readJenkinsfile(text);
      }),
      PROPERTY_RUNS,
    );
  });

  it("reads in linear time, unterminated strings and interpolations included", () => {
    const shapes = {
      "unterminated GString": (n: number) => `sh "${"echo ${x} $y ".repeat(n)}`,
      "unterminated triple GString": (n: number) => `sh """${"echo ${x}\n".repeat(n)}`,
      "unterminated ${": (n: number) => `sh """${"${ {".repeat(n)}`,
      "unterminated ${ on lines": (n: number) => `sh "\${a\n`.repeat(n),
      "unterminated slashy": (n: number) => `x = /${"a$b ".repeat(n)}`,
      "unterminated dollar-slashy": (n: number) => `x = $/${"a$$ ".repeat(n)}`,
      "unterminated block comment": (n: number) => `/*${" sh 'x' ".repeat(n)}`,
      "many steps": (n: number) => `stage('s') {\n${'  sh "git checkout ${env.CHANGE_BRANCH}"\n'.repeat(n)}}`,
      "deep braces": (n: number) => `${"stage('a') {".repeat(n)} sh "$x" ${"}".repeat(n)}`,
      "many credentials": (n: number) =>
        "withCredentials([string(credentialsId: 'a', variable: 'T')]) { sh \"$T\" }\n".repeat(n),
      "many slashes": (n: number) => "a / b / ".repeat(n),
    };
    expectLinear(shapes, (text) => readJenkinsfile(text), 400);
  });
});
