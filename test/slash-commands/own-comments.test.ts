import { describe, expect, it } from "vitest";
import { ownComments } from "../../src/slash-commands/own-comments.js";

const bot = (login: string) => ({ user: { login, type: "Bot" } });

describe("the own-comment policy (one answer for the review and the slash commands)", () => {
  it("trusts the app's bot account, case-insensitively, and comments GitHub says the app posted", () => {
    const isOwn = ownComments({ botLogin: "tollgate[bot]", appId: 123 });
    expect(isOwn(bot("tollgate[bot]"))).toBe(true);
    expect(isOwn(bot("Tollgate[bot]"))).toBe(true);
    expect(isOwn({ user: { login: "someone", type: "User" }, performed_via_github_app: { id: 123 } })).toBe(
      true,
    );
  });

  it("trusts no other bot, and no person using the bot's name", () => {
    const isOwn = ownComments({ botLogin: "tollgate[bot]", appId: 123 });
    expect(isOwn(bot("github-actions[bot]"))).toBe(false);
    expect(isOwn({ user: { login: "tollgate[bot]", type: "User" } })).toBe(false);
    expect(isOwn({ user: null })).toBe(false);
    expect(isOwn({ ...bot("other[bot]"), performed_via_github_app: { id: 999 } })).toBe(false);
  });

  it("fails closed: with the bot account unknown only the app id counts, and with neither nothing does", () => {
    const byAppId = ownComments({ appId: 123 });
    expect(byAppId(bot("tollgate[bot]"))).toBe(false);
    expect(byAppId(bot("github-actions[bot]"))).toBe(false);
    expect(byAppId({ ...bot("tollgate[bot]"), performed_via_github_app: { id: 123 } })).toBe(true);
    const nobody = ownComments({});
    expect(nobody(bot("tollgate[bot]"))).toBe(false);
    expect(nobody({ ...bot("tollgate[bot]"), performed_via_github_app: { id: 123 } })).toBe(false);
  });
});
