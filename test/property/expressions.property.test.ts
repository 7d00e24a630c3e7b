import fc from "fast-check";
import { describe, it } from "vitest";
import {
  analyseExpression,
  ExpressionError,
  findExpressions,
  parseExpression,
  renderExpressions,
} from "../../src/formats/expressions.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "${{",
  "}}",
  "github.event.pull_request.title",
  "'",
  "''",
  "(",
  ")",
  ",",
  ".",
  "*",
  "[",
  "]",
  "==",
  "!",
  "&&",
  "||",
  "format(",
  "toJSON(",
  "fromJSON(",
  "contains(",
  "0x1F",
  "1e3",
  "null",
  "true",
  "inputs.x",
  "steps.a.outputs.b",
];

describe("GitHub expressions (property)", () => {
  it("throw nothing but ExpressionError on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        for (const e of findExpressions(text)) {
          onlyDeclaredErrors(() => parseExpression(e.body), ExpressionError);
          onlyDeclaredErrors(() => analyseExpression(e.body), ExpressionError);
        }
        onlyDeclaredErrors(() => parseExpression(text), ExpressionError);
        onlyDeclaredErrors(() => analyseExpression(text), ExpressionError);
        onlyDeclaredErrors(() => renderExpressions(text), ExpressionError);
      }),
      PROPERTY_RUNS,
    );
  });

  const whole = (text: string) => {
    for (const e of findExpressions(text)) {
      try {
        analyseExpression(e.body);
      } catch {
        // an expression GitHub would reject: still timed
      }
    }
    renderExpressions(text);
  };

  it("take linear time on adversarial shapes", () => {
    expectLinear(
      {
        "many expressions": (n) => "echo ${{ github.event.issue.title }} ".repeat(n),
        "unterminated ${{": (n) => "${{ ".repeat(n),
        "${{ then a string never closed": (n) => `\${{ '${"x".repeat(n * 10)}`,
        "long runs of quotes": (n) => `\${{ ${"'".repeat(n * 10)} }}`,
        "long runs of backslashes": (n) => `\${{ '${"\\".repeat(n * 10)}' }}`,
        "long property chain": (n) => `\${{ github${".a".repeat(n)} }}`,
        "long || chain": (n) => `\${{ ${"a || ".repeat(n)}b }}`,
        "deep parentheses": (n) => `\${{ ${"(".repeat(n)}a${")".repeat(n)} }}`,
        "unclosed parentheses": (n) => `\${{ ${"(".repeat(n)} }}`,
      },
      whole,
      200,
    );
  });
});
