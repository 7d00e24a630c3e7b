// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

/** Bad input gets a clear answer (a finding or nothing), never a crash or a hang. */

const PATH = ".github/workflows/ci.yml";

/**
 * These tests are about what each bound reports, not the per-file time budget (tested on its own in
 * test/review/unreviewable.test.ts): a loaded test machine must not turn a parse error into that.
 */
async function review(head: string, base?: string, path = PATH) {
  return reviewFiles([{ path, head, base }], { config: config({ "max-file-ms": 60_000 }) });
}

describe("odd but valid workflows", () => {
  it("reads `on` written as a YAML 1.1 boolean key", async () => {
    const r = await review(`true: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.head_ref }}"
`);
    expect(r.findings.find((f) => f.ruleId === "actions/script-injection")?.severity).toBe("critical");
  });

  it("ignores jobs and steps of the wrong shape, and non-string run values", async () => {
    const r = await review(`on: push
jobs:
  - not: a map
---
`);
    expect(r.errors).toEqual([]);
    expect(ruleLines(r)).toEqual([]);
    const r2 = await review(`on: push
jobs:
  a:
    steps: { run: "echo \${{ github.head_ref }}" }
  b:
    steps:
      - run: 42
      - uses:
      - "just a string"
`);
    expect(r2.errors).toEqual([]);
    expect(ruleLines(r2)).toEqual([]);
  });

  it("a multi-document workflow is a parse error on the second document", async () => {
    const r = await review("on: push\njobs: {}\n---\non: push\n");
    expect(ruleLines(r)).toEqual([["meta/parse-error", 3]]);
  });

  it("skips `uses:` built from expressions and malformed refs", async () => {
    const r = await review(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: \${{ matrix.action }}
      - uses: no-ref-here
`);
    expect(r.errors).toEqual([]);
    expect(ruleLines(r)).toEqual([]);
  });

  it("reports an unpinned image of a Docker container action", async () => {
    const r = await review(
      `name: x
runs:
  using: docker
  image: docker://ghcr.io/org/tool:latest
`,
      undefined,
      "action.yml",
    );
    expect(ruleLines(r)).toEqual([["actions/unpinned-action", 4]]);
  });
});

describe("hostile input stays bounded", () => {
  it("aliases multiplying steps beyond the bound are a parse error, not a hang", async () => {
    const steps = Array.from({ length: 300 }, (_, i) => `      - run: echo ${i}`).join("\n");
    const jobs = Array.from(
      { length: 100 },
      (_, i) => `  j${i}:\n    runs-on: ubuntu-latest\n    steps: *s`,
    ).join("\n");
    const head = `on: push\nx-steps: &s\n${steps.replace(/^ {4}/gm, "  ")}\njobs:\n${jobs}\n`;
    const r = await review(head);
    expect(ruleLines(r)).toEqual([["meta/parse-error", 1]]);
    expect(r.findings[0]!.message).toMatch(/too large to review: 100 jobs and 30000 steps/);
  });

  it("nested merge keys are bounded", async () => {
    const levels = ["a0: &a0 { k: v }"];
    for (let i = 1; i < 12; i++)
      levels.push(`a${i}: &a${i}\n  <<: [*a${i - 1}, *a${i - 1}, *a${i - 1}]\n  k${i}: v`);
    const head = `${levels.join("\n")}\non: push\nenv:\n  <<: *a11\njobs: {}\n`;
    const r = await review(head);
    expect(r.errors).toEqual([]);
  });

  it("a very long run line, deep expressions and long property chains do not break the review", async () => {
    const longLine = `${"curl ".repeat(20_000)}x`;
    const deep = `${"(".repeat(300)}github.head_ref${")".repeat(300)}`;
    const chain = `github${".a".repeat(500)}`;
    const r = await review(`on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: ${longLine}
      - run: echo "\${{ ${deep} }}"
      - run: echo "\${{ ${chain} }}"
`);
    expect(r.errors).toEqual([]);
    // The unparseable deep expression is still analysed conservatively: github.head_ref is in it.
    expect(ruleLines(r)).toEqual([["actions/script-injection", 8]]);
  });

  it("an unterminated ${{ does not hide the expressions before it", async () => {
    const r = await review(`on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.issue.title }}" "\${{ github.event.issue.body"
`);
    expect(ruleLines(r)).toEqual([["actions/script-injection", 7]]);
  });
});

describe("trigger changes", () => {
  const body = `permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: echo "\${{ github.event.pull_request.title }}"
`;
  it("moving to pull_request_target makes the unchanged checkout and injection new, critical findings", async () => {
    const r = await review(`on: pull_request_target\n${body}`, `on: pull_request\n${body}`);
    expect(r.findings.map((f) => [f.ruleId, f.line, f.severity])).toEqual([
      ["actions/dangerous-trigger", 1, "medium"],
      ["actions/untrusted-checkout", 9, "critical"],
      ["actions/script-injection", 11, "critical"],
    ]);
  });
});
