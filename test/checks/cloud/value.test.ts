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
  it("finds keys whatever their case, and only keys that match", () => {
    const obj = { statement: [1], Effect: "Allow", EFFECTS: "x", Étiquette: 1, Sid: undefined };
    expect(getKey(obj, "Statement")).toEqual({ key: "statement", value: [1] });
    expect(getKey(obj, "effect")).toEqual({ key: "Effect", value: "Allow" });
    expect(getKey(obj, "ÉTIQUETTE")).toEqual({ key: "Étiquette", value: 1 });
    expect(getKey(obj, "Sid")).toBeUndefined();
    expect(getKey(obj, "Action")).toBeUndefined();
    // A non-ASCII key whose lower case is longer than itself is still compared in full.
    expect(getKey({ "\u0130D": 1 }, "\u0130d")).toEqual({ key: "\u0130D", value: 1 });
  });
});
