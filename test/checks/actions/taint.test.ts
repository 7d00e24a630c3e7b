// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

const PATH = ".github/workflows/ci.yml";

async function injections(head: string, options: Parameters<typeof reviewFiles>[1] = {}, path = PATH) {
  const review = await reviewFiles([{ path, head }], options);
  expect(review.errors).toEqual([]);
  return review.findings.filter((f) => f.ruleId === "actions/script-injection");
}

const job = (steps: string, on = "pull_request_target", extra = "") => `on: ${on}
permissions: {}
${extra}jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${steps}`;

describe("attacker-controlled contexts", () => {
  const tainted = [
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.pages[0].page_name",
    "github.event.commits[0].message",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.committer.name",
    "github.event.workflow_run.head_commit.committer.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_repository.description",
    "github.event.workflow_run.pull_requests[0].head.ref",
    "github.event.pull_request.head.repo.description",
    "github.event.pull_request.head.repo.homepage",
    "github.event.merge_group.head_commit.message",
    "github.event.merge_group.head_commit.author.name",
    "github.event.merge_group.head_commit.committer.email",
    "github.event.pages[0].title",
    "github.event.pages.*.summary",
    "github.event.changes.title.from",
    "github.event.changes.body.from",
    "github.event.answer.body",
    "toJSON(github.event.merge_group.head_commit)",
    "github.head_ref",
    "github.event['pull_request']['title']",
    "toJSON(github.event)",
    "toJSON(github.event.pull_request)",
    "join(github.event.commits.*.message, ' ')",
    "format('{0}-{1}', github.run_id, github.head_ref)",
    "github.event.pull_request.body || 'none'",
    "fromJSON(toJSON(github.event.issue)).title",
  ];
  for (const expr of tainted) {
    it(`reports ${expr}`, async () => {
      const found = await injections(job(`      - run: echo "\${{ ${expr} }}"`));
      expect(found.map((f) => f.line)).toEqual([7]);
    });
  }

  const safe = [
    "github.event.pull_request.number",
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.repo.id",
    "github.event.issue.id",
    "github.event.merge_group.head_sha",
    "github.event.workflow_run.head_commit.id",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.user.login",
    "github.sha",
    "github.run_id",
    "github.repository",
    "github.event_name",
    "steps.build.outcome",
    "contains(github.event.pull_request.title, 'WIP')",
    "github.event.pull_request.title == 'release'",
    "startsWith(github.head_ref, 'dependabot/')",
    "!github.event.issue.body",
    "hashFiles('**/package-lock.json')",
    "secrets.NPM_TOKEN",
  ];
  for (const expr of safe) {
    it(`does not report ${expr}`, async () => {
      expect(await injections(job(`      - run: echo "\${{ ${expr} }}"`))).toEqual([]);
    });
  }
});

describe("taint through env, outputs and needs", () => {
  it("follows workflow- and job-level env into ${{ env.X }} but not a quoted $X", async () => {
    const head = `on: pull_request_target
permissions: {}
env:
  TITLE: \${{ github.event.pull_request.title }}
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      BRANCH: \${{ github.head_ref }}
      SHA: \${{ github.event.pull_request.head.sha }}
    steps:
      - run: echo "$TITLE $BRANCH"
      - run: echo "\${{ env.TITLE }}"
      - run: echo "\${{ env.BRANCH }} \${{ env.SHA }}"
`;
    const found = await injections(head);
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [13, 20],
      [14, 20],
    ]);
    expect(found[0]!.message).toContain("`env.TITLE` (from `github.event.pull_request.title`)");
  });

  it("a step env overrides a tainted job env with a safe value", async () => {
    const head = job(
      `      - env:
          TITLE: fixed
        run: echo "\${{ env.TITLE }}"`,
      "pull_request_target",
      "env:\n  TITLE: ${{ github.event.issue.title }}\n",
    );
    expect(await injections(head)).toEqual([]);
  });

  it("follows a step output written to $GITHUB_OUTPUT, only after that step", async () => {
    const head = job(`      - run: echo "\${{ steps.meta.outputs.title }}"
      - id: meta
        env:
          T: \${{ github.event.issue.title }}
        run: |
          echo "title=$T" >> "$GITHUB_OUTPUT"
          echo "count=3" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.meta.outputs.title }} \${{ steps.meta.outputs.count }}"`);
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([14]);
    expect(found[0]!.message).toContain("`steps.meta.outputs.title`");
  });

  it("follows heredoc outputs and actions/github-script setOutput", async () => {
    const head = job(`      - id: body
        env:
          BODY: \${{ github.event.comment.body }}
        run: |
          {
            echo "text<<EOF"
            echo "$BODY"
            echo "EOF"
          } >> "$GITHUB_OUTPUT"
      - id: gs
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: core.setOutput('title', context.payload.issue.title)
      - run: echo "\${{ steps.body.outputs.text }}" "\${{ steps.gs.outputs.title }}"`);
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([20, 20]);
  });

  it("follows $GITHUB_ENV writes into env.* of later steps", async () => {
    const head = job(`      - run: echo "NAME=\${{ github.head_ref }}" >> "$GITHUB_ENV"
      - run: echo "\${{ env.NAME }}"`);
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([7, 8]);
  });

  it("follows job outputs into needs.*", async () => {
    const head = `on: issues
permissions: {}
jobs:
  meta:
    runs-on: ubuntu-latest
    outputs:
      title: \${{ steps.t.outputs.title }}
      number: \${{ github.event.issue.number }}
    steps:
      - id: t
        run: echo "title=\${{ github.event.issue.title }}" >> "$GITHUB_OUTPUT"
  use:
    needs: meta
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.meta.outputs.title }} \${{ needs.meta.outputs.number }}"
`;
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([11, 16]);
    expect(found[1]!.message).toContain("`needs.meta.outputs.title`");
  });
});

describe("step outputs from github-script results, the event payload file and ::set-output", () => {
  it("actions/github-script's return value is steps.<id>.outputs.result", async () => {
    const head = job(`      - id: gs
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          result-encoding: string
          script: |
            const pr = context.payload.pull_request
            return context.payload.pull_request.title
      - id: num
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: return context.payload.pull_request.number
      - run: echo "\${{ steps.gs.outputs.result }}" "\${{ steps.num.outputs.result }}"`);
    const found = await injections(head);
    expect(found.map((f) => [f.line, f.column])).toEqual([[18, 20]]);
    expect(found[0]!.message).toContain("`steps.gs.outputs.result` (from `github.event.pull_request.title`)");
  });

  it("setOutput and exportVariable of a local assigned from the payload", async () => {
    const head = job(`      - id: gs
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: |
            const branch = context.payload.pull_request.head.ref
            core.setOutput('branch', branch)
            core.exportVariable('PR_BODY', context.payload.pull_request.body.trim())
      - run: echo "\${{ steps.gs.outputs.branch }}" "\${{ env.PR_BODY }}"`);
    const found = await injections(head);
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [14, 20],
      [14, 53],
    ]);
    expect(found[1]!.message).toContain("`env.PR_BODY` (from `github.event.pull_request.body.trim`)");
  });

  it("fields read from $GITHUB_EVENT_PATH with jq, directly or through a shell variable", async () => {
    const review = await reviewFiles([
      {
        path: PATH,
        head: job(`      - id: pr
        run: |
          echo "branch=$(jq -r .pull_request.head.ref "$GITHUB_EVENT_PATH")" >> "$GITHUB_OUTPUT"
          echo "number=$(jq -r .pull_request.number "$GITHUB_EVENT_PATH")" >> "$GITHUB_OUTPUT"
          TITLE=$(jq -r '.pull_request.title' < "$GITHUB_EVENT_PATH")
          echo "PR_TITLE=$TITLE" >> "$GITHUB_ENV"
      - run: echo "\${{ steps.pr.outputs.branch }}" "\${{ steps.pr.outputs.number }}" "\${{ env.PR_TITLE }}"`),
      },
    ]);
    expect(
      review.findings
        .filter((f) => f.ruleId.startsWith("actions/") && f.ruleId !== "actions/dangerous-trigger")
        .map((f) => [f.ruleId, f.line, f.column, f.severity]),
    ).toEqual([
      ["actions/env-file-injection", 9, 11, "medium"],
      ["actions/env-file-injection", 12, 11, "high"],
      ["actions/script-injection", 13, 20, "critical"],
      ["actions/script-injection", 13, 86, "critical"],
    ]);
    const [branch] = review.findings.filter((f) => f.ruleId === "actions/env-file-injection");
    expect(branch!.message).toContain(
      "`.pull_request.head.ref` of the event payload (`$GITHUB_EVENT_PATH` (from `github.event.pull_request.head.ref`))",
    );
  });

  it("the legacy ::set-output workflow command", async () => {
    const head = job(
      `      - id: r
        run: echo "::set-output name=text::\${{ github.event.review.body }}"
      - run: echo "\${{ steps.r.outputs.text }}"`,
      "pull_request_review",
      "",
    );
    const found = await injections(head);
    expect(found.map((f) => [f.line, f.column, f.severity])).toEqual([
      [8, 44, "high"],
      [9, 20, "high"],
    ]);
    expect(found[1]!.message).toContain("`steps.r.outputs.text` (from `github.event.review.body`)");
  });
});

describe("messages show expressions as written", () => {
  it("keeps case and spacing in the message, fix and evidence, and canonical text in the fingerprint", async () => {
    const written = job('      - run: echo "${{ toJSON( github.event.PULL_REQUEST ) }}" >> "$GITHUB_ENV"');
    const canonical = job('      - run: echo "${{ tojson(github.event.pull_request) }}" >> "$GITHUB_ENV"');
    const a = await reviewFiles([{ path: PATH, head: written }]);
    const b = await reviewFiles([{ path: PATH, head: canonical }]);
    const pick = (r: typeof a, id: string) => r.findings.find((f) => f.ruleId === id)!;
    const injection = pick(a, "actions/script-injection");
    expect(injection.message).toMatch(
      /^`\$\{\{ toJSON\( github\.event\.PULL_REQUEST \) \}\}` is pasted into the script/,
    );
    expect(injection.evidence).toBe("${{ toJSON( github.event.PULL_REQUEST ) }}");
    expect(injection.fix).toContain("`PR: ${{ toJSON( github.event.PULL_REQUEST ) }}`");
    const write = pick(a, "actions/env-file-injection");
    expect(write.message).toMatch(
      /^`\$\{\{ toJSON\( github\.event\.PULL_REQUEST \) \}\}` \(`github\.event\.pull_request`\)/,
    );
    for (const id of ["actions/script-injection", "actions/env-file-injection"])
      expect(pick(a, id).fingerprint).toBe(pick(b, id).fingerprint);
  });

  it("in untrusted-checkout messages too", async () => {
    const r = await reviewFiles([
      {
        path: PATH,
        head: job(`      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          ref: \${{ github.event.Pull_Request.Head.SHA }}
          persist-credentials: false`),
      },
    ]);
    const f = r.findings.find((x) => x.ruleId === "actions/untrusted-checkout")!;
    expect([f.line, f.column]).toEqual([9, 16]);
    expect(f.message).toContain("(`ref: ${{ github.event.Pull_Request.Head.SHA }}`)");
  });
});

describe("inputs", () => {
  const head = `on:
  workflow_dispatch:
    inputs:
      name: { required: true }
jobs:
  hello:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ inputs.name }} \${{ github.event.inputs.name }}"
`;
  it("are trusted by default", async () => {
    expect(await injections(head)).toEqual([]);
  });
  it("are reported when actions.untrusted-inputs is set, at medium on workflow_dispatch", async () => {
    const found = await injections(head, { config: config({ actions: { "untrusted-inputs": true } }) });
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [9, "medium"],
      [9, "medium"],
    ]);
  });
  it("in a composite action too, at high (its caller's trigger is unknown)", async () => {
    const action = `name: greet
inputs:
  who: { required: true }
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        echo hello
        echo "\${{ inputs.who }}"
`;
    expect(await injections(action, {}, "action.yml")).toEqual([]);
    const found = await injections(
      action,
      { config: config({ actions: { "untrusted-inputs": true } }) },
      "action.yml",
    );
    expect(found.map((f) => [f.line, f.severity])).toEqual([[10, "high"]]);
  });
});

describe("severity follows the trigger", () => {
  const cases: Array<[string, string]> = [
    ["pull_request_target", "critical"],
    ["[push, issue_comment]", "critical"],
    ["{ workflow_run: { workflows: [CI] } }", "critical"],
    ["pull_request_review_comment", "high"],
    ["pull_request_review", "high"],
    ["[pull_request_review, issues]", "critical"],
    ["pull_request", "high"],
    ["workflow_call", "high"],
    ["push", "medium"],
    ["[push, workflow_dispatch]", "medium"],
  ];
  for (const [on, severity] of cases) {
    it(`${on} → ${severity}`, async () => {
      const found = await injections(job('      - run: echo "${{ github.head_ref }}"', on));
      expect(found.map((f) => f.severity)).toEqual([severity]);
    });
  }
});

describe("review triggers run a fork's pull request without secrets", () => {
  it("grades pull_request_review like pull_request and says so", async () => {
    const r = await reviewFiles([
      {
        path: PATH,
        head: job('      - run: echo "${{ github.event.review.body }}"', "pull_request_review", "").replace(
          "permissions: {}\n",
          "",
        ),
      },
    ]);
    const found = r.findings.filter((f) => f.ruleId === "actions/script-injection");
    expect(found.map((f) => [f.line, f.column, f.severity])).toEqual([[6, 20, "high"]]);
    expect(found[0]!.message).toContain("on `pull_request_review`, on the runner");
    expect(found[0]!.message).not.toContain("write token");
    // No secrets and a read-only token on forks: a missing permissions: block is not a finding either.
    expect(r.findings.filter((f) => f.ruleId === "actions/excessive-permissions")).toEqual([]);
  });
});

describe("where expressions are found", () => {
  it("finds expressions in quoted, folded and CRLF run values, and in github-script code", async () => {
    const head = [
      "on: issues",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      '      - run: "echo \\"${{ github.event.issue.title }}\\""',
      "      - run: >",
      "          echo start &&",
      "          echo ${{ github.event.issue.body }}",
      "      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1",
      "        with:",
      "          script: |",
      "            console.log('x')",
      "            console.log(`${{ github.event.issue.title }}`)",
      "",
    ].join("\r\n");
    const review = await reviewFiles([{ path: PATH, head }]);
    expect(ruleLines(review).filter(([id]) => id === "actions/script-injection")).toEqual([
      ["actions/script-injection", 7],
      ["actions/script-injection", 10],
      ["actions/script-injection", 15],
    ]);
  });

  it("follows YAML anchors and aliases", async () => {
    const head = `on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps: &steps
      - run: echo "\${{ github.event.issue.title }}"
  b:
    runs-on: ubuntu-latest
    steps: *steps
`;
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([7, 7]);
    expect(new Set(found.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("does not report expressions in with: of ordinary actions or in if:", async () => {
    const head = job(`      - uses: some/action@0123456789abcdef0123456789abcdef01234567
        if: github.event.issue.title != ''
        with:
          title: \${{ github.event.issue.title }}`);
    expect(await injections(head)).toEqual([]);
  });
});

describe("outputs of actions that report pull request contents", () => {
  it("tj-actions/changed-files outputs are file names the PR author chose", async () => {
    const head = job(`      - id: changed
        uses: tj-actions/changed-files@2f7c5bfce28377bc069a65ba478de0a74aa0ca32 # v46.0.1
      - run: ./lint.sh \${{ steps.changed.outputs.all_changed_files }}`);
    const found = await injections(head);
    expect(found.map((f) => f.line)).toEqual([9]);
    expect(found[0]!.message).toContain(
      "`steps.changed.outputs.all_changed_files` (from file names in the pull request (tj-actions/changed-files))",
    );
    expect(found[0]!.fix).toContain('"$ALL_CHANGED_FILES"');
  });
});

describe("the suggested variable name", () => {
  it("is readable", async () => {
    const { suggestEnvName } = await import("../../../src/checks/actions/script-injection.js");
    expect(suggestEnvName("github.event.pull_request.title")).toBe("PR_TITLE");
    expect(suggestEnvName("github.head_ref")).toBe("HEAD_REF");
    expect(suggestEnvName("github.event.comment.body")).toBe("COMMENT_BODY");
    expect(suggestEnvName("inputs.message")).toBe("MESSAGE");
    expect(suggestEnvName("github.event.commits.*.message")).toBe("COMMITS_MESSAGE");
    expect(suggestEnvName("env.TITLE")).toBe("TITLE");
  });
});
