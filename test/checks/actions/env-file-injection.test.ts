// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the subject here
import { describe, expect, it } from "vitest";
import { config, reviewFiles } from "../../support/review.js";

const PATH = ".github/workflows/triage.yml";

async function review(head: string, base?: string, options: Parameters<typeof reviewFiles>[1] = {}) {
  const r = await reviewFiles([{ path: PATH, head, base }], options);
  expect(r.errors).toEqual([]);
  return r;
}

/** `[ruleId, line, column]` of the env-file and script-injection findings, in order. */
function hits(r: Awaited<ReturnType<typeof review>>) {
  return r.findings
    .filter((f) => f.ruleId === "actions/env-file-injection" || f.ruleId === "actions/script-injection")
    .map((f) => [f.ruleId, f.line, f.column] as const)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

/** An `issues` workflow whose one step has BODY (the issue body) in its env and runs `script`. */
const issues = (script: string, more = "") => `on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - env:
          BODY: \${{ github.event.issue.body }}
        run: |
${script
  .split("\n")
  .map((l) => (l ? `          ${l}` : l))
  .join("\n")}
${more}`;

describe("actions/env-file-injection through blocks, exec and heredocs", () => {
  it("GitHub's multi-line idiom: a brace group redirected to $GITHUB_ENV, and env.* of later steps", async () => {
    const r = await review(
      issues(
        `{
  echo "ISSUE_BODY<<EOF"
  echo "$BODY"
  echo "EOF"
} >> "$GITHUB_ENV"`,
        `      - run: echo "\${{ env.ISSUE_BODY }}"\n`,
      ),
    );
    expect(hits(r)).toEqual([
      ["actions/env-file-injection", 12, 13],
      ["actions/script-injection", 15, 20],
    ]);
    const f = r.findings.find((x) => x.ruleId === "actions/env-file-injection")!;
    expect(f.severity).toBe("high");
    expect(f.message).toContain("`$BODY` (`github.event.issue.body`) is written to `$GITHUB_ENV`");
    expect(f.message).toContain("its block's output is redirected there");
    expect(r.findings.find((x) => x.ruleId === "actions/script-injection")!.message).toContain(
      "`env.ISSUE_BODY` (from `github.event.issue.body`)",
    );
  });

  it("the same idiom on one line", async () => {
    const r = await review(issues(`{ echo "ISSUE_BODY<<EOF"; echo "$BODY"; echo "EOF"; } >> "$GITHUB_ENV"`));
    expect(hits(r)).toEqual([["actions/env-file-injection", 10, 11]]);
  });

  it("exec >> $GITHUB_ENV sends every later line there, until output is sent elsewhere", async () => {
    const r = await review(
      issues(`echo "before=$BODY"
exec >> "$GITHUB_ENV"
echo "T=\${{ github.event.issue.title }}"
printf 'B=%s\\n' "$BODY"
exec >&-
echo "after=$BODY"`),
    );
    expect(hits(r)).toEqual([
      ["actions/env-file-injection", 12, 11],
      ["actions/script-injection", 12, 19],
      ["actions/env-file-injection", 13, 11],
    ]);
    expect(r.findings.find((x) => x.ruleId === "actions/env-file-injection")!.message).toContain(
      "an earlier `exec` sends every command's output there",
    );
  });

  it("a descriptor opened on the file with exec, subshells and loops redirected there", async () => {
    const r = await review(
      issues(`exec 3>> "$GITHUB_PATH"
echo "$BODY" >&3
(
  echo "A=$BODY"
) >> $GITHUB_ENV
for x in 1 2; do
  echo "n$x=$BODY"
done >> "\${GITHUB_OUTPUT}"
if true; then
  echo "C=$BODY"
fi > "$GITHUB_ENV"`),
    );
    expect(hits(r)).toEqual([
      ["actions/env-file-injection", 11, 11],
      ["actions/env-file-injection", 13, 13],
      ["actions/env-file-injection", 16, 13],
      ["actions/env-file-injection", 19, 13],
    ]);
    expect(r.findings.map((f) => f.severity)).toEqual(["high", "high", "medium", "high"]);
  });

  it("heredoc bodies: unquoted ones expand $VAR, quoted ones only ${{ }}", async () => {
    const r = await review(
      issues(`cat >> "$GITHUB_ENV" <<EOF
NOTES<<DELIM
$BODY
DELIM
EOF
cat <<'EOF' | tee -a "$GITHUB_OUTPUT"
raw=$BODY
title=\${{ github.event.issue.title }}
EOF`),
    );
    expect(hits(r)).toEqual([
      ["actions/env-file-injection", 12, 11],
      ["actions/env-file-injection", 17, 11],
      ["actions/script-injection", 17, 17],
    ]);
    expect(r.findings[0]!.message).toContain("in a heredoc written there");
  });

  it("stays quiet on blocks written elsewhere, shifts, comments and quoted braces", async () => {
    const r = await review(
      issues(`{
  echo "$BODY"
} > notes.txt
echo "$((1<<2))" >> "$GITHUB_OUTPUT"
# { echo "$BODY"; } >> "$GITHUB_ENV"
echo "}" && echo "{"
echo "$BODY" > body.txt
echo "SAFE=$GITHUB_SHA" >> "$GITHUB_ENV"`),
    );
    expect(hits(r)).toEqual([]);
  });

  it("outputs written through a block or exec taint steps.<id>.outputs", async () => {
    const r = await review(`on: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        env:
          REF: \${{ github.head_ref }}
        run: |
          exec >> "$GITHUB_OUTPUT"
          echo "count=3"
          echo "ref=$REF"
      - run: echo "\${{ steps.meta.outputs.ref }}" "\${{ steps.meta.outputs.count }}"
`);
    expect(hits(r)).toEqual([
      ["actions/env-file-injection", 13, 11],
      ["actions/script-injection", 14, 20],
    ]);
  });

  it("moving a tainted write into a block, or adding unrelated steps, reports nothing new", async () => {
    const base = issues(`echo "ISSUE_BODY=$BODY" >> "$GITHUB_ENV"`);
    const head = issues(`{\n  echo "ISSUE_BODY=$BODY"\n} >> "$GITHUB_ENV"`).replace(
      "    steps:\n",
      "    steps:\n      - run: echo unrelated\n",
    );
    const r = await review(head, base);
    expect(hits(r)).toEqual([]);
  });
});

describe("command-file writes on hostile input", () => {
  it("a 1 MB script of openers, heredocs and exec lines stays linear", async () => {
    const unit = [
      "{",
      "(",
      "if x; then",
      "for a in b; do",
      'exec >> "$GITHUB_ENV"',
      'echo "$BODY"',
      "cat <<EOF",
      'echo "X<<EOF"',
      "EOF",
      "exec 3>> $GITHUB_OUTPUT",
      "echo x >&3 >&3 >&3",
      "} >> $GITHUB_ENV",
      "done >> $GITHUB_OUTPUT",
      ") >> $GITHUB_PATH",
    ].join("\n");
    const script = Array.from({ length: Math.ceil(1_000_000 / unit.length) }, () => unit).join("\n");
    const longLine = `echo "${"{(".repeat(100_000)}$BODY" >> "$GITHUB_ENV"`;
    const started = Date.now();
    const r = await review(issues(`${script}\n${longLine}`), undefined, {
      config: config({ "max-file-bytes": 5_000_000 }),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const found = r.findings.filter((f) => f.ruleId === "actions/env-file-injection");
    // Capped per step, not one per line of a generated script.
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(100);
  });
});
