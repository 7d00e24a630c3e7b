import { describe, expect, it } from "vitest";
import {
  buildLedger,
  type GitHubComment,
  ownComments,
  ruleIdFromBody,
} from "../../src/slash-commands/ledger.js";
import { bindingMarker, commandKey } from "../../src/slash-commands/markers.js";

const resolve = (id: string) => (id === "docker/runs-as-root" ? id : undefined);
const user = (login: string, type = "User") => ({ login, type });
const own = ownComments({ botLogin: "tollgate[bot]" });

function c(id: number, login: string, body: string, extra: Partial<GitHubComment> = {}): GitHubComment {
  return {
    id,
    user: user(login, login.endsWith("[bot]") ? "Bot" : "User"),
    body,
    created_at: "2026-11-28T10:00:00Z",
    updated_at: "2026-11-28T10:00:00Z",
    html_url: `https://github.com/o/r/pull/1#c${id}`,
    ...extra,
  };
}

const root = c(
  1,
  "tollgate[bot]",
  "🟠 **high** · [`docker/runs-as-root`](https://x/docs)\n\nRuns as root\n<!-- tollgate:fingerprint=00112233aabbccdd -->",
);

describe("buildLedger", () => {
  it("keeps conversation comments and replies in Tollgate's own threads, with the thread's finding", () => {
    const ledger = buildLedger(
      [c(10, "alice", "/tollgate recheck", { updated_at: "2026-11-28T10:05:00Z" })],
      [
        root,
        c(2, "bob", "/tollgate ignore -- fixture only", { in_reply_to_id: 1 }),
        c(3, "carol", "/tollgate ignore -- not a tollgate thread", { in_reply_to_id: 4 }),
        c(4, "carol", "a human's own line comment <!-- tollgate:fingerprint=00112233aabbccdd -->"),
        c(5, "github-actions[bot]", "a workflow's copy <!-- tollgate:fingerprint=00112233aabbccdd -->"),
        c(6, "dev", "/tollgate ignore -- another bot's thread is not Tollgate's", { in_reply_to_id: 5 }),
      ],
      resolve,
      own,
    );
    expect(ledger).toEqual([
      {
        id: 10,
        author: "alice",
        authorIsBot: false,
        body: "/tollgate recheck",
        createdAt: "2026-11-28T10:00:00Z",
        updatedAt: "2026-11-28T10:05:00Z",
        url: "https://github.com/o/r/pull/1#c10",
      },
      {
        id: 2,
        author: "bob",
        authorIsBot: false,
        body: "/tollgate ignore -- fixture only",
        createdAt: "2026-11-28T10:00:00Z",
        url: "https://github.com/o/r/pull/1#c2",
        thread: { fingerprint: "00112233aabbccdd", ruleId: "docker/runs-as-root" },
      },
    ]);
  });

  it("marks bots and deleted accounts so they are never authorised", () => {
    const ledger = buildLedger(
      [
        c(1, "tollgate[bot]", "x"),
        { ...c(2, "x", "y"), user: null },
        c(3, "renovate", "z", { user: user("renovate", "Bot") }),
      ],
      [],
      resolve,
      own,
    );
    expect(ledger.map((l) => [l.author, l.authorIsBot])).toEqual([
      ["tollgate[bot]", true],
      ["ghost", true],
      ["renovate", true],
    ]);
  });
});

describe("ruleIdFromBody", () => {
  it("finds the first known rule id in a code span", () => {
    expect(ruleIdFromBody("see `foo/bar` and `docker/runs-as-root`", resolve)).toBe("docker/runs-as-root");
    expect(ruleIdFromBody("docker/runs-as-root without backticks", resolve)).toBeUndefined();
  });
});

describe("bindings recorded in Tollgate's replies", () => {
  const first = "/tollgate ignore docker/runs-as-root -- ok";
  const second = "/tollgate ignore docker/runs-as-root x -- no";
  const cmd = c(20, "writer", `${first}\n${second}`, { updated_at: "2026-11-28T10:00:00Z" });
  const marker = (command: string, fingerprints: string[], kind: "issue" | "review" = "issue") =>
    bindingMarker({ kind, commentId: 20, command: commandKey(command), fingerprints });

  it("attach to the command comment by id and the command's text", () => {
    const reply = c(
      21,
      "tollgate[bot]",
      `done\n${marker(first, ["00112233aabbccdd"])}\n${marker(second, [])}`,
    );
    const [ledger] = buildLedger([cmd, reply], [], resolve, own);
    expect(ledger?.bound).toEqual(
      new Map([
        [commandKey(first), ["00112233aabbccdd"]],
        [commandKey(second), []],
      ]),
    );
  });

  it("count only in Tollgate's own comments: not a human's, not another bot's, not for the other comment kind", () => {
    const human = c(22, "mallory", marker(first, ["00112233aabbccdd"]));
    const otherBot = c(23, "github-actions[bot]", marker(first, ["00112233aabbccdd"]));
    const otherKind = c(24, "tollgate[bot]", marker(first, [], "review"));
    expect(buildLedger([cmd, human, otherBot, otherKind], [], resolve, own)[0]).not.toHaveProperty("bound");
  });

  it("are recognised by the app that posted them when the bot account is unknown", () => {
    const byApp = c(25, "tollgate[bot]", marker(first, ["00112233aabbccdd"]), {
      performed_via_github_app: { id: 42 },
    });
    const otherApp = c(26, "tollgate[bot]", marker(second, []), { performed_via_github_app: { id: 7 } });
    const [ledger] = buildLedger([cmd, byApp, otherApp], [], resolve, ownComments({ appId: 42 }));
    expect(ledger?.bound).toEqual(new Map([[commandKey(first), ["00112233aabbccdd"]]]));
  });
});
