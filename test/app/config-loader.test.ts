import { describe, expect, it } from "vitest";
import { deepMerge } from "../../src/app/config-loader.js";

describe("deepMerge (an _extends chain)", () => {
  it("merges nested sections key by key; the nearer file wins; lists are replaced", () => {
    const org = {
      "fail-on": "medium",
      deps: { vulnerabilities: "on", "registry-allow": ["registry.npmjs.org"] },
    };
    const repo = { deps: { vulnerabilities: "off", "registry-allow": ["npm.corp.net"] } };
    expect(deepMerge(org, repo)).toEqual({
      "fail-on": "medium",
      deps: { vulnerabilities: "off", "registry-allow": ["npm.corp.net"] },
    });
  });

  it("never writes through __proto__", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "deps": {"__proto__": {"x": 1}}}');
    const merged = deepMerge({ deps: {} }, hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(merged.deps)).toBe(Object.prototype);
  });
});
