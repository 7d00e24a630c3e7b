import { describe, expect, it } from "vitest";
import { memoOn } from "../../src/formats/memo.js";

describe("memoOn", () => {
  it("computes once per owner and key, undefined included", () => {
    const key = Symbol("k");
    const a = {};
    const b = {};
    let calls = 0;
    const compute = () => ++calls;
    expect(memoOn(a, key, compute)).toBe(1);
    expect(memoOn(a, key, compute)).toBe(1);
    expect(memoOn(b, key, compute)).toBe(2);
    let undefinedCalls = 0;
    const other = Symbol("other");
    const nothing = () => {
      undefinedCalls++;
      return undefined;
    };
    memoOn(a, other, nothing);
    expect(memoOn(a, other, nothing)).toBeUndefined();
    expect(undefinedCalls).toBe(1);
  });

  it("is invisible to keys, spread, JSON and equality", () => {
    const owner = { name: "x" };
    memoOn(owner, Symbol("cache"), () => [1, 2, 3]);
    expect(Object.keys(owner)).toEqual(["name"]);
    expect({ ...owner }).toStrictEqual({ name: "x" });
    expect(JSON.stringify(owner)).toBe('{"name":"x"}');
    expect(owner).toStrictEqual({ name: "x" });
  });
});
