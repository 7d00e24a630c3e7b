// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { reviewFiles, ruleLines } from "../../support/review.js";

const PATH = ".github/workflows/pr.yml";

const INSECURE = `name: PR preview
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - name: Greet
        run: echo "\${{ github.event.pull_request.title }}"
      - uses: peter-evans/create-or-update-comment@v4
`;

const SAFE = `name: PR preview
on:
  pull_request:
    types: [opened, synchronize]
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - name: Greet
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
      - uses: peter-evans/create-or-update-comment@71345be0265236311c031f5c7866368bd1eff043 # v4.0.0
`;

describe("what issue 6 must show", () => {
  it("reports untrusted checkout, script injection and an unpinned action on their lines", async () => {
    const review = await reviewFiles([{ path: PATH, head: INSECURE }]);
    expect(review.errors).toEqual([]);
    expect(ruleLines(review)).toEqual([
      ["actions/dangerous-trigger", 3],
      ["actions/untrusted-checkout", 13],
      ["actions/script-injection", 16],
      ["actions/unpinned-action", 17],
    ]);
    const injection = review.findings.find((f) => f.ruleId === "actions/script-injection")!;
    expect(injection.severity).toBe("critical");
    expect(injection.column).toBe(20);
    expect(injection.message).toContain("github.event.pull_request.title");
  });

  it("the safe rewrite gives nothing", async () => {
    const review = await reviewFiles([{ path: PATH, head: SAFE }]);
    expect(review.errors).toEqual([]);
    expect(ruleLines(review)).toEqual([]);
  });

  it("points at the fourth line of a multi-line run block", async () => {
    const head = `on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "triaging"
          set -eu
          labels=none
          echo "Issue: \${{ github.event.issue.title }}"
          echo done
`;
    const review = await reviewFiles([{ path: ".github/workflows/triage.yml", head }]);
    expect(ruleLines(review)).toEqual([["actions/script-injection", 11]]);
  });
});
