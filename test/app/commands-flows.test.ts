import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandKey } from "../../src/slash-commands/markers.js";
import {
  CommandsFake,
  commandsProbot,
  issueCommentEvent,
  PERMISSIONS,
  reviewReplyEvent,
} from "./commands-support.js";
import { APP_ID, BOT_LOGIN } from "./support/fake-github.js";
import { example, pullRequestEvent, useMemoryGitHub } from "./support/probot.js";

const DOCKERFILE = 'FROM node:20.11.1-alpine\nUSER root\nCMD ["node", "server.js"]\n';
const IGNORE = "/tollgate ignore docker/runs-as-root -- the base image sets USER at runtime";
const RUN = "/repos/{owner}/{repo}/check-runs/{check_run_id}";
const REPLIES = "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies";

let fake: CommandsFake;

function setUp(options: ConstructorParameters<typeof CommandsFake>[0] = {}) {
  fake = new CommandsFake(options);
  useMemoryGitHub(fake);
  fake.roles.set("writer", PERMISSIONS.write!);
  fake.roles.set("Codertocat", PERMISSIONS.write!);
  fake.setFiles([{ path: "Dockerfile", head: DOCKERFILE }]);
  return fake;
}

beforeEach(() => {
  setUp();
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

async function opened() {
  const probot = commandsProbot();
  await probot.receive(pullRequestEvent("opened", fake));
  expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
  return probot;
}

function threadRoot(ruleId: string) {
  const root = fake.comments.find((c) => c.in_reply_to_id === undefined && c.body.includes(`\`${ruleId}\``));
  if (!root) throw new Error(`no inline comment for ${ruleId}`);
  return root;
}

describe("a reply in Tollgate's own review thread", () => {
  it("`/tollgate ignore -- reason` targets that thread's finding and is answered in the thread", async () => {
    const probot = await opened();
    const root = threadRoot("docker/runs-as-root");
    const reply = fake.addThreadReply("writer", root.id, "/tollgate ignore -- fixture image, never deployed");
    await probot.receive(reviewReplyEvent(fake, reply));

    expect(fake.reactions).toEqual([{ on: "review", commentId: reply.id, content: "eyes" }]);
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain(
      `ignored by @writer on 2026-11-28 ([comment](${reply.html_url})) | fixture image, never deployed |`,
    );
    const answers = fake.requests.filter((r) => r.method === "POST" && r.template === REPLIES);
    expect(answers.map((a) => a.path.split("/")[7])).toEqual([String(root.id)]);
    expect(answers[0]!.body.body).toContain("Suppressed 1 finding on this pull request");
    expect(fake.botReplies()).toEqual([]);
  });

  it("the author's reply in the thread of their own blocking finding is refused (four eyes)", async () => {
    const probot = await opened();
    const reply = fake.addThreadReply(
      "Codertocat",
      threadRoot("docker/runs-as-root").id,
      "/tollgate ignore -- trust me",
    );
    await probot.receive(reviewReplyEvent(fake, reply));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
    const answer = fake.requests.filter((r) => r.method === "POST" && r.template === REPLIES).at(-1)!;
    expect(answer.body.body).toContain(
      "Not done: You opened this pull request, and the finding it matches is at or above fail-on (high).",
    );
  });

  it("a reply in someone else's thread is not Tollgate's to answer, even with a pasted marker", async () => {
    const probot = await opened();
    const human = {
      id: 4242,
      body: "Pasted: <!-- tollgate:fingerprint=0123456789abcdef -->",
      path: "Dockerfile",
      line: 2,
      side: "RIGHT",
      pull_request_review_id: 1,
      user: { login: "writer", type: "User" },
      commit_id: fake.headSha,
    };
    fake.comments.push(human);
    const reply = fake.addThreadReply("writer", human.id, "/tollgate ignore -- forged thread");
    const before = fake.writes().length;
    await probot.receive(reviewReplyEvent(fake, reply));
    expect(fake.writes().length).toBe(before);
  });
});

describe("the pull request's author", () => {
  it("may ignore their own blocking finding when admin", async () => {
    fake.roles.set("Codertocat", PERMISSIONS.admin!);
    const probot = await opened();
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("Codertocat", IGNORE)));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
  });

  it("may ignore their own findings below fail-on", async () => {
    fake.setFiles([
      { path: "Dockerfile", head: 'FROM node:latest\nUSER 10001\nCMD ["node", "server.js"]\n' },
    ]);
    const probot = commandsProbot();
    await probot.receive(pullRequestEvent("opened", fake));
    const command = fake.addIssueComment(
      "Codertocat",
      "/tollgate ignore docker/unpinned-base-image -- pinned by renovate later",
    );
    await probot.receive(issueCommentEvent(fake, command));
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("success");
    expect(run.output.title).toBe("No new findings (1 suppressed)");
    expect(fake.botReplies()[0]!.body).toContain("- `docker/unpinned-base-image` at `Dockerfile:1` (medium)");
  });

  it("of a fork may recheck but not ignore (no access to the base repository)", async () => {
    setUp({ fork: true });
    fake.pull.user = { login: "forker", type: "User" };
    const probot = await opened();
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("forker", "/tollgate recheck")));
    expect(fake.checkRuns).toHaveLength(2);
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("forker", IGNORE)));
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.botReplies().at(-1)!.body).toContain(
      "Not done: @forker has no access on this repository; `ignore` needs write access or higher.",
    );
  });
});

describe("state lives in GitHub", () => {
  it("a deleted command no longer applies, and the check says so at once", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
    const replies = fake.botReplies().length;

    fake.issueComments = fake.issueComments.filter((c) => c.id !== command.id);
    await probot.receive(issueCommentEvent(fake, command, "deleted"));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
    expect(fake.botReplies()).toHaveLength(replies);
  });

  it("an edited command is read as edited", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("writer", "/tollgate ignore docker/runs-as-root -- first reason");
    await probot.receive(issueCommentEvent(fake, command));
    expect(fake.checkRuns.at(-1)!.output.summary).toContain("| first reason |");

    const previous = command.body;
    command.body = "/tollgate ignore docker/runs-as-root -- second, better reason";
    command.updated_at = fake.tick();
    await probot.receive(
      issueCommentEvent(fake, command, "edited", { changes: { body: { from: previous } } }),
    );
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain("| second, better reason |");
    expect(run.output.summary).not.toContain("first reason");

    const again = command.body;
    command.body = "never mind, fixing it instead";
    command.updated_at = fake.tick();
    await probot.receive(issueCommentEvent(fake, command, "edited", { changes: { body: { from: again } } }));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
  });

  it("a restarted app rebuilds suppressions from the comments on a re-run (paginated)", async () => {
    const probot = await opened();
    for (let i = 0; i < 120; i++) fake.addIssueComment("writer", `chatter ${i}`);
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");

    const restarted = commandsProbot();
    const last = fake.checkRuns.at(-1)!;
    const payload = example("check_run", "rerequested");
    payload.repository = example("pull_request", "opened").repository;
    payload.check_run = {
      ...payload.check_run,
      id: last.id,
      name: "tollgate",
      head_sha: last.head_sha,
      external_id: last.external_id,
      pull_requests: [],
      app: { ...payload.check_run.app, id: APP_ID },
    };
    await restarted.receive({ id: "rerun", name: "check_run", payload: payload as never });
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
    const pages = fake.requests.filter(
      (r) => r.method === "GET" && r.template === "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    );
    expect(pages.at(-1)!.query.get("page")).toBe("2");
  });
});

describe("answers", () => {
  it("one reply for several commands in one comment", async () => {
    const probot = await opened();
    const command = fake.addIssueComment(
      "writer",
      "Checked this with the team.\n/tollgate explain docker/runs-as-root\n/TOLLGATE IGNORE docker/runs-as-root -- accepted risk",
    );
    await probot.receive(issueCommentEvent(fake, command));
    const replies = fake.botReplies();
    expect(replies).toHaveLength(1);
    const [explain, ignore] = replies[0]!.body.split("\n\n---\n\n");
    expect(explain).toMatch(/^### `docker\/runs-as-root` — /);
    expect(ignore).toContain("Suppressed 1 finding");
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
  });

  it("anything else gets the help text; unknown rules get a suggestion", async () => {
    const probot = await opened();
    await probot.receive(
      issueCommentEvent(
        fake,
        fake.addIssueComment("writer", "/tollgate approve\n/tollgate explain docker/run-as-root"),
      ),
    );
    const body = fake.botReplies()[0]!.body;
    expect(body).toContain("`/tollgate approve` is not a Tollgate command. Here is what is:");
    expect(body).toContain(
      "`docker/run-as-root` is not a Tollgate rule id. Did you mean `docker/runs-as-root`?",
    );
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("refuses a missing reason, an unknown rule and a rule-less ignore outside a thread, changing nothing", async () => {
    const probot = await opened();
    await probot.receive(
      issueCommentEvent(
        fake,
        fake.addIssueComment(
          "writer",
          "/tollgate ignore docker/runs-as-root\n/tollgate ignore docker/nope -- x\n/tollgate ignore -- because",
        ),
      ),
    );
    const parts = fake.botReplies()[0]!.body.split("\n\n---\n\n");
    expect(parts[0]).toContain(
      "Not done: a reason is required: `/tollgate ignore <rule-id> [<path>[:<line>]] -- <reason>`.",
    );
    expect(parts[1]).toContain("Not done: `docker/nope` is not a Tollgate rule id.");
    expect(parts[2]).toContain("Not done: Say which rule to ignore");
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("an ignore that matches nothing says so and stays refused", async () => {
    const probot = await opened();
    const command = fake.addIssueComment(
      "writer",
      "/tollgate ignore docker/runs-as-root Dockerfile:7 -- wrong line",
    );
    await probot.receive(issueCommentEvent(fake, command));
    const body = fake.botReplies()[0]!.body;
    expect(body).toContain(
      "Not done: No current finding on this pull request matches `docker/runs-as-root` at `Dockerfile:7`.",
    );
    expect(body).toContain(
      `<!-- tollgate:bound=i${command.id}:${commandKey("/tollgate ignore docker/runs-as-root Dockerfile:7 -- wrong line")}= -->`,
    );
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
  });

  it("a redelivered ignore is not applied or answered twice", async () => {
    const probot = await opened();
    const event = issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE));
    await probot.receive(event);
    await probot.receive(event);
    expect(fake.botReplies()).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
  });

  it("when GitHub fails mid-command, the reply says so and the check is left as it was", async () => {
    const probot = await opened();
    fake.failCommentListing = true;
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.conclusion).toBe("failure");
    const body = fake.botReplies()[0]!.body;
    expect(body).toMatch(
      /^Tollgate could not finish: .*Server Error.*\. Try `\/tollgate recheck` in a moment\.$/,
    );
  });

  it("ignores comments on issues that are not pull requests", async () => {
    const probot = await opened();
    const event = issueCommentEvent(fake, fake.addIssueComment("writer", "/tollgate help"));
    delete (event.payload as { issue: { pull_request?: unknown } }).issue.pull_request;
    const before = fake.requests.length;
    await probot.receive(event);
    expect(fake.requests.length).toBe(before);
  });

  it("a bot's reply quoting a command is never run", async () => {
    const probot = await opened();
    const before = fake.requests.length;
    await probot.receive(
      issueCommentEvent(fake, fake.addIssueComment(BOT_LOGIN, "/tollgate recheck", "Bot")),
    );
    expect(fake.requests.length).toBe(before);
    expect(fake.requests.filter((r) => r.template === RUN)).toHaveLength(1);
  });
});

describe("inline suppressions the pull request adds", () => {
  const INLINE =
    'FROM node:20.11.1-alpine\n# tollgate:ignore docker/runs-as-root -- entrypoint drops privileges\nUSER root\nCMD ["node", "server.js"]\n';

  it("are listed in the summary as meta/suppression-added, next to what they suppress", async () => {
    fake.setFiles([{ path: "Dockerfile", head: INLINE }]);
    await commandsProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain("meta/suppression-added");
    expect(run.output.summary).toContain(
      "inline `tollgate:ignore` on line 2 | entrypoint drops privileges |",
    );
  });

  it("count for nothing with inline-suppressions: deny, and are still shown", async () => {
    fake.config = `${fake.config ?? ""}inline-suppressions: deny\n`;
    fake.setFiles([{ path: "Dockerfile", head: INLINE }]);
    await commandsProbot().receive(pullRequestEvent("opened", fake));
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("meta/suppression-added");
    expect(run.output.summary).not.toContain("### Suppressed");
  });
});
