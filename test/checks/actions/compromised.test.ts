import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  advisoriesFor,
  dataFilePath,
  knownCompromised,
  parseCompromisedList,
} from "../../../src/checks/actions/compromised.js";

describe("known-compromised.yml", () => {
  it("the shipped file is valid and names the March 2025 incidents", () => {
    const list = knownCompromised();
    const byAction = new Map(list.map((a) => [a.action, a.id]));
    expect(byAction.get("tj-actions/changed-files")).toBe("GHSA-mrrh-fwg8-r2c3");
    expect(byAction.get("reviewdog/action-setup")).toBe("GHSA-qmg3-hpqr-gqvc");
    expect(byAction.has("tj-actions/eslint-changed-files")).toBe(true);
    expect(parseCompromisedList(readFileSync(dataFilePath(), "utf8"))).toEqual(list);
  });

  it("rejects an entry with a bad SHA, range or key, naming the key path", () => {
    const bad = `advisories:
  - action: a/b
    id: GHSA-xxxx-xxxx-xxxx
    summary: something bad happened here
    affected:
      versions: "not a range"
      shas: [abc]
      branch: main
`;
    expect(() => parseCompromisedList(bad, "test.yml")).toThrow(
      /test\.yml: .*advisories\.0\.affected\.versions: a semver range.*advisories\.0\.affected\.shas\.0: a 40-hex commit SHA/,
    );
    expect(() => parseCompromisedList(bad)).toThrow(/branch/);
  });

  it("matching: SHAs exactly, floating tags by their line, exact refs and any-tag", () => {
    const list = parseCompromisedList(`advisories:
  - action: Org/Tool
    id: GHSA-aaaa-bbbb-cccc
    summary: tags were repointed to malware
    affected:
      versions: ">=2.1.0 <3.0.0"
      refs: [main]
      shas: ["${"a".repeat(40)}"]
  - action: org/wrapper
    id: GHSA-dddd-eeee-ffff
    summary: runs the compromised tool by tag
    affected:
      any-tag: true
`);
    const hit = (action: string, ref: string) => advisoriesFor(action, ref, list).map((a) => a.id);
    expect(hit("org/tool", "v2")).toEqual(["GHSA-aaaa-bbbb-cccc"]);
    expect(hit("org/tool", "v2.0")).toEqual([]);
    expect(hit("org/tool", "v2.1")).toEqual(["GHSA-aaaa-bbbb-cccc"]);
    expect(hit("org/tool", "2.5.3")).toEqual(["GHSA-aaaa-bbbb-cccc"]);
    expect(hit("org/tool", "v3")).toEqual([]);
    expect(hit("org/tool", "MAIN")).toEqual(["GHSA-aaaa-bbbb-cccc"]);
    expect(hit("org/tool", "A".repeat(40))).toEqual(["GHSA-aaaa-bbbb-cccc"]);
    expect(hit("org/tool", "b".repeat(40))).toEqual([]);
    expect(hit("org/wrapper", "v9")).toEqual(["GHSA-dddd-eeee-ffff"]);
    expect(hit("org/wrapper", "c".repeat(40))).toEqual([]);
  });
});
