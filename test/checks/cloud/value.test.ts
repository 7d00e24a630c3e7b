import { describe, expect, it } from "vitest";
import {
  getKey,
  isUnknown,
  itemsOf,
  knownBoolean,
  knownInteger,
  knownString,
  UNKNOWN,
  unknownValue,
} from "../../../src/checks/cloud/index.js";

describe("cloud values", () => {
  it("marks unknowns, with an optional source", () => {
    expect(isUnknown(UNKNOWN)).toBe(true);
    expect(isUnknown(unknownValue("module.x.id"))).toBe(true);
    expect(unknownValue("module.x.id").source).toBe("module.x.id");
    expect(isUnknown("*")).toBe(false);
  });

  it("reads lists given as arrays or single values, with paths", () => {
    expect(itemsOf(["a", "b"], ["Action"])).toEqual([
      { value: "a", path: ["Action", 0] },
      { value: "b", path: ["Action", 1] },
    ]);
    expect(itemsOf("a", ["Action"])).toEqual([{ value: "a", path: ["Action"] }]);
    expect(itemsOf(undefined, [])).toEqual([]);
  });

  it("reads known scalars and nothing else", () => {
    expect(knownString(22)).toBe("22");
    expect(knownString(UNKNOWN)).toBeUndefined();
    expect(knownBoolean("False")).toBe(false);
    expect(knownBoolean(UNKNOWN)).toBeUndefined();
    expect(knownInteger("22")).toBe(22);
    expect(knownInteger("22a")).toBeUndefined();
    expect(knownInteger(2.5)).toBeUndefined();
  });

  it("looks keys up case-insensitively, exact first", () => {
    expect(getKey({ effect: "Allow" }, "Effect")).toEqual({ key: "effect", value: "Allow" });
    expect(getKey({ Effect: "Deny", effect: "Allow" }, "Effect")?.value).toBe("Deny");
  });
});
