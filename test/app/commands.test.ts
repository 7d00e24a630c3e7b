import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandKey } from "../../src/slash-commands/markers.js";
import { CommandsFake, commandsProbot, issueCommentEvent, PERMISSIONS } from "./commands-support.js";
import { BOT_LOGIN } from "./support/fake-github.js";
import { pullRequestEvent, useMemoryGitHub } from "./support/probot.js";

const ROOT_DOCKERFILE = 'FROM node:20.11.1-alpine\nUSER root\nCMD ["node", "server.js"]\n';
const LINE_LEFT_ALONE =
  'FROM node:20.11.1-alpine\nRUN apk add --no-cache tini\nUSER root\nCMD ["node", "server.js"]\n';
const FINDING_CHANGED =
  'FROM node:20.11.1-alpine\nRUN apk add --no-cache tini\nUSER 0\nCMD ["node", "server.js"]\n';
const REASON = "the base image sets USER at runtime";
const IGNORE = `/tollgate ignore docker/runs-as-root -- ${REASON}`;

const RUNS = "/repos/{owner}/{repo}/check-runs";
const RUN = "/repos/{owner}/{repo}/check-runs/{check_run_id}";

let fake: CommandsFake;

beforeEach(() => {
  fake = new CommandsFake();
  useMemoryGitHub(fake);
  fake.roles.set("writer", PERMISSIONS.write!);
  fake.roles.set("reader", PERMISSIONS.read!);
  fake.roles.set("Codertocat", PERMISSIONS.write!);
  fake.setFiles([{ path: "Dockerfile", head: ROOT_DOCKERFILE }]);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

/** The body of the last PATCH that completed a check run. */
function lastCompletion() {
  const patches = fake.requests.filter(
    (r) => r.method === "PATCH" && r.template === RUN && r.body.conclusion,
  );
  return patches[patches.length - 1]!.body;
}

async function openPullRequest(probot = commandsProbot()) {
  await probot.receive(pullRequestEvent("opened", fake));
  expect(lastCompletion().conclusion).toBe("failure");
  return probot;
}

describe("what it must show", () => {
  it("a writer's ignore turns the failing check green, with who, why and a link in the summary", async () => {
    const probot = await openPullRequest();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));

    expect(fake.reactions).toEqual([{ on: "issue", commentId: command.id, content: "eyes" }]);
    expect(fake.checkRuns).toHaveLength(2);
    const done = lastCompletion();
    expect(done.conclusion).toBe("success");
    expect(done.output.title).toBe("No new findings (1 suppressed)");
    expect(done.output.summary).toContain("### Suppressed (1)");
    expect(done.output.summary).toContain(
      `ignored by @writer on 2026-11-28 ([comment](${command.html_url})) | ${REASON} |`,
    );

    const [reply] = fake.botReplies();
    expect(reply!.body).toContain(`> ${IGNORE}`);
    expect(reply!.body).toContain(
      "Suppressed 1 finding on this pull request; the `tollgate` check has been updated.",
    );
    expect(reply!.body).toContain("- `docker/runs-as-root` at `Dockerfile:2` (high)");
    expect(reply!.body).toContain("The `tollgate` check now concludes **success**.");
    expect(reply!.body).toMatch(
      new RegExp(`<!-- tollgate:bound=i${command.id}:${commandKey(IGNORE)}=[0-9a-f]{16} -->`),
    );
  });

  it("the same command from a read-only user is refused with a reply and changes nothing", async () => {
    const probot = await openPullRequest();
    const before = fake.writes().length;
    const command = fake.addIssueComment("reader", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));

    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.conclusion).toBe("failure");
    expect(
      fake
        .writes()
        .slice(before)
        .map((w) => `${w.method} ${w.template}`),
    ).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(fake.botReplies()[0]!.body).toBe(
      `> ${IGNORE}\n\nNot done: @reader has read access on this repository; \`ignore\` needs write access or higher. Nothing was changed.`,
    );
  });

  it("the same command from the pull request's author is refused (four eyes) and changes nothing", async () => {
    const probot = await openPullRequest();
    const command = fake.addIssueComment("Codertocat", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));

    expect(fake.checkRuns).toHaveLength(1);
    const reply = fake.botReplies()[0]!.body;
    expect(reply).toContain(
      "Not done: @Codertocat opened this pull request, and `docker/runs-as-root` findings are high, at or above fail-on (high). The author cannot ignore their own blocking findings unless they are an admin; someone else with write access must (four eyes). Nothing was changed.",
    );
    // Recorded as refused: a later review does not apply it either.
    expect(reply).toContain(`<!-- tollgate:bound=i${command.id}:${commandKey(IGNORE)}= -->`);
    fake.push("2222222222222222222222222222222222222222", [{ path: "Dockerfile", head: LINE_LEFT_ALONE }]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-2"));
    expect(lastCompletion().conclusion).toBe("failure");
  });

  it("after a push that leaves the line alone the suppression still applies; it stops when the finding changes", async () => {
    const probot = await openPullRequest();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    expect(lastCompletion().conclusion).toBe("success");

    fake.push("2222222222222222222222222222222222222222", [{ path: "Dockerfile", head: LINE_LEFT_ALONE }]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-2"));
    let done = lastCompletion();
    expect(done.conclusion).toBe("success");
    expect(done.output.summary).toContain(
      `ignored by @writer on 2026-11-28 ([comment](${command.html_url}))`,
    );

    fake.push("3333333333333333333333333333333333333333", [{ path: "Dockerfile", head: FINDING_CHANGED }]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-3"));
    done = lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("1 new finding (1 high) — 1 at or above high");
    expect(done.output.summary).not.toContain("### Suppressed");
  });
});

describe("requests", () => {
  it("creates the new check run for the ignore on the head SHA", async () => {
    const probot = await openPullRequest();
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    const creates = fake.requests.filter((r) => r.method === "POST" && r.template === RUNS);
    expect(creates.map((c) => [c.body.name, c.body.head_sha])).toEqual([
      ["tollgate", fake.headSha],
      ["tollgate", fake.headSha],
    ]);
  });

  it("an ignore costs four writes and one permission lookup per person", async () => {
    const probot = await openPullRequest();
    const before = fake.requests.length;
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    const made = fake.requests.slice(before).map((r) => `${r.method} ${r.template}`);
    expect(made.filter((m) => !m.startsWith("GET"))).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(made.filter((m) => m.endsWith("/permission"))).toHaveLength(1);
    expect(
      made.filter((m) => m.endsWith("/issues/{issue_number}/comments") && m.startsWith("GET")),
    ).toHaveLength(1);
  });

  it("ignores comments from bots, Tollgate included", async () => {
    const probot = await openPullRequest();
    const before = fake.requests.length;
    const bot = fake.addIssueComment(BOT_LOGIN, IGNORE, "Bot");
    await probot.receive(issueCommentEvent(fake, bot));
    const renovate = fake.addIssueComment("renovate[bot]", IGNORE, "Bot");
    await probot.receive(issueCommentEvent(fake, renovate));
    expect(fake.requests.slice(before).filter((r) => !r.template.endsWith("/access_tokens"))).toEqual([]);
  });
});
