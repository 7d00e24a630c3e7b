import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Role } from "../../src/slash-commands/authorize.js";
import { CommandsFake, commandsProbot, issueCommentEvent, PERMISSIONS } from "./commands-support.js";
import { pullRequestEvent, useMemoryGitHub } from "./support/probot.js";

/** Every role × every command, through Probot: who gets an effect, who gets a refusal that changes nothing. */

const DOCKERFILE = 'FROM node:20.11.1-alpine\nUSER root\nCMD ["node", "server.js"]\n';
const ROLES: Role[] = ["admin", "maintain", "write", "triage", "read", "none"];
const COMMANDS = {
  help: "/tollgate help",
  explain: "/tollgate explain docker/runs-as-root",
  recheck: "/tollgate recheck",
  ignore: "/tollgate ignore docker/runs-as-root -- reviewed: the entrypoint drops to uid 10001",
  unignore: "/tollgate unignore docker/runs-as-root",
} as const;
type Name = keyof typeof COMMANDS;

const ALLOWED: Record<Role, Name[]> = {
  admin: ["help", "explain", "recheck", "ignore", "unignore"],
  maintain: ["help", "explain", "recheck", "ignore", "unignore"],
  write: ["help", "explain", "recheck", "ignore", "unignore"],
  triage: ["help", "explain"],
  read: ["help", "explain"],
  none: ["help", "explain"],
};

let fake: CommandsFake;

beforeEach(() => {
  fake = new CommandsFake();
  useMemoryGitHub(fake);
  fake.roles.set("maintainer", PERMISSIONS.write!);
  fake.setFiles([{ path: "Dockerfile", head: DOCKERFILE }]);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

describe("permission matrix (commenter is not the author)", () => {
  for (const role of ROLES) {
    for (const name of Object.keys(COMMANDS) as Name[]) {
      const allowed = ALLOWED[role].includes(name);
      it(`${role} × ${name}: ${allowed ? "acts" : "refused"}`, async () => {
        const login = `user-${role}`;
        if (role !== "none") fake.roles.set(login, PERMISSIONS[role]!);
        const probot = commandsProbot();
        await probot.receive(pullRequestEvent("opened", fake));
        if (name === "unignore") {
          const ignore = fake.addIssueComment("maintainer", COMMANDS.ignore);
          await probot.receive(issueCommentEvent(fake, ignore));
          expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
        }
        const runsBefore = fake.checkRuns.length;
        const repliesBefore = fake.botReplies().length;

        const command = fake.addIssueComment(login, COMMANDS[name]);
        await probot.receive(issueCommentEvent(fake, command));

        expect(fake.reactions.at(-1)).toEqual({ on: "issue", commentId: command.id, content: "eyes" });
        const replies = fake.botReplies().slice(repliesBefore);
        expect(replies).toHaveLength(1);
        const reply = replies[0]!.body;
        expect(reply.includes("Not done:")).toBe(!allowed);
        if (!allowed) {
          expect(reply).toContain(
            `@${login} has ${role === "none" ? "no access" : `${role} access`} on this repository`,
          );
          expect(fake.checkRuns).toHaveLength(runsBefore);
          return;
        }
        switch (name) {
          case "help":
            expect(reply).toContain("**Tollgate** reviews what this pull request changes");
            expect(fake.checkRuns).toHaveLength(runsBefore);
            break;
          case "explain":
            expect(reply).toContain("### `docker/runs-as-root` — ");
            expect(reply).toContain("**Severity:** high — fails the check (fail-on: high)");
            expect(fake.checkRuns).toHaveLength(runsBefore);
            break;
          case "recheck":
            expect(fake.checkRuns).toHaveLength(runsBefore + 1);
            expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
            expect(reply).toBe(
              "Reviewed the current head again: the `tollgate` check concluded **failure**.",
            );
            break;
          case "ignore":
            expect(fake.checkRuns).toHaveLength(runsBefore + 1);
            expect(fake.checkRuns.at(-1)!.conclusion).toBe("success");
            expect(fake.checkRuns.at(-1)!.output.summary).toContain(`ignored by @${login}`);
            break;
          case "unignore":
            expect(fake.checkRuns).toHaveLength(runsBefore + 1);
            expect(fake.checkRuns.at(-1)!.conclusion).toBe("failure");
            expect(reply).toContain("Lifted 1 suppression; matching findings count again");
            break;
        }
      });
    }
  }
});
