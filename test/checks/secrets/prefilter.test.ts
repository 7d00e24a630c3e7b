import { describe, expect, it } from "vitest";
import { KeywordPrefilter, trieSource } from "../../../src/checks/secrets/prefilter.js";

describe("keyword prefilter", () => {
  const prefilter = new KeywordPrefilter([
    ["ghp_", "gho_"],
    ["sk"],
    ["sk-ant-"],
    ["key"],
    ["hooks.slack.com"],
  ]);

  it("rejects lines without any keyword and accepts any case", () => {
    expect(prefilter.test("const total = items.length;")).toBe(false);
    expect(prefilter.test("GHP_abc")).toBe(true);
    expect(prefilter.test("see HOOKS.SLACK.COM")).toBe(true);
    expect(prefilter.test("hooks.slackXcom")).toBe(false);
  });

  it("wakes every group whose keyword occurs, including keywords inside longer ones", () => {
    expect([...prefilter.groupsIn("x = sk-ant-abc")]).toEqual([0, 1, 1, 0, 0]);
    expect([...prefilter.groupsIn("task: ghp_1 and gho_2, monkey")]).toEqual([1, 1, 0, 1, 0]);
  });

  it("finds keywords that overlap each other", () => {
    const overlapping = new KeywordPrefilter([["abc"], ["bcd"]]);
    expect([...overlapping.groupsIn("xabcdx")]).toEqual([1, 1]);
  });

  it("builds a trie-shaped alternation that matches exactly the keywords", () => {
    const source = trieSource(["ghp_", "gho_", "glpat-", "xoxb-"]);
    expect(source).toBe("g(?:h(?:p_|o_)|lpat\\-)|xoxb\\-");
    const re = new RegExp(`^(?:${source})$`);
    for (const w of ["ghp_", "gho_", "glpat-", "xoxb-"]) expect(re.test(w)).toBe(true);
    for (const w of ["gh", "ghx_", "glpat", "xoxa-"]) expect(re.test(w)).toBe(false);
  });
});
