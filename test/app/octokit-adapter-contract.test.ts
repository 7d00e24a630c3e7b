import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { octokitGitHub } from "../../src/app/github/octokit-adapter.js";
import type { GitHubPort } from "../../src/app/github/port.js";
import { CommandsFake, PERMISSIONS } from "./commands-support.js";
import { APP_ID, OWNER, REPO } from "./support/fake-github.js";
import { intercept } from "./support/intercept.js";

/**
 * Every operation of the GitHub port, through the one adapter and real
 * Octokit requests, checked against GitHub's OpenAPI description by the fake.
 * The app-logic tests use the in-memory port; this is what keeps the adapter
 * honest (with the end-to-end test, which runs a whole review over HTTP).
 */

let fake: CommandsFake;
let github: GitHubPort;

beforeEach(() => {
  nock.disableNetConnect();
  fake = new CommandsFake();
  intercept(fake);
  fake.roles.set("writer", PERMISSIONS.write!);
  fake.setFiles([{ path: "Dockerfile", base: "FROM a\n", head: "FROM b\n" }]);
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  github = octokitGitHub(new Octokit({ auth: { token: "t" } }) as never, { owner: OWNER, repo: REPO });
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
  nock.cleanAll();
});

const made = () => fake.requests.map((r) => `${r.method} ${r.template}`);

describe("the Octokit adapter of the GitHub port", () => {
  it("reads the pull request, its files, blobs, files at a commit and the configuration chain", async () => {
    fake.config = "fail-on: low\n";
    expect((await github.getPull(2)).head.sha).toBe(fake.headSha);
    const files = await github.listPullFiles(2);
    expect(files).toMatchObject({ capped: false, items: [{ filename: "Dockerfile" }] });
    const head = await github.getBlob(files.items[0]!.sha!, 100);
    expect(new TextDecoder().decode(head)).toBe("FROM b\n");
    const base = await github.getFileAt("Dockerfile", fake.pull.base.sha, 100);
    expect(new TextDecoder().decode(base!)).toBe("FROM a\n");
    expect(await github.getFileAt("missing", fake.pull.base.sha, 100)).toBeNull();
    const chain = await github.getConfigChain(".github/tollgate.yml");
    expect(chain[0]).toMatchObject({ owner: OWNER, repo: REPO, config: { "fail-on": "low" } });
    expect(await github.getDefaultBranchFile(".github", ".github/tollgate.yml", 100)).toBeNull();
  });

  it("creates, completes, annotates and lists check runs", async () => {
    const { id } = await github.createCheckRun(fake.headSha, "2", new Date("2026-11-28T12:00:00Z"));
    await github.completeCheckRun(
      id,
      "success",
      { title: "t", summary: "s" },
      new Date("2026-11-28T12:01:00Z"),
    );
    const annotation = {
      path: "Dockerfile",
      start_line: 1,
      end_line: 1,
      annotation_level: "warning" as const,
      message: "m",
      title: "x",
    };
    await github.appendAnnotations(id, { title: "t", summary: "s" }, [annotation]);
    expect((await github.listCheckRunsForRef(fake.headSha, APP_ID)).map((r) => r.id)).toEqual([id]);
    expect((await github.listCheckRunsForSuite(77)).map((r) => r.id)).toEqual([id]);
    expect(made()).toContain("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}");
  });

  it("posts reviews and replies, lists comments and reviews, reacts and reads permissions", async () => {
    await github.createReview(2, fake.headSha, "body", [
      { path: "Dockerfile", line: 1, side: "RIGHT", body: "c" },
    ]);
    const { items: comments } = await github.listReviewComments(2);
    expect(comments).toHaveLength(1);
    await github.replyToReviewComment(2, comments[0]!.id, "fixed");
    expect((await github.listReviews(2)).map((r) => r.body)).toEqual(["body"]);
    const command = fake.addIssueComment("writer", "/tollgate help");
    await github.addEyes("issue", command.id);
    await github.addEyes("review", comments[0]!.id);
    await github.createIssueComment(2, "answer");
    expect((await github.listIssueComments(2)).items.map((c) => c.body)).toEqual([
      "/tollgate help",
      "answer",
    ]);
    expect(await github.getRole("writer")).toBe("write");
    expect(await github.getRole("stranger")).toBe("none");
    expect(fake.reactions.map((r) => r.on)).toEqual(["issue", "review"]);
  });
});
