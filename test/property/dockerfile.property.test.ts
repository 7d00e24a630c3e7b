import fc from "fast-check";
import { describe, it } from "vitest";
import { parseDockerfile, parseImageRef } from "../../src/formats/dockerfile.js";
import { ParseError } from "../../src/formats/errors.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "FROM ",
  "RUN ",
  "ARG ",
  "ENV ",
  "COPY ",
  "ADD ",
  "USER ",
  "CMD ",
  "ONBUILD ",
  "HEALTHCHECK ",
  "\\\n",
  "\\\r\n",
  "# escape=`\n",
  "# syntax=docker/dockerfile:1\n",
  "<<EOF\n",
  "EOF\n",
  "<<-'X'\n",
  "${A:-b}",
  "$A",
  '["sh", "-c"]',
  "ubuntu:22.04@sha256:",
  " AS build",
  "--mount=type=secret,id=x ",
  "&&",
  "|",
];

describe("Dockerfile parser (property)", () => {
  it("throws nothing but ParseError on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        onlyDeclaredErrors(() => parseDockerfile(text), ParseError);
        onlyDeclaredErrors(() => parseImageRef(text), ParseError);
      }),
      PROPERTY_RUNS,
    );
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "one long RUN line": (n) => `FROM a\nRUN ${"echo x && ".repeat(n)}\n`,
        "long continuation chain": (n) => `FROM a\nRUN true \\\n${"  && echo x \\\n".repeat(n)}  && true\n`,
        "runs of backslashes": (n) => `FROM a\nRUN echo ${"\\".repeat(n * 10)}\n`,
        "unterminated quotes": (n) => `FROM a\nRUN ${"echo \"a 'b ".repeat(n)}\n`,
        "many instructions": (n) => `FROM a\n${"ENV A=b\nRUN x\n".repeat(n)}`,
        "many \\r": (n) => `FROM a\r${"RUN x\r".repeat(n)}`,
        "many variables": (n) => `FROM a\nARG A=1\nENV ${"B=${A:-${A}} ".repeat(n)}\n`,
        "unclosed heredocs": (n) => `FROM a\n${"RUN <<EOF\necho\n".repeat(n)}`,
        "many stages": (n) =>
          "FROM a AS s0\n".concat(Array.from({ length: n }, (_, i) => `FROM s${i} AS s${i + 1}\n`).join("")),
      },
      (text) => parseDockerfile(text),
      400,
    );
  });
});
