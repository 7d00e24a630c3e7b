import { describe, expect, it } from "vitest";
import { buildLedger, type GitHubComment, ruleIdFromBody } from "../../src/commands/ledger.js";
import { bindingMarker } from "../../src/commands/markers.js";

const resolve = (id: string) => (id === "docker/runs-as-root" ? id : undefined);
const user = (login: string, type = "User") => ({ login, type });

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
      ],
      resolve,
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
  const cmd = c(
    20,
    "writer",
    "/tollgate ignore docker/runs-as-root -- ok\n/tollgate ignore docker/runs-as-root x -- no",
    {
      updated_at: "2026-11-28T10:00:00Z",
    },
  );

  it("attach to the command comment by id, line and edit time", () => {
    const reply = c(
      21,
      "tollgate[bot]",
      `done\n${bindingMarker({ kind: "issue", commentId: 20, line: 1, at: "2026-11-28T10:00:00Z", fingerprints: ["00112233aabbccdd"] })}\n${bindingMarker({ kind: "issue", commentId: 20, line: 2, at: "2026-11-28T10:00:00Z", fingerprints: [] })}`,
    );
    const [ledger] = buildLedger([cmd, reply], [], resolve);
    expect(ledger?.bound).toEqual(
      new Map([
        [1, ["00112233aabbccdd"]],
        [2, []],
      ]),
    );
  });

  it("are dropped when the command was edited since, or written by a human", () => {
    const stale = c(
      21,
      "tollgate[bot]",
      bindingMarker({
        kind: "issue",
        commentId: 20,
        line: 1,
        at: "2026-11-28T09:00:00Z",
        fingerprints: ["00112233aabbccdd"],
      }),
    );
    const forged = c(
      22,
      "mallory",
      bindingMarker({ kind: "issue", commentId: 20, line: 1, at: "2026-11-28T10:00:00Z", fingerprints: [] }),
    );
    const otherKind = c(
      23,
      "tollgate[bot]",
      bindingMarker({ kind: "review", commentId: 20, line: 1, at: "2026-11-28T10:00:00Z", fingerprints: [] }),
    );
    expect(buildLedger([cmd, stale, forged, otherKind], [], resolve)[0]).not.toHaveProperty("bound");
  });
});
