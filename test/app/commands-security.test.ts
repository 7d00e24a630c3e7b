import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UNANSWERED } from "../../src/slash-commands/history.js";
import {
  CommandsFake,
  commandsProbot,
  issueCommentEvent,
  PERMISSIONS,
  reviewReplyEvent,
} from "./commands-support.js";
import { pullRequestEvent, useMemoryGitHub } from "./support/probot.js";

/**
 * Attempts to switch the gate off without the right to: markers copied by
 * another bot, threads that only look like Tollgate's, commands edited into
 * someone else's comment, edits that quietly widen a suppression, and
 * deletes used to trigger reviews at will.
 */

const ROOT = 'FROM node:20.11.1-alpine\nUSER root\nCMD ["node", "server.js"]\n';
const TWO = 'FROM node:latest\nUSER root\nCMD ["node", "server.js"]\n';
const CHANGED = 'FROM node:20.11.1-alpine\nRUN apk add --no-cache tini\nUSER 0\nCMD ["node", "server.js"]\n';
const IGNORE = "/tollgate ignore docker/runs-as-root -- the base image sets USER at runtime";

let fake: CommandsFake;

beforeEach(() => {
  fake = new CommandsFake();
  useMemoryGitHub(fake);
  fake.roles.set("writer", PERMISSIONS.write!);
  fake.roles.set("reader", PERMISSIONS.read!);
  fake.roles.set("Codertocat", PERMISSIONS.write!);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

const last = () => fake.checkRuns.at(-1)!;

async function opened(dockerfile = ROOT) {
  fake.setFiles([{ path: "Dockerfile", head: dockerfile }]);
  const probot = commandsProbot();
  await probot.receive(pullRequestEvent("opened", fake));
  return probot;
}

function findingThread(ruleId: string) {
  const root = fake.comments.find((c) => c.in_reply_to_id === undefined && c.body.includes(`\`${ruleId}\``))!;
  return { root, fingerprint: /tollgate:fingerprint=([0-9a-f]+)/.exec(root.body)![1]! };
}

function edit(
  comment: ReturnType<CommandsFake["addIssueComment"]>,
  body: string,
  editor = comment.user.login,
) {
  const from = comment.body;
  comment.body = body;
  comment.updated_at = fake.tick();
  const event = issueCommentEvent(fake, comment, "edited", { changes: { body: { from } } });
  (event.payload as { sender: { login: string } }).sender.login = editor;
  return event;
}

describe("markers and threads are trusted only from Tollgate itself", () => {
  it("a binding marker copied by another bot does not widen a writer's ignore to a blocking finding", async () => {
    const probot = await opened(TWO);
    await probot.receive(
      issueCommentEvent(
        fake,
        fake.addIssueComment("writer", "/tollgate ignore docker/unpinned-base-image -- fine"),
      ),
    );
    expect(last().conclusion).toBe("failure"); // runs-as-root still blocks
    const { fingerprint } = findingThread("docker/runs-as-root");
    const real = /<!-- tollgate:bound=[^ ]+ -->/.exec(fake.botReplies().at(-1)!.body)![0];
    const forged = real.replace(/=([0-9a-f,]*) -->$/, (_m, fps) => `=${fps},${fingerprint} -->`);
    fake.addIssueComment("ci-helper[bot]", `Build log excerpt: ${forged}`, "Bot");

    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("Codertocat", "/tollgate recheck")));
    expect(last().conclusion).toBe("failure");
    expect(last().output.summary).toContain("### Suppressed (1)");
  });

  it("a thread another bot opened with a copied fingerprint is not Tollgate's to answer", async () => {
    const probot = await opened();
    const { fingerprint } = findingThread("docker/runs-as-root");
    const impostor = {
      id: 4243,
      body: `lint: \`docker/runs-as-root\` <!-- tollgate:fingerprint=${fingerprint} -->`,
      path: "Dockerfile",
      line: 2,
      side: "RIGHT",
      pull_request_review_id: 1,
      user: { login: "github-actions[bot]", type: "Bot" },
      commit_id: fake.headSha,
    };
    fake.comments.push(impostor as never);
    const before = fake.writes().length;
    await probot.receive(
      reviewReplyEvent(fake, fake.addThreadReply("writer", impostor.id, "/tollgate ignore -- x")),
    );
    expect(fake.writes().slice(before)).toEqual([]);
    expect(last().conclusion).toBe("failure");
  });
});

describe("edits", () => {
  it("commands edited into someone else's comment are refused, and never applied in its author's name", async () => {
    const probot = await opened();
    const colleague = fake.addIssueComment("writer", "/tollgate help");
    await probot.receive(issueCommentEvent(fake, colleague));
    const runs = fake.checkRuns.length;

    await probot.receive(edit(colleague, IGNORE, "Codertocat"));
    expect(fake.checkRuns).toHaveLength(runs);
    expect(last().conclusion).toBe("failure");
    expect(fake.botReplies().at(-1)!.body).toContain(
      "Not done: @Codertocat edited @writer's comment. Tollgate acts on a comment's commands only as its author wrote them, so nothing in it was applied",
    );

    // Nor at the next review: the edited ignore has no answer recorded.
    fake.push("2222222222222222222222222222222222222222", [
      { path: "Dockerfile", head: ROOT.replace("CMD", "EXPOSE 8080\nCMD") },
    ]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-2"));
    expect(last().conclusion).toBe("failure");
    expect(last().output.summary).toContain(`was not applied: ${UNANSWERED}`);
  });

  it("a prose edit around an answered ignore keeps it bound to its finding: a changed finding blocks again", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    expect(last().conclusion).toBe("success");
    const replies = fake.botReplies().length;

    await probot.receive(edit(command, `Typo fixed in the prose.\n${IGNORE}`));
    expect(fake.botReplies()).toHaveLength(replies); // nothing new to answer

    fake.push("3333333333333333333333333333333333333333", [{ path: "Dockerfile", head: CHANGED }]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-3"));
    expect(last().conclusion).toBe("failure");
  });

  it("an ignore edited into another command stops applying at once", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    expect(last().conclusion).toBe("success");

    await probot.receive(edit(command, "/tollgate help"));
    expect(last().conclusion).toBe("failure");
    expect(fake.botReplies().at(-1)!.body).toContain("/tollgate ignore");
  });
});

describe("deletes", () => {
  it("deleting a command that never applied (a reader's) reviews nothing", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("reader", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    const runs = fake.checkRuns.length;
    fake.issueComments = fake.issueComments.filter((c) => c.id !== command.id);
    await probot.receive(issueCommentEvent(fake, command, "deleted"));
    expect(fake.checkRuns).toHaveLength(runs);
  });

  it("deleting a writer's applied ignore turns the check red again", async () => {
    const probot = await opened();
    const command = fake.addIssueComment("writer", IGNORE);
    await probot.receive(issueCommentEvent(fake, command));
    expect(last().conclusion).toBe("success");
    fake.issueComments = fake.issueComments.filter((c) => c.id !== command.id);
    await probot.receive(issueCommentEvent(fake, command, "deleted"));
    expect(last().conclusion).toBe("failure");
  });
});

describe("permission lookups that fail", () => {
  it("say so in the reply instead of claiming the commenter has no access", async () => {
    const probot = await opened();
    const handle = fake.handle.bind(fake);
    fake.handle = (method, path, body, base) =>
      path.includes("/permission")
        ? { status: 500, body: { message: "boom" } }
        : handle(method, path, body, base);
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    const reply = fake.botReplies().at(-1)!.body;
    expect(reply).toContain(
      "Tollgate could not check @writer's permission on this repository (GitHub answered 500",
    );
    expect(reply).not.toContain("has no access");
    expect(last().conclusion).toBe("failure");
  });
});

describe("more comments than Tollgate reads", () => {
  it("apply no command suppressions and say so, since a later unignore could go unread", async () => {
    const probot = await opened();
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));
    expect(last().conclusion).toBe("success");
    for (let i = 0; i < 3000; i++) fake.addIssueComment("reader", `noise ${i}`);

    fake.push("2222222222222222222222222222222222222222", [
      { path: "Dockerfile", head: ROOT.replace("CMD", "EXPOSE 8080\nCMD") },
    ]);
    await probot.receive(pullRequestEvent("synchronize", fake, "delivery-2"));
    expect(last().conclusion).toBe("failure");
    expect(last().output.summary).toContain("`/tollgate ignore` commands were not applied");
  });
});
