// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform JSON strings use ${…}
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CloudValue, isUnknown, type ValuePath } from "../../src/checks/cloud/value.js";
import { Evaluator, type Loc } from "../../src/checks/tf/evaluate.js";
import { ParseError } from "../../src/formats/errors.js";
import { parseHclJson } from "../../src/formats/hcl-json.js";
import {
  isObject,
  type JsonValue,
  parseJsonWithPositions,
} from "../../src/formats/lockfiles/json-positions.js";
import { oracleParseHclJson } from "../support/hcl-json-oracle.js";
import { expectLinear, HOSTILE, PROPERTY_RUNS, tokenSoup } from "./support.js";

/** Whitespace between tokens, line breaks included: the lines are what is tested. */
const WS = fc.constantFrom("", " ", "\n", "\n  ", "\r\n", "\t", "\n\n");

/** String contents as written inside quotes: escapes, unicode, integer-like and prototype names. */
const CONTENT = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "a",
      "b",
      "x",
      "resource",
      "data",
      "locals",
      "variable",
      "module",
      "terraform",
      "aws_s3_bucket",
      "ingress",
      "0",
      "1",
      "10",
      "01",
      "-1",
      "4294967294",
      "4294967295",
      "__proto__",
      "constructor",
      "//",
      "${var.x}",
      "${aws_s3_bucket.b.id}",
      "${local.p[0]}",
      "${var.x}-y",
      "caf\\u00e9",
      'q\\"uote',
      "back\\\\slash",
      "line\\nbreak",
      "é",
      "𝔘",
      "\\ud800",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s).slice(1, -1)) },
);

const SCALAR = fc.oneof(
  CONTENT.map((c) => `"${c}"`),
  fc.constantFrom("0", "-1", "1.5", "1e3", "-0", "12345678901234567890", "true", "false", "null"),
);

const { value: JSON_TEXT } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, SCALAR, tie("array"), tie("object")),
  array: fc
    .array(fc.tuple(WS, tie("value"), WS), { maxLength: 4 })
    .map((items) => `[${items.map(([a, v, b]) => a + v + b).join(",")}]`),
  object: fc
    .array(fc.tuple(WS, CONTENT, WS, WS, tie("value"), WS), { maxLength: 6 })
    .map((entries) => `{${entries.map(([a, k, b, c, v, d]) => `${a}"${k}"${b}:${c}${v}${d}`).join(",")}}`),
}));

/** A document shaped like Terraform's: top-level block types, labels, bodies, sometimes a tfvars object. */
const TF_JSON = fc
  .array(fc.tuple(WS, CONTENT, WS, JSON_TEXT), { maxLength: 5 })
  .chain((top) =>
    fc
      .constantFrom(...["", "\n"])
      .map((pad) => `${pad}{${top.map(([a, k, b, v]) => `${a}"${k}"${b}:${v}`).join(",")}}`),
  );

function outcome(read: () => unknown): unknown {
  try {
    return { ok: read() };
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message, line: e.line };
    throw e;
  }
}

describe(".tf.json reader (property)", () => {
  it("gives the model, lines and errors the positioned reader gave", () => {
    fc.assert(
      fc.property(fc.oneof(TF_JSON, JSON_TEXT), (text) => {
        expect(outcome(() => parseHclJson(text))).toStrictEqual(outcome(() => oracleParseHclJson(text)));
      }),
      { numRuns: 400 },
    );
  });

  it("reports the same parse error on broken JSON", () => {
    const soup = tokenSoup([...HOSTILE, '{"resource":', '"a"', ":", ",", "1", "true", "\\u12", "\\"], 40);
    fc.assert(
      fc.property(
        fc.oneof(
          soup,
          TF_JSON.map((t) => t.slice(0, -1)),
        ),
        (text) => {
          expect(outcome(() => parseHclJson(text))).toStrictEqual(outcome(() => oracleParseHclJson(text)));
        },
      ),
      PROPERTY_RUNS,
    );
  });

  it("takes linear time, nesting included", () => {
    const level = (i: number) => Array.from({ length: 50 }, (_, k) => `"a${k}": "v${i}-${k}"`).join(",\n");
    expectLinear(
      {
        // Nested blocks each holding attributes: converting every subtree once per enclosing body was quadratic.
        "blocks nested as deep as the input is long": (n) =>
          `{"resource": {"t": {"n": ${`{${level(0)}, "b": `.repeat(n)}{}${"}".repeat(n)}}}}`,
        "one object with many keys": (n) =>
          `{"locals": {${Array.from({ length: n * 20 }, (_, i) => `"k${i}": ${i}`).join(",\n")}}}`,
        "many repeated and integer keys": (n) =>
          `{"locals": {${Array.from({ length: n * 20 }, (_, i) => `"${i % 7 === 0 ? i : `k${i % 50}`}": ${i}`).join(",\n")}}}`,
        "long strings with escapes": (n) => `{"locals": {"s": "${'a\\"b\\\\c\\u00e9'.repeat(n * 40)}"}}`,
      },
      (text) => parseHclJson(text),
      8,
    );
  });
});

/** Places of the values the old evaluator built from `parseJsonWithPositions`, for `locate`. */
function oracleJsonText(text: string, line: number, path: string) {
  const places = new Map<object, Map<string | number, Loc>>();
  const parsed = parseJsonWithPositions(text);
  const convert = (v: JsonValue, at: Loc): CloudValue => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      const out = v.map((x) => convert(x, at));
      places.set(out, new Map());
      return out;
    }
    const out: Record<string, CloudValue> = {};
    const keys = new Map<string | number, Loc>();
    for (const [k, x] of Object.entries(v)) {
      const loc = { path, line: line + parsed.keyLine(v, k)! - 1 };
      out[k] = convert(x, loc);
      keys.set(k, loc);
    }
    places.set(out, keys);
    return out;
  };
  const start = parsed.value;
  const first = isObject(start) ? parsed.objectLine(start) : undefined;
  const value = convert(start, { path, line: first === undefined ? line : line + first - 1 });
  const locate = (root: CloudValue, valuePath: ValuePath, fallback: Loc): Loc => {
    let loc = fallback;
    let node: CloudValue | undefined = root;
    for (const step of valuePath) {
      if (node === null || typeof node !== "object") break;
      const at = places.get(node)?.get(step);
      if (at) loc = at;
      node = (node as Record<string | number, CloudValue>)[step];
    }
    return loc;
  };
  return { value, locate };
}

/**
 * A value as plain data: own entries, Unknown by source, and the prototype a `"__proto__"` key set
 * (an assignment, in the old reader and the new). Compared as data: vitest reads a `constructor`
 * key as a type, and prototypes set from equal objects are not identical.
 */
function canonical(value: unknown): unknown {
  if (isUnknown(value)) return { unknown: value.source };
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(canonical);
  const proto = Object.getPrototypeOf(value);
  return {
    entries: Object.entries(value).map(([k, v]) => [k, canonical(v)]),
    proto: proto === Object.prototype ? "Object" : canonical(proto),
  };
}

function pathsOf(value: CloudValue, prefix: ValuePath = [], out: ValuePath[] = []): ValuePath[] {
  out.push(prefix);
  if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value))
      pathsOf(v as CloudValue, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

describe("heredoc JSON in the evaluator (property)", () => {
  it("builds the values and places the positioned reader gave", () => {
    fc.assert(
      fc.property(JSON_TEXT, fc.integer({ min: 1, max: 50 }), (text, line) => {
        const ev = new Evaluator({ variable: () => undefined, local: () => undefined });
        const got = ev.jsonText(text, line, "p.tf");
        let expected: ReturnType<typeof oracleJsonText>;
        try {
          expected = oracleJsonText(text, line, "p.tf");
        } catch {
          expect(got).toMatchObject({ source: "not JSON" });
          return;
        }
        expect(canonical(got)).toStrictEqual(canonical(expected.value));
        const fallback = { path: "fallback", line: 0 };
        for (const p of pathsOf(expected.value))
          expect(ev.locate(got, p, fallback)).toStrictEqual(expected.locate(expected.value, p, fallback));
      }),
      { numRuns: 300 },
    );
  });
});
