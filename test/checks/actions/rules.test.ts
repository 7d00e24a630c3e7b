// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { reviewFiles, ruleLines } from "../../support/review.js";

const PATH = ".github/workflows/ci.yml";

async function review(head: string, base?: string, path = PATH) {
  const r = await reviewFiles([{ path, head, base }]);
  expect(r.errors).toEqual([]);
  return r;
}

const WORKFLOW = `on: pull_request_target
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Greet
        run: echo "\${{ github.event.pull_request.title }}"
      - uses: some-org/lint@v1
`;

describe("diff-awareness and fingerprints", () => {
  it("adding an unrelated step reports nothing new", async () => {
    const head = WORKFLOW.replace(
      "    steps:\n",
      "    steps:\n      - uses: actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a # v4.2.0\n",
    );
    const r = await review(head, WORKFLOW);
    expect(ruleLines(r)).toEqual([]);
  });

  it("fingerprints do not change when steps before them are added or removed", async () => {
    const before = await review(WORKFLOW);
    const after = await review(
      WORKFLOW.replace("    steps:\n", "    steps:\n      - run: echo one\n      - run: echo two\n"),
    );
    const prints = (r: typeof before) => r.findings.map((f) => `${f.ruleId}:${f.fingerprint}`).sort();
    expect(prints(after)).toEqual(prints(before));
    expect(after.findings.find((f) => f.ruleId === "actions/script-injection")!.line).toBe(10);
  });

  it("the same expression added to another step is new", async () => {
    const head = `${WORKFLOW}      - name: Again
        run: echo "\${{ github.event.pull_request.title }}"
`;
    const r = await review(head, WORKFLOW);
    expect(ruleLines(r)).toEqual([["actions/script-injection", 11]]);
  });

  it("respacing an expression is not a new finding", async () => {
    const head = WORKFLOW.replace(
      "${{ github.event.pull_request.title }}",
      "${{github.event['pull_request'].title   }}",
    );
    const r = await review(head, WORKFLOW);
    expect(ruleLines(r)).toEqual([]);
  });
});

describe("inline suppressions", () => {
  it("a YAML comment above the line suppresses the finding with its reason", async () => {
    const head = WORKFLOW.replace(
      "        run: echo",
      "        # tollgate:ignore actions/script-injection -- the title is validated by a required check first\n        run: echo",
    );
    const r = await reviewFiles([{ path: PATH, head }]);
    expect(r.findings.map((f) => f.ruleId)).not.toContain("actions/script-injection");
    expect(r.suppressed.map((f) => [f.ruleId, f.line])).toEqual([["actions/script-injection", 9]]);
  });
});

describe("meta/parse-error", () => {
  it("a workflow that is not YAML gets one parse error at the line, and nothing else", async () => {
    const head = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "unterminated
     bad: indentation
`;
    const r = await reviewFiles([{ path: PATH, head }]);
    expect(
      r.findings
        .filter((f) => f.ruleId.startsWith("actions/") || f.ruleId === "meta/parse-error")
        .map((f) => [f.ruleId, f.line]),
    ).toEqual([["meta/parse-error", 6]]);
  });

  it("a workflow whose top level is a list is a parse error", async () => {
    const r = await reviewFiles([{ path: PATH, head: "- on: push\n" }]);
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([["meta/parse-error", 1]]);
  });

  it("an empty workflow, or one of only comments, is fine", async () => {
    expect(ruleLines(await review(""))).toEqual([]);
    expect(ruleLines(await review("# disabled for now\n\n"))).toEqual([]);
  });
});

describe("actions/unpinned-action", () => {
  it("grades first-party actions low and gives the pinning fix", async () => {
    const r = await review(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
      - uses: docker/login-action@v3.3.0
      - uses: docker/login-action@abc1234
      - uses: ./local
      - uses: docker://ghcr.io/org/tool:1.0
`);
    const found = r.findings.filter((f) => f.ruleId === "actions/unpinned-action");
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [6, "low"],
      [7, "low"],
      [8, "medium"],
      [9, "medium"],
      [11, "medium"],
    ]);
    expect(found[2]!.fix).toBe(
      "Pin to the full commit SHA with the version as a comment: `uses: docker/login-action@<40-hex sha> # v3.3.0`.",
    );
    expect(found[2]!.column).toBe(15);
  });

  it("reports job-level reusable workflows", async () => {
    const r = await review(`on: push
jobs:
  call:
    uses: org/shared/.github/workflows/build.yml@v2
  pinned:
    uses: org/shared/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567
`);
    expect(ruleLines(r)).toEqual([["actions/unpinned-action", 4]]);
    expect(r.findings[0]!.message).toContain("reusable workflow");
  });
});

describe("actions/known-compromised-action", () => {
  const uses = async (ref: string) => {
    const r = await review(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ref}
`);
    return r.findings.filter((f) => f.ruleId === "actions/known-compromised-action");
  };
  it.each([
    ["tj-actions/changed-files@v45", "critical"],
    ["tj-actions/changed-files@v45.0.7", "critical"],
    ["tj-actions/changed-files@v1.2", "critical"],
    ["TJ-Actions/Changed-Files@0e58ed8671d6b60d0890c21b07f8835ace038e67", "critical"],
    ["reviewdog/action-setup@v1", "critical"],
    ["reviewdog/action-shellcheck@v1", "high"],
    ["tj-actions/eslint-changed-files@v25", "high"],
  ])("%s is reported (%s)", async (ref, severity) => {
    const found = await uses(ref);
    expect(found.map((f) => [f.line, f.severity])).toEqual([[6, severity]]);
  });
  it.each([
    "tj-actions/changed-files@v46",
    "tj-actions/changed-files@v46.0.1",
    "tj-actions/changed-files@2f7c5bfce28377bc069a65ba478de0a74aa0ca32",
    "reviewdog/action-setup@v1.3.2",
    "tj-actions/eslint-changed-files@0cfcd35949a961d13e964a7c2a4971c0e89b68fc",
    "other/changed-files@v45",
  ])("%s is not reported", async (ref) => {
    expect(await uses(ref)).toEqual([]);
  });
  it("names the advisory in the message", async () => {
    const [f] = await uses("tj-actions/changed-files@v44");
    expect(f!.message).toMatch(
      /^`tj-actions\/changed-files@v44` is affected by GHSA-mrrh-fwg8-r2c3, CVE-2025-30066: /,
    );
    expect(f!.fix).toContain("v46.0.1");
  });
});

describe("actions/excessive-permissions", () => {
  it("a job with its own permissions on a privileged trigger is fine; one without is reported at its key", async () => {
    const r = await review(`on: pull_request_target
jobs:
  ok:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - run: echo
  bare:
    runs-on: ubuntu-latest
    steps:
      - run: echo
`);
    const found = r.findings.filter((f) => f.ruleId === "actions/excessive-permissions");
    expect(found.map((f) => [f.line, f.severity])).toEqual([[9, "medium"]]);
  });
});

describe("actions/persisted-credentials", () => {
  it("reports checkout on a privileged trigger without persist-credentials: false", async () => {
    const r = await review(`on: issue_comment
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: "false"
`);
    expect(ruleLines(r)).toEqual([["actions/persisted-credentials", 7]]);
  });
});

describe("actions/untrusted-checkout", () => {
  it("reports refs/pull and the head repository on issue_comment and pull_request_target", async () => {
    const r = await review(`on:
  issue_comment:
    types: [created]
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: refs/pull/\${{ github.event.issue.number }}/merge
          persist-credentials: false
      - run: git fetch origin pull/\${{ github.event.issue.number }}/head:pr && git checkout pr
`);
    expect(ruleLines(r).filter(([id]) => id === "actions/untrusted-checkout")).toEqual([
      ["actions/untrusted-checkout", 11],
      ["actions/untrusted-checkout", 13],
    ]);
  });

  for (const on of ["issue_comment", "pull_request_target", "workflow_run"]) {
    it(`reports refs/pull built with format() on ${on}`, async () => {
      const r = await review(`on: ${on}
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ format('refs/pull/{0}/head', github.event.issue.number) }}
          persist-credentials: false
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ format('refs/pull/{0}/merge', github.event.pull_request.number) }}
          persist-credentials: false
      - run: git fetch origin \${{ format('pull/{0}/head', github.event.issue.number) }}
`);
      const found = r.findings.filter((f) => f.ruleId === "actions/untrusted-checkout");
      expect(found.map((f) => [f.line, f.column, f.severity])).toEqual([
        [9, 16, "critical"],
        [13, 16, "critical"],
        [15, 14, "critical"],
      ]);
      expect(found[0]!.message).toContain(
        `This \`${on}\` workflow checks out the pull request's code (\`ref: refs/pull/…\`)`,
      );
    });
  }

  it("reports a head SHA or branch an earlier step or job looked up, and a ref an outsider chooses", async () => {
    const r = await review(`on:
  issue_comment:
    types: [created]
permissions: {}
jobs:
  resolve:
    runs-on: ubuntu-latest
    outputs:
      sha: \${{ steps.pr.outputs.sha }}
      label: \${{ steps.pr.outputs.label }}
    steps:
      - id: pr
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          SHA=$(gh pr view "\${{ github.event.issue.number }}" --json headRefOid -q .headRefOid)
          echo "sha=$SHA" >> "$GITHUB_OUTPUT"
          echo "label=bug" >> "$GITHUB_OUTPUT"
      - id: api
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          result-encoding: string
          script: |
            const { data: pr } = await github.rest.pulls.get({ ...context.repo, pull_number: context.issue.number })
            return pr.head.ref
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ steps.api.outputs.result }}
          persist-credentials: false
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ steps.pr.outputs.label }}
          persist-credentials: false
  build:
    needs: resolve
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ needs.resolve.outputs.sha }}
          persist-credentials: false
      - id: body
        env:
          BODY: \${{ github.event.comment.body }}
        run: echo "ref=\${BODY#/deploy }" >> "$GITHUB_OUTPUT"
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ steps.body.outputs.ref }}
          persist-credentials: false
      - run: git checkout \${{ needs.resolve.outputs.sha }}
`);
    const found = r.findings.filter((f) => f.ruleId === "actions/untrusted-checkout");
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [28, 16],
      [40, 16],
      [48, 16],
      [50, 14],
    ]);
    expect(found[0]!.message).toContain("step `api` looked up the pull request's head");
    expect(found[1]!.message).toContain("job `resolve` looked up the pull request's head");
    expect(found[2]!.message).toContain(
      "an outsider chooses it: `steps.body.outputs.ref` (from `github.event.comment.body`)",
    );
  });

  it("does not report a push workflow checking out a ref", async () => {
    const r = await review(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ github.head_ref }}
`);
    expect(ruleLines(r)).toEqual([]);
  });
});

describe("actions/hardcoded-container-credentials", () => {
  it("never repeats the password", async () => {
    const password = "s3cr3t-Registry-Passw0rd";
    const r = await review(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/org/img:1
      credentials:
        username: me
        password: ${password}
    steps:
      - run: make
`);
    const f = r.findings.find((x) => x.ruleId === "actions/hardcoded-container-credentials")!;
    expect(f.line).toBe(9);
    expect(JSON.stringify(f)).not.toContain(password);
  });
});

describe("actions/self-hosted-runner-on-pr", () => {
  it("points at the self-hosted label", async () => {
    const r = await review(`on: pull_request
jobs:
  a:
    runs-on: self-hosted
    steps:
      - run: make
`);
    expect(ruleLines(r)).toEqual([["actions/self-hosted-runner-on-pr", 4]]);
  });
});

describe("actions/env-file-injection", () => {
  it("grades GITHUB_OUTPUT one step below GITHUB_ENV", async () => {
    const r = await review(`on: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      REF: \${{ github.head_ref }}
    steps:
      - run: |
          echo "ref=$REF" >> "$GITHUB_OUTPUT"
          echo "REF2=\${REF}" >> \${GITHUB_ENV}
          echo "SAFE=$GITHUB_SHA" >> "$GITHUB_ENV"
`);
    const found = r.findings.filter((f) => f.ruleId === "actions/env-file-injection");
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [10, "medium"],
      [11, "high"],
    ]);
  });
});

describe("actions/spoofable-bot-check", () => {
  it("reads conditions with or without ${{ }} and ignores the PR author check", async () => {
    const r = await review(`on: pull_request_target
permissions: {}
jobs:
  a:
    if: \${{ github.actor == 'dependabot[bot]' && github.event.pull_request.user.login == 'dependabot[bot]' }}
    runs-on: ubuntu-latest
    steps:
      - if: "!('renovate[bot]' != github.actor)"
        run: echo
      - if: github.actor != 'dependabot[bot]'
        run: echo skipped for bots, which is not a grant
      - if: github.event.pull_request.user.login == 'dependabot[bot]'
        run: echo
`);
    expect(ruleLines(r).filter(([id]) => id === "actions/spoofable-bot-check")).toEqual([
      ["actions/spoofable-bot-check", 5],
      ["actions/spoofable-bot-check", 8],
    ]);
  });
});
