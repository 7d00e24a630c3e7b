import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CommandsFake,
  commandsProbot,
  issueCommentEvent,
  PERMISSIONS,
  reviewReplyEvent,
} from "./commands-support.js";
import { pullRequestEvent, useMemoryGitHub } from "./support/probot.js";

/**
 * One command comment, one pull-request context: the review it re-runs and
 * the command share what they read, so each of these is read once per event
 * (issue 12: the configuration used to be read three times, the review
 * comments listed twice with different caps).
 */

const DOCKERFILE = 'FROM node:20.11.1-alpine\nUSER root\nCMD ["node", "server.js"]\n';
const IGNORE = "/tollgate ignore docker/runs-as-root -- the base image sets USER at runtime";
const T = {
  config: "/repos/{owner}/{repo}/contents/{path}",
  pull: "/repos/{owner}/{repo}/pulls/{pull_number}",
  reviewComments: "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  issueComments: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  reviews: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  permission: "/repos/{owner}/{repo}/collaborators/{username}/permission",
  files: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
  runs: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
};

let fake: CommandsFake;

beforeEach(() => {
  fake = useMemoryGitHub(new CommandsFake());
  fake.roles.set("writer", PERMISSIONS.write!);
  fake.roles.set("Codertocat", PERMISSIONS.write!);
  fake.setFiles([{ path: "Dockerfile", head: DOCKERFILE }]);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

/** GET requests made since `from`, counted by route. */
function readsSince(from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests.slice(from)) {
    if (r.method !== "GET") continue;
    const name = Object.entries(T).find(([, t]) => t === r.template)?.[0] ?? r.template;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe("the API reads of one command comment", () => {
  it("an ignore in the conversation reads the configuration, the comments, the reviews and the role once each", async () => {
    const probot = commandsProbot();
    await probot.receive(pullRequestEvent("opened", fake));
    const from = fake.requests.length;
    await probot.receive(issueCommentEvent(fake, fake.addIssueComment("writer", IGNORE)));

    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
    expect(readsSince(from)).toEqual({
      config: 1,
      pull: 2, // the pull request, and again after the engine ran (has the head moved?)
      files: 1,
      issueComments: 1,
      reviewComments: 1,
      reviews: 1,
      permission: 1,
    });
  });

  it("a reply in Tollgate's review thread lists the review comments once for the thread, the ledger and the review", async () => {
    const probot = commandsProbot();
    await probot.receive(pullRequestEvent("opened", fake));
    const root = fake.comments.find(
      (c) => c.in_reply_to_id === undefined && c.body.includes("runs-as-root"),
    )!;
    const from = fake.requests.length;
    const reply = fake.addThreadReply("writer", root.id, "/tollgate ignore -- fixture image, never deployed");
    await probot.receive(reviewReplyEvent(fake, reply));

    expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
    expect(readsSince(from)).toEqual({
      config: 1,
      pull: 1, // the payload carries the pull request; read again only to see whether the head moved
      files: 1,
      issueComments: 1,
      reviewComments: 1,
      reviews: 1,
      permission: 1,
    });
  });
});
