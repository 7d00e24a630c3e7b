import { afterEach, describe, expect, it } from "vitest";
import { markedFingerprints } from "../../src/report/review-comments.js";
import { APP_ID, FakeGitHub } from "./support/fake-github.js";
import { example, pullRequestEvent, testProbot, useMemoryGitHub } from "./support/probot.js";

const BAD_DOCKERFILE =
  // Plain HTTP: a blocking (high) finding; root alone is medium (docs/severity.md).
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';
const FIXED_CURL = 'FROM node:latest\nRUN apt-get update\nCMD ["node", "server.js"]\n';

const T = {
  files: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
  blob: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
  contents: "/repos/{owner}/{repo}/contents/{path}",
  runs: "/repos/{owner}/{repo}/check-runs",
  run: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
  reviews: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  replies: "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
};

let fake: FakeGitHub;

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

function setUp(options: ConstructorParameters<typeof FakeGitHub>[0] = {}) {
  if (fake) expect(fake.contractViolations).toEqual([]);
  fake = new FakeGitHub(options);
  useMemoryGitHub(fake);
  return fake;
}

describe("pull_request.opened with a bad Dockerfile", () => {
  it("creates the check in_progress, completes it failure with annotations, and posts one review on diff lines", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake));

    expect(fake.checkRuns).toHaveLength(1);
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({
      name: "tollgate",
      head_sha: fake.headSha,
      external_id: "2",
      app: { id: APP_ID },
    });
    expect(run.history.map((h) => h.status)).toEqual(["in_progress", "completed"]);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("3 new findings (1 high, 2 medium) — 1 at or above high");
    expect(run.output.summary).toContain("### New findings");
    expect(run.actions).toEqual([
      { label: "Re-run", description: "Review this pull request again", identifier: "rerun" },
    ]);
    expect(
      run.output.annotations.map((a: any) => [a.path, a.start_line, a.end_line, a.annotation_level, a.title]),
    ).toEqual([
      ["Dockerfile", 1, 1, "warning", "[medium] docker/runs-as-root"],
      ["Dockerfile", 1, 1, "warning", "[medium] docker/unpinned-base-image"],
      ["Dockerfile", 2, 2, "failure", "[high] docker/remote-script-pipe-to-shell"],
    ]);

    expect(fake.reviews).toHaveLength(1);
    const review = fake.reviews[0]!;
    expect(review.commit_id).toBe(fake.headSha);
    expect(review.body).toContain("found 3 new findings (1 high, 2 medium)");
    expect(review.comments.map((c: any) => [c.path, c.line, c.side])).toEqual([
      ["Dockerfile", 2, "RIGHT"],
      ["Dockerfile", 1, "RIGHT"],
      ["Dockerfile", 1, "RIGHT"],
    ]);
    const pipe = review.comments.find((c: any) => c.body.includes("remote-script-pipe-to-shell"));
    expect(pipe.body).toMatch(
      /^🟠 \*\*high\*\* · \[`docker\/remote-script-pipe-to-shell`\]\(https:\/\/.+\/docker\/remote-script-pipe-to-shell\.md\)/,
    );
    expect(pipe.body).toContain("**Fix:**");
    expect(markedFingerprints(pipe.body)).toHaveLength(1);
  });

  it("stays within the request budget: one list call, one blob read, three writes", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.count("GET", T.files)).toBe(1);
    expect(fake.count("GET", T.blob)).toBe(1);
    // The base of an added file is never read; the config is read once from the default branch.
    expect(fake.requests.filter((r) => r.template === T.contents && r.query.get("ref"))).toHaveLength(0);
    expect(fake.writes().map((r) => `${r.method} ${r.template}`)).toEqual([
      `POST ${T.runs}`,
      `PATCH ${T.run}`,
      `POST ${T.reviews}`,
    ]);
  });

  it("creates nothing new when the same delivery arrives again, or synchronize follows for the same SHA", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    const probot = testProbot();
    await probot.receive(pullRequestEvent("opened", fake, "d-1"));
    const writes = fake.writes().length;
    await probot.receive(pullRequestEvent("opened", fake, "d-1"));
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-2"));
    expect(fake.writes()).toHaveLength(writes);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.reviews).toHaveLength(1);
  });

  it("creates one run and one review when opened and synchronize for one SHA arrive at the same time", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    const probot = testProbot();
    await Promise.all([
      probot.receive(pullRequestEvent("opened", fake, "d-1")),
      probot.receive(pullRequestEvent("synchronize", fake, "d-2")),
      probot.receive(pullRequestEvent("opened", fake, "d-1")),
    ]);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.reviews).toHaveLength(1);
  });

  it("reviews a pull request from a fork the same way", async () => {
    setUp({ fork: true }).setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: fake.headSha, conclusion: "failure" });
    expect(fake.reviews[0]!.comments).toHaveLength(3);
    // Everything was read from the base repository, by blob SHA.
    expect(
      fake.requests.filter((r) => !r.path.startsWith("/app") && !r.path.startsWith("/repos/Codertocat/")),
    ).toEqual([]);
  });
});

describe("retargeting", () => {
  it("reviews again when the base branch changes, and ignores other edits", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    const titleEdit = pullRequestEvent("opened", fake, "d-2");
    titleEdit.payload.action = "edited";
    titleEdit.payload.changes = { title: { from: "old title" } };
    await testProbot().receive(titleEdit);
    expect(fake.checkRuns).toHaveLength(1);

    fake.pull.base = { sha: "7777777777777777777777777777777777777777", ref: "release" };
    fake.setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    const retarget = pullRequestEvent("opened", fake, "d-3");
    retarget.payload.action = "edited";
    retarget.payload.changes = {
      base: { ref: { from: "master" }, sha: { from: fake.options.baseSha ?? "f95f" } },
    };
    await testProbot().receive(retarget);
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.checkRuns[1]).toMatchObject({ head_sha: fake.headSha, conclusion: "failure" });
    expect(fake.checkRuns[1]!.output.summary).toContain("Compared `777777777777`");
  });
});

describe("a pull request with no relevant change", () => {
  it("completes success and posts no review", async () => {
    setUp().setFiles([{ path: "README.md", base: "# Hello\n", head: "# Hello, world\n" }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.checkRuns[0]!.output.title).toBe("No new findings");
    expect(fake.reviews).toHaveLength(0);
    expect(fake.count("POST", T.reviews)).toBe(0);
  });
});

describe("later pushes", () => {
  it("does not repeat a comment for a finding still present, and replies once to a fixed one", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    expect(fake.comments).toHaveLength(3);

    fake.push("1111111111111111111111111111111111111111", [{ path: "Dockerfile", head: FIXED_CURL }]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-2"));

    expect(fake.checkRuns).toHaveLength(2);
    // What is left (root, an unpinned tag) is medium: no longer blocking.
    expect(fake.checkRuns[1]).toMatchObject({
      head_sha: "1111111111111111111111111111111111111111",
      conclusion: "success",
    });
    // runs-as-root and unpinned-base-image are the same findings: no second review.
    expect(fake.reviews).toHaveLength(1);
    const replies = fake.comments.filter((c) => c.in_reply_to_id !== undefined);
    expect(replies).toHaveLength(1);
    const parent = fake.comments.find((c) => c.id === replies[0]!.in_reply_to_id)!;
    expect(parent.body).toContain("docker/remote-script-pipe-to-shell");
    expect(replies[0]!.body).toMatch(/^✅ Fixed in 111111111111/);

    // A third push changing nothing relevant: no second "fixed" reply.
    fake.push("2222222222222222222222222222222222222222", [{ path: "Dockerfile", head: FIXED_CURL }]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-3"));
    expect(fake.comments.filter((c) => c.in_reply_to_id !== undefined)).toHaveLength(1);
    expect(fake.reviews).toHaveLength(1);
  });

  it("announces more fixes than the write budget allows in one review, against the commit that fixed them", async () => {
    const MANY =
      'FROM node:latest\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN chmod 777 /app\nEXPOSE 22\nUSER node\nRUN sudo apt-get update\nUSER 10001\nCMD ["node", "server.js"]\n';
    setUp().setFiles([{ path: "Dockerfile", head: MANY }]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    expect(fake.comments).toHaveLength(5);

    const clean = 'FROM node:20.11.1-alpine\nUSER 10001\nCMD ["node", "server.js"]\n';
    fake.push("1111111111111111111111111111111111111111", [{ path: "Dockerfile", head: clean }]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-2"));
    // Create and complete the run leave 3 writes: 5 replies would not fit, so one review lists all 5.
    expect(fake.comments.filter((c) => c.in_reply_to_id !== undefined)).toHaveLength(0);
    expect(fake.reviews).toHaveLength(2);
    const summary = fake.reviews[1]!;
    expect(summary.body).toMatch(
      /^✅ Fixed in 111111111111: 5 findings commented on earlier are no longer reported\./,
    );
    expect(summary.body).toContain("- `docker/world-writable-permissions` in `Dockerfile`");
    expect(summary.body.match(/<!-- tollgate:fixed=[0-9a-f]{16} -->/g)).toHaveLength(5);

    fake.push("2222222222222222222222222222222222222222", [{ path: "Dockerfile", head: clean }]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-3"));
    expect(fake.reviews).toHaveLength(2);
    expect(fake.comments.filter((c) => c.in_reply_to_id !== undefined)).toHaveLength(0);
  });

  it("a grouped comment is fixed only when every place it lists is", async () => {
    const PIPE = "FROM debian:12.5\nRUN curl http://get.example.com/i.sh | sh\nUSER 10001\n";
    const CLEAN = "FROM debian:12.5\nUSER 10001\n";
    setUp().setFiles([
      { path: "amd64/Dockerfile", head: PIPE },
      { path: "arm64/Dockerfile", head: PIPE },
    ]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toContain("Also in 1 other file");
    expect(fake.comments[0]!.body.match(/<!-- tollgate:fingerprint=[0-9a-f]{16} -->/g)).toHaveLength(2);

    // The commented place is fixed, the other copy is not: no "fixed" reply yet.
    fake.push("1111111111111111111111111111111111111111", [
      { path: "amd64/Dockerfile", head: CLEAN },
      { path: "arm64/Dockerfile", head: PIPE },
    ]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-2"));
    expect(fake.comments.filter((c) => c.in_reply_to_id !== undefined)).toHaveLength(0);

    fake.push("2222222222222222222222222222222222222222", [
      { path: "amd64/Dockerfile", head: CLEAN },
      { path: "arm64/Dockerfile", head: CLEAN },
    ]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-3"));
    const replies = fake.comments.filter((c) => c.in_reply_to_id !== undefined);
    expect(replies.map((r) => r.body.split("\n")[0])).toEqual([
      "✅ Fixed in 222222222222: this finding is no longer reported in any of its 2 places.",
    ]);
    expect(replies[0]!.body.match(/<!-- tollgate:fixed=[0-9a-f]{16} -->/g)).toHaveLength(2);
  });

  it("comments on a new finding of a later push", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: FIXED_CURL }]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    expect(fake.reviews).toHaveLength(1);
    fake.push("3333333333333333333333333333333333333333", [
      { path: "Dockerfile", head: `${FIXED_CURL}EXPOSE 22\nRUN chmod 777 /app\n` },
    ]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-2"));
    expect(fake.reviews).toHaveLength(2);
    expect(fake.reviews[1]!.comments.map((c: any) => [c.line, c.body.match(/docker\/[a-z-]+/)![0]])).toEqual([
      [5, "docker/world-writable-permissions"],
      [4, "docker/expose-ssh"],
    ]);
  });
});

describe("inline comments", () => {
  it("comments only on lines inside the hunks; findings elsewhere go to the review body", async () => {
    // The base already has `FROM node:latest`; the change drops the final USER and adds a curl pipe at
    // the end. runs-as-root is new but reported on line 1, far outside the hunk.
    const middle = "WORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm test\nRUN npm run build\n";
    const base = `FROM node:latest\n${middle}USER node\nCMD ["node", "server.js"]\n`;
    const head = `FROM node:latest\n${middle}RUN curl https://x.example/i.sh | sh\nCMD ["node", "server.js"]\n`;
    setUp().setFiles([{ path: "Dockerfile", base, head }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const review = fake.reviews[0]!;
    expect(review.comments.map((c: any) => [c.line, c.side])).toEqual([[7, "RIGHT"]]);
    expect(review.body).toContain("docker/runs-as-root");
    expect(markedFingerprints(review.body)).toHaveLength(1);
  });

  it("trusts fingerprint markers only in Tollgate's own comments, not another bot's", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const markers = fake.comments.map((c) => c.body.match(/<!-- tollgate:fingerprint=[0-9a-f]{16} -->/)![0]);
    expect(markers).toHaveLength(3);

    // A workflow in the PR posts the same markers as github-actions[bot] before Tollgate runs.
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.comments.push({
      id: 1,
      body: markers.join("\n"),
      path: "Dockerfile",
      line: 1,
      side: "RIGHT",
      pull_request_review_id: 5,
      user: { login: "github-actions[bot]", type: "Bot" },
      commit_id: fake.headSha,
    });
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.comments).toHaveLength(3);
    expect(fake.count("GET", "/app")).toBe(1);
  });

  it("when the bot account cannot be learned, trusts no bot's markers (fail-closed, as the slash commands do)", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const markers = fake.comments.map((c) => c.body.match(/<!-- tollgate:fingerprint=[0-9a-f]{16} -->/)![0]);

    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.comments.push({
      id: 1,
      body: markers.join("\n"),
      path: "Dockerfile",
      line: 1,
      side: "RIGHT",
      pull_request_review_id: 5,
      user: { login: "github-actions[bot]", type: "Bot" },
      commit_id: fake.headSha,
    });
    const unknownBot = async () => {
      throw new Error("GET /app failed");
    };
    await testProbot({ botLogin: unknownBot }).receive(pullRequestEvent("opened", fake));
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.comments).toHaveLength(3);
  });

  it("a file GitHub sent without a patch gets no inline comment: its findings are in the body and the check run", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE, omitPatch: true }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]!.output.annotations).toHaveLength(3);
    expect(fake.reviews[0]!.comments).toEqual([]);
    expect(markedFingerprints(fake.reviews[0]!.body)).toHaveLength(3);
  });

  it("honours max-comments: the rest stay in the check run and the review body", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "max-comments: 1\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.reviews[0]!.comments).toHaveLength(1);
    expect(fake.checkRuns[0]!.output.annotations).toHaveLength(3);
    expect(markedFingerprints(fake.reviews[0]!.body)).toHaveLength(2);
  });

  it("retries without inline comments when GitHub rejects the review with 422, keeping every finding", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.rejectNextReviewWithComments = true;
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.count("POST", T.reviews)).toBe(2);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.comments).toEqual([]);
    expect(fake.reviews[0]!.body).toContain("GitHub rejected the inline comments");
    expect(markedFingerprints(fake.reviews[0]!.body)).toHaveLength(3);
    expect(fake.checkRuns[0]!.conclusion).toBe("failure");
  });
});

describe("what the review is made of", () => {
  it("passes the PR's /tollgate suppressions to the engine: suppressed findings are neither failing nor commented", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    const requests: Array<{ owner: string; repo: string; pullNumber: number; prAuthor: string }> = [];
    const probot = testProbot({
      loadSuppressions: async (ctx) => {
        requests.push({
          owner: ctx.github.repo.owner,
          repo: ctx.github.repo.repo,
          pullNumber: ctx.pullNumber,
          prAuthor: await ctx.prAuthor(),
        });
        const suppressions = [
          {
            ruleId: "docker/remote-script-pipe-to-shell",
            reason: "vendor installer, pinned by checksum",
            by: "octocat",
            at: "2026-11-28T11:00:00Z",
          },
          {
            ruleId: "docker/runs-as-root",
            reason: "init container",
            by: "octocat",
            at: "2026-11-28T11:00:00Z",
          },
        ];
        return { suppressions, notes: [] };
      },
    });
    await probot.receive(pullRequestEvent("opened", fake));
    expect(requests).toEqual([
      { owner: "Codertocat", repo: "Hello-World", pullNumber: 2, prAuthor: "Codertocat" },
    ]);
    const run = fake.checkRuns[0]!;
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain("### Suppressed (2)");
    expect(run.output.annotations.map((a: any) => a.title)).toEqual(["[medium] docker/unpinned-base-image"]);
    expect(fake.reviews[0]!.comments).toHaveLength(1);
  });

  it("links rule ids to TOLLGATE_DOCS_URL", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot({}, { TOLLGATE_DOCS_URL: "https://docs.example.com/tollgate/rules" }).receive(
      pullRequestEvent("opened", fake),
    );
    for (const c of fake.reviews[0]!.comments)
      expect(c.body).toMatch(/\(https:\/\/docs\.example\.com\/tollgate\/rules\/docker\/[a-z-]+\.md\)/);
    expect(fake.checkRuns[0]!.output.summary).toContain(
      "https://docs.example.com/tollgate/rules/docker/runs-as-root.md",
    );
  });

  it("still concludes when GitHub rejects the annotations (422): the verdict stands, without them", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.rejectAnnotations = true;
    await testProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.annotations).toEqual([]);
    expect(run.output.summary).toContain("GitHub rejected the line annotations (request id `ANNO:422`)");
    expect(fake.reviews).toHaveLength(1);
  });
});

describe("configuration", () => {
  it("is read from the default branch: a PR cannot relax its own gate", async () => {
    setUp().setFiles([
      { path: "Dockerfile", head: BAD_DOCKERFILE },
      { path: ".github/tollgate.yml", base: "fail-on: high\n", head: "fail-on: critical\n" },
    ]);
    fake.config = "fail-on: high\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]!.conclusion).toBe("failure");
    const titles = fake.checkRuns[0]!.output.annotations.map((a: any) => a.title);
    expect(titles).toContain("[medium] meta/tollgate-config-changed");
    const configReads = fake.requests.filter((r) => r.template === T.contents && !r.query.get("ref"));
    expect(configReads.map((r) => r.path)).toEqual([
      "/repos/Codertocat/Hello-World/contents/.github%2Ftollgate.yml",
    ]);
  });

  it("applies the repository's fail-on", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "fail-on: critical\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]!.conclusion).toBe("success");
    expect(fake.checkRuns[0]!.output.annotations.map((a: any) => a.annotation_level)).toEqual([
      "warning",
      "warning",
      "warning",
    ]);
  });

  it("an invalid configuration completes the check with failure, naming each bad key", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "fail-on: severe\nmax-coments: 3\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Invalid configuration: 2 problems");
    expect(run.output.summary).toContain("`fail-on`");
    expect(run.output.summary).toContain("`max-coments`: unknown key");
    expect(fake.reviews).toHaveLength(0);
  });

  it("unparseable YAML is reported, not thrown", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "fail-on: [high\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.checkRuns[0]!.output.summary).toContain("invalid YAML");
  });

  it("skips drafts when review-drafts is false, and reviews them once ready", async () => {
    setUp({ draft: true }).setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "review-drafts: false\n";
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "skipped" });
    expect(fake.reviews).toHaveLength(0);
    fake.pull.draft = false;
    await testProbot().receive(pullRequestEvent("ready_for_review", fake, "d-2"));
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.checkRuns[1]).toMatchObject({ conclusion: "failure" });
    expect(fake.reviews).toHaveLength(1);
  });
});

describe("failures always conclude the check", () => {
  it("completes with failure, the error and GitHub's request id when listing files fails", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    const original = fake.handle.bind(fake);
    fake.handle = (method, path, body, base) =>
      path.includes("/files")
        ? {
            status: 500,
            body: { message: "boom" },
            headers: { "x-github-request-id": "REQ:42", "content-type": "application/json" },
          }
        : original(method, path, body, base);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.title).toBe("Review failed: could not list the changed files");
    expect(run.output.summary).toContain("Could not list the changed files: GitHub answered 500: boom");
    expect(run.output.summary).toContain("`REQ:42`");
    expect(run.actions[0].identifier).toBe("rerun");
  });

  it("uses on-error: neutral when the repository asks for it", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.config = "on-error: neutral\n";
    const original = fake.handle.bind(fake);
    fake.handle = (method, path, body, base) =>
      path.includes("/files")
        ? { status: 502, body: { message: "bad gateway" }, headers: { "content-type": "application/json" } }
        : original(method, path, body, base);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
  });

  it("concludes neutral, superseded, when the head moved during the review", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.headAfterReview = "4444444444444444444444444444444444444444";
    await testProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run.output.title).toBe("Superseded by 444444444444");
    expect(fake.reviews).toHaveLength(0);
  });
});

describe("check events", () => {
  async function reviewed() {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("opened", fake, "d-1"));
    return fake.checkRuns[0]!;
  }

  function checkRunEvent(
    action: string,
    run: { id: number; head_sha: string; external_id: string | null },
    appId = APP_ID,
  ) {
    const payload = example("check_run", action);
    payload.repository = example("pull_request", "opened").repository;
    payload.check_run = {
      ...payload.check_run,
      id: run.id,
      name: "tollgate",
      head_sha: run.head_sha,
      external_id: run.external_id,
      pull_requests: [],
      app: { ...payload.check_run.app, id: appId },
    };
    return { id: `d-${action}`, name: "check_run" as const, payload: payload as any };
  }

  it("check_run.rerequested creates a fresh run, mapped to the PR by external_id (forks have no pull_requests)", async () => {
    const first = await reviewed();
    await testProbot().receive(checkRunEvent("rerequested", first));
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.checkRuns[1]).toMatchObject({
      head_sha: fake.headSha,
      conclusion: "failure",
      external_id: "2",
    });
    // Already-commented findings are not commented again.
    expect(fake.reviews).toHaveLength(1);
  });

  it("the Re-run action reviews again", async () => {
    const first = await reviewed();
    const event = checkRunEvent("requested_action", first);
    event.payload.requested_action = { identifier: "rerun" };
    await testProbot().receive(event);
    expect(fake.checkRuns).toHaveLength(2);
  });

  it("ignores other apps' runs and Tollgate's own created/completed events", async () => {
    const first = await reviewed();
    const before = fake.requests.length;
    await testProbot().receive(checkRunEvent("rerequested", first, 999));
    await testProbot().receive(checkRunEvent("created", first));
    await testProbot().receive(checkRunEvent("completed", first));
    expect(fake.requests.length).toBe(before);
  });

  it("ignores other action buttons, and re-runs of closed pull requests", async () => {
    const first = await reviewed();
    const event = checkRunEvent("requested_action", first);
    event.payload.requested_action = { identifier: "override" };
    await testProbot().receive(event);
    fake.pull.state = "closed";
    await testProbot().receive(checkRunEvent("rerequested", first));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.writes().filter((w) => w.method === "POST" && w.template === T.runs)).toHaveLength(1);
  });

  it("a re-run of a superseded commit concludes neutral there and reviews the current head", async () => {
    const first = await reviewed();
    fake.push("5555555555555555555555555555555555555555", [{ path: "Dockerfile", head: FIXED_CURL }]);
    await testProbot().receive(checkRunEvent("rerequested", first));
    const onOld = fake.checkRuns.filter((r) => r.head_sha === first.head_sha);
    expect(onOld.map((r) => r.conclusion)).toEqual(["failure", "neutral"]);
    expect(onOld[1]!.output.title).toBe("Superseded by 555555555555");
    expect(
      fake.checkRuns.find((r) => r.head_sha === "5555555555555555555555555555555555555555"),
    ).toMatchObject({
      // Only medium findings (root, an unpinned tag) are left at the new head.
      conclusion: "success",
    });
  });

  it("after a force-push back to a commit whose newest run says superseded, reviews it again", async () => {
    const first = await reviewed();
    const original = first.head_sha;
    fake.push("6666666666666666666666666666666666666666", [{ path: "Dockerfile", head: FIXED_CURL }]);
    await testProbot().receive(checkRunEvent("rerequested", first));
    expect(fake.checkRuns.filter((r) => r.head_sha === original).map((r) => r.conclusion)).toEqual([
      "failure",
      "neutral",
    ]);
    fake.push(original, [{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    await testProbot().receive(pullRequestEvent("synchronize", fake, "d-back"));
    // The newest run on the commit carries its verdict again, so a neutral run cannot let it merge.
    expect(fake.checkRuns.filter((r) => r.head_sha === original).map((r) => r.conclusion)).toEqual([
      "failure",
      "neutral",
      "failure",
    ]);
  });

  it("check_suite.rerequested with no linked PR finds it through Tollgate's runs in the suite", async () => {
    const first = await reviewed();
    const payload = example("check_suite", "rerequested");
    payload.repository = example("pull_request", "opened").repository;
    payload.check_suite = {
      ...payload.check_suite,
      id: 77,
      head_sha: first.head_sha,
      pull_requests: [],
      app: { ...payload.check_suite.app, id: APP_ID },
    };
    await testProbot().receive({ id: "d-suite", name: "check_suite", payload: payload as any });
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.checkRuns[1]).toMatchObject({ conclusion: "failure" });
  });

  it("check_suite.rerequested for another app's suite is ignored", async () => {
    await reviewed();
    const before = fake.requests.length;
    const payload = example("check_suite", "rerequested");
    payload.repository = example("pull_request", "opened").repository;
    payload.check_suite = {
      ...payload.check_suite,
      id: 77,
      pull_requests: [],
      app: { ...payload.check_suite.app, id: 999 },
    };
    await testProbot().receive({ id: "d-suite-2", name: "check_suite", payload: payload as any });
    expect(fake.requests.length).toBe(before);
  });
});

describe("files that left or moved", () => {
  it("a removed Dockerfile is not read and reports nothing", async () => {
    setUp().setFiles([{ path: "Dockerfile", base: BAD_DOCKERFILE, head: null }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(fake.count("GET", T.blob)).toBe(0);
    expect(fake.reviews).toHaveLength(0);
  });

  it("a renamed Dockerfile with the same content reports nothing new", async () => {
    setUp().setFiles([
      { path: "build/Dockerfile", previousPath: "Dockerfile", base: BAD_DOCKERFILE, head: BAD_DOCKERFILE },
    ]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(fake.reviews).toHaveLength(0);
  });
});

describe("budget and limits", () => {
  it("a PR of 250 files costs 3 list calls, one read per analysed file and at most 5 writes", async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ path: `docs/page-${i}.md`, head: `page ${i}\n` }));
    files.push(
      { path: "svc/a/Dockerfile", head: BAD_DOCKERFILE },
      { path: "svc/b/Dockerfile", head: FIXED_CURL },
    );
    setUp().setFiles(files);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.count("GET", T.files)).toBe(3);
    expect(fake.count("GET", T.blob)).toBeLessThanOrEqual(2 + 0);
    expect(fake.writes().length).toBeLessThanOrEqual(5);
    expect(fake.checkRuns[0]!.conclusion).toBe("failure");
  });

  it("says in the check run when GitHub's 3,000-file cap cut the list", async () => {
    setUp().setFiles(
      Array.from({ length: 3005 }, (_, i) => ({ path: `notes/${i}.txt`, head: `note ${i}\n` })),
    );
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.count("GET", T.files)).toBe(30);
    expect(fake.count("GET", T.blob)).toBe(0);
    expect(fake.checkRuns[0]!.output.summary).toContain(
      "Only 3000 files were reviewed: GitHub lists at most 3,000 files of a pull request and this one changes 3,005",
    );
  });

  it("sends annotations in batches of at most 50", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `EXPOSE 22\nRUN chmod 777 /d${i}`).join("\n");
    setUp().setFiles([{ path: "Dockerfile", head: `FROM node:20\nUSER node\n${lines}\n` }]);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const patches = fake.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((p) => p.body.output.annotations.length)).toEqual([50, 50, 20]);
    expect(fake.checkRuns[0]!.output.annotations).toHaveLength(120);
    expect(fake.reviews[0]!.comments).toHaveLength(25);
  });

  it("a stale in_progress run left by a crashed instance is taken over, not duplicated", async () => {
    setUp().setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
    fake.checkRuns.push({
      id: 1,
      name: "tollgate",
      head_sha: fake.headSha,
      status: "in_progress",
      conclusion: null,
      external_id: "2",
      started_at: "2026-11-28T10:00:00Z",
      completed_at: null,
      app: { id: APP_ID },
      output: { annotations: [] },
      actions: [],
      check_suite: { id: 77 },
      html_url: "",
      history: [],
    });
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ id: 1, conclusion: "failure" });
  });
});
