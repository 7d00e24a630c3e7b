import { describe, expect, it } from "vitest";
import type { Role } from "../../src/slash-commands/authorize.js";
import { type CommandComment, rebuildSuppressions, UNANSWERED } from "../../src/slash-commands/history.js";
import { commandKey } from "../../src/slash-commands/markers.js";
import { config } from "../support/review.js";

const known = new Map([
  ["docker/runs-as-root", "docker/runs-as-root"],
  ["docker/root-user", "docker/runs-as-root"],
  ["docker/unpinned-base-image", "docker/unpinned-base-image"],
]);
const resolveRuleId = (id: string) => known.get(id);

let nextId = 100;
function comment(author: string, body: string, extra: Partial<CommandComment> = {}): CommandComment {
  const id = nextId++;
  return {
    id,
    author,
    authorIsBot: false,
    body,
    createdAt: `2026-11-28T10:00:${String(id % 60).padStart(2, "0")}Z`,
    url: `https://github.com/o/r/pull/1#issuecomment-${id}`,
    ...extra,
  };
}

/** By default every comment without recorded bindings is the one being answered, so its ignores apply as typed. */
function rebuild(
  comments: CommandComment[],
  roles: Record<string, Role>,
  cfg = config(),
  answering = new Set(comments.filter((c) => !c.bound).map((c) => c.id)),
) {
  const asked: string[] = [];
  return rebuildSuppressions({
    comments,
    prAuthor: "Dev",
    config: cfg,
    roleOf: async (login) => {
      asked.push(login);
      return roles[login] ?? "none";
    },
    resolveRuleId,
    answering,
  }).then((r) => ({ ...r, asked }));
}

const key = (text: string) => commandKey(text);

describe("rebuildSuppressions", () => {
  it("turns an authorised ignore into a suppression carrying who, when, why and the link", async () => {
    const c = comment(
      "writer",
      "/tollgate ignore docker/runs-as-root -- the base image sets USER at runtime",
    );
    const { suppressions, rejected } = await rebuild([c], { writer: "write" });
    expect(rejected).toEqual([]);
    expect(suppressions).toEqual([
      {
        ruleId: "docker/runs-as-root",
        reason: "the base image sets USER at runtime",
        by: "writer",
        at: c.createdAt,
        url: c.url,
        commentId: c.id,
      },
    ]);
  });

  it("drops commands from people without the permission, and says why", async () => {
    const c = comment("reader", "/tollgate ignore docker/runs-as-root -- trust me");
    const { suppressions, rejected } = await rebuild([c], { reader: "read" });
    expect(suppressions).toEqual([]);
    expect(rejected).toEqual([
      {
        commentId: c.id,
        url: c.url,
        by: "reader",
        command: "/tollgate ignore docker/runs-as-root -- trust me",
        why: "@reader has read access on this repository; `ignore` needs write access or higher.",
      },
    ]);
  });

  it("gives the author's own ignore the four-eyes limit (case-insensitive login)", async () => {
    const { suppressions } = await rebuild([comment("dev", "/tollgate ignore docker/runs-as-root -- mine")], {
      dev: "write",
    });
    expect(suppressions[0]).toMatchObject({ by: "dev", onlyBelow: "high" });
  });

  it("applies ignore and unignore in order of creation, resolving aliases", async () => {
    const a = comment(
      "w",
      "/tollgate ignore docker/root-user -- one\n/tollgate ignore docker/unpinned-base-image Dockerfile:1 -- two",
    );
    const b = comment("w", "/tollgate unignore docker/runs-as-root");
    const c = comment("w", "/tollgate ignore docker/runs-as-root -- three");
    // listed out of order: the rebuild sorts by creation time
    const { suppressions } = await rebuild([c, b, a], { w: "maintain" });
    expect(suppressions.map((s) => [s.ruleId, s.reason, s.path, s.line])).toEqual([
      ["docker/unpinned-base-image", "two", "Dockerfile", 1],
      ["docker/runs-as-root", "three", undefined, undefined],
    ]);
  });

  it("unignore all lifts everything before it", async () => {
    const { suppressions } = await rebuild(
      [
        comment("w", "/tollgate ignore docker/runs-as-root -- x"),
        comment("w", "/tollgate ignore docker/unpinned-base-image -- y"),
        comment("a", "/tollgate unignore all"),
      ],
      { w: "write", a: "admin" },
    );
    expect(suppressions).toEqual([]);
  });

  it("an unauthorised unignore lifts nothing", async () => {
    const { suppressions, rejected } = await rebuild(
      [comment("w", "/tollgate ignore docker/runs-as-root -- x"), comment("t", "/tollgate unignore all")],
      { w: "write", t: "triage" },
    );
    expect(suppressions).toHaveLength(1);
    expect(rejected[0]?.why).toContain("@t has triage access");
  });

  it("targets a review thread's finding by fingerprint", async () => {
    const thread = { fingerprint: "0123456789abcdef", ruleId: "docker/runs-as-root" };
    const { suppressions } = await rebuild(
      [
        comment("w", "/tollgate ignore -- fixture", {
          thread,
          url: "https://github.com/o/r/pull/1#discussion_r5",
        }),
      ],
      { w: "write" },
    );
    expect(suppressions).toEqual([
      expect.objectContaining({
        ruleId: "docker/runs-as-root",
        fingerprint: "0123456789abcdef",
        reason: "fixture",
      }),
    ]);
    const lifted = await rebuild(
      [
        comment("w", "/tollgate ignore -- fixture", { thread }),
        comment("w", "/tollgate unignore", { thread }),
      ],
      { w: "write" },
    );
    expect(lifted.suppressions).toEqual([]);
  });

  it("refuses a rule-less ignore outside a review thread, and unknown rules", async () => {
    const { suppressions, rejected } = await rebuild(
      [comment("w", "/tollgate ignore -- x\n/tollgate ignore docker/nope -- y")],
      { w: "write" },
    );
    expect(suppressions).toEqual([]);
    expect(rejected.map((r) => r.why)).toEqual([
      expect.stringContaining("say which rule to ignore"),
      "unknown rule id `docker/nope`",
    ]);
  });

  it("skips bots (Tollgate's own replies quote commands) and looks each person up once", async () => {
    const { suppressions, asked } = await rebuild(
      [
        comment("tollgate[bot]", "/tollgate ignore docker/runs-as-root -- echoed", { authorIsBot: true }),
        comment("w", "/tollgate ignore docker/runs-as-root -- a"),
        comment("w", "/tollgate unignore docker/runs-as-root"),
        comment("w", "just chatting"),
      ],
      { w: "write" },
    );
    expect(suppressions).toEqual([]);
    expect(asked).toEqual(["w"]);
  });

  it("stamps an edited comment with its edit time", async () => {
    const c = comment("w", "/tollgate ignore docker/runs-as-root -- edited reason", {
      updatedAt: "2026-11-28T11:00:00Z",
    });
    const { suppressions } = await rebuild([c], { w: "write" });
    expect(suppressions[0]).toMatchObject({ at: "2026-11-28T11:00:00Z", reason: "edited reason" });
  });
});

describe("rebuildSuppressions with bindings", () => {
  it("binds a rule-level ignore to the fingerprints recorded when it was answered", async () => {
    const c = comment("w", "/tollgate ignore docker/runs-as-root -- r", {
      bound: new Map([
        [key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]],
      ]),
    });
    const { suppressions } = await rebuild([c], { w: "write" });
    expect(suppressions.map((s) => [s.ruleId, s.fingerprint, s.reason])).toEqual([
      ["docker/runs-as-root", "aaaaaaaaaaaaaaaa", "r"],
      ["docker/runs-as-root", "bbbbbbbbbbbbbbbb", "r"],
    ]);
  });

  it("keeps an ignore that matched nothing refused", async () => {
    const c = comment("w", "/tollgate ignore docker/runs-as-root -- r", {
      bound: new Map([[key("/tollgate ignore docker/runs-as-root -- r"), []]]),
    });
    const { suppressions, rejected } = await rebuild([c], { w: "write" });
    expect(suppressions).toEqual([]);
    expect(rejected[0]?.why).toBe("it matched no finding when it was posted");
  });

  it("an unignore of the rule lifts bound suppressions too", async () => {
    const { suppressions } = await rebuild(
      [
        comment("w", "/tollgate ignore docker/runs-as-root -- r", {
          bound: new Map([[key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa"]]]),
        }),
        comment("w", "/tollgate unignore docker/runs-as-root"),
      ],
      { w: "write" },
    );
    expect(suppressions).toEqual([]);
  });

  it("reports comments whose every ignore was already answered, and what unignores lifted", async () => {
    const a = comment(
      "w",
      "/tollgate ignore docker/runs-as-root -- r\n/tollgate ignore docker/unpinned-base-image -- s",
      {
        bound: new Map([
          [key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa"]],
          [key("/tollgate ignore docker/unpinned-base-image -- s"), []],
        ]),
      },
    );
    const b = comment(
      "w",
      "/tollgate ignore docker/runs-as-root -- r\n/tollgate ignore docker/unpinned-base-image -- s",
      {
        bound: new Map([[key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa"]]]),
      },
    );
    const c = comment("w", "/tollgate unignore all");
    const { answered, lifted } = await rebuild([a, b, c], { w: "write" });
    expect([...answered]).toEqual([a.id]);
    // b's second ignore has no recorded answer, so it never applied: two suppressions to lift.
    expect(lifted.get(c.id)).toBe(2);
  });

  it("keeps a binding through prose edits around the command, keyed by the command's text", async () => {
    const c = comment("w", "Typo fixed above.\n\n/tollgate  ignore docker/runs-as-root --  r", {
      bound: new Map([[key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa"]]]),
      updatedAt: "2026-11-28T12:00:00Z",
    });
    const { suppressions, rejected } = await rebuild([c], { w: "write" });
    expect(rejected).toEqual([]);
    expect(suppressions.map((s) => s.fingerprint)).toEqual(["aaaaaaaaaaaaaaaa"]);
  });

  it("fails closed on an ignore Tollgate never answered (missed, or its text edited since)", async () => {
    const edited = comment("w", "/tollgate ignore docker/runs-as-root -- a different reason", {
      bound: new Map([[key("/tollgate ignore docker/runs-as-root -- r"), ["aaaaaaaaaaaaaaaa"]]]),
    });
    const missed = comment("w", "/tollgate ignore docker/unpinned-base-image -- never answered");
    const { suppressions, rejected } = await rebuild([edited, missed], { w: "write" }, config(), new Set());
    expect(suppressions).toEqual([]);
    expect(rejected.map((r) => [r.commentId, r.why])).toEqual([
      [edited.id, UNANSWERED],
      [missed.id, UNANSWERED],
    ]);
  });
});
