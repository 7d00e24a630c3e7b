import { describe, expect, it } from "vitest";
import { type Actor, authorize, ROLES, type Role, roleFrom } from "../../src/slash-commands/authorize.js";
import { parseCommands } from "../../src/slash-commands/parse.js";
import { config } from "../support/review.js";

const cmd = (text: string) => parseCommands(text)[0]!;
const commands = {
  help: cmd("/tollgate help"),
  explain: cmd("/tollgate explain docker/runs-as-root"),
  recheck: cmd("/tollgate recheck"),
  ignore: cmd("/tollgate ignore docker/runs-as-root -- reason"),
  unignore: cmd("/tollgate unignore all"),
};

describe("roleFrom", () => {
  it("prefers role_name when it is a built-in role, else the folded permission", () => {
    expect(roleFrom({ permission: "write", role_name: "maintain" })).toBe("maintain");
    expect(roleFrom({ permission: "read", role_name: "triage" })).toBe("triage");
    expect(roleFrom({ permission: "admin", role_name: "admin" })).toBe("admin");
    expect(roleFrom({ permission: "write", role_name: "security-reviewer" })).toBe("write");
    expect(roleFrom({ permission: "none", role_name: "none" })).toBe("none");
    expect(roleFrom({ permission: "bogus" })).toBe("none");
    expect(roleFrom(null)).toBe("none");
  });
});

describe("authorize: the permission matrix (not the author)", () => {
  const expected: Record<Role, Record<keyof typeof commands, boolean>> = {
    admin: { help: true, explain: true, recheck: true, ignore: true, unignore: true },
    maintain: { help: true, explain: true, recheck: true, ignore: true, unignore: true },
    write: { help: true, explain: true, recheck: true, ignore: true, unignore: true },
    triage: { help: true, explain: true, recheck: false, ignore: false, unignore: false },
    read: { help: true, explain: true, recheck: false, ignore: false, unignore: false },
    none: { help: true, explain: true, recheck: false, ignore: false, unignore: false },
  };
  for (const role of ROLES) {
    for (const [name, command] of Object.entries(commands)) {
      const want = expected[role][name as keyof typeof commands];
      it(`${role} × ${name} → ${want ? "allowed" : "refused"}`, () => {
        const d = authorize(command, { login: "octo", role, isAuthor: false }, config());
        expect(d.allowed).toBe(want);
        if (d.allowed) expect(d).not.toHaveProperty("onlyBelow");
        else expect(d.why).toContain(`@octo has ${role === "none" ? "no access" : `${role} access`}`);
      });
    }
  }

  it("ignore-permission raises the bar for ignore and unignore", () => {
    const c = config({ commands: { "ignore-permission": "maintain" } });
    const write: Actor = { login: "w", role: "write", isAuthor: false };
    expect(authorize(commands.ignore, write, c)).toEqual({
      allowed: false,
      why: "@w has write access on this repository; `ignore` needs maintain access or higher.",
    });
    expect(authorize(commands.unignore, { ...write, role: "maintain" }, c).allowed).toBe(true);
    const admin = config({ commands: { "ignore-permission": "admin" } });
    expect(authorize(commands.ignore, { ...write, role: "maintain" }, admin).allowed).toBe(false);
  });
});

describe("authorize: four eyes for the pull request's author", () => {
  const author = (role: Role): Actor => ({ login: "dev", role, isAuthor: true });

  it("lets the author recheck whatever their role", () => {
    expect(authorize(commands.recheck, author("read"), config()).allowed).toBe(true);
    expect(authorize(commands.recheck, author("none"), config()).allowed).toBe(true);
  });

  it("limits a non-admin author's ignore to findings below fail-on", () => {
    expect(authorize(commands.ignore, author("write"), config())).toEqual({
      allowed: true,
      onlyBelow: "high",
    });
    expect(authorize(commands.ignore, author("maintain"), config({ "fail-on": "medium" }))).toEqual({
      allowed: true,
      onlyBelow: "medium",
    });
    expect(authorize(commands.ignore, author("admin"), config())).toEqual({ allowed: true });
  });

  it("still needs the ignore permission first", () => {
    expect(authorize(commands.ignore, author("read"), config()).allowed).toBe(false);
  });

  it("follows author-ignore-blocking: never and allowed", () => {
    const never = config({ commands: { "author-ignore-blocking": "never" } });
    expect(authorize(commands.ignore, author("admin"), never)).toEqual({ allowed: true, onlyBelow: "high" });
    const allowed = config({ commands: { "author-ignore-blocking": "allowed" } });
    expect(authorize(commands.ignore, author("write"), allowed)).toEqual({ allowed: true });
  });

  it("does not limit unignore (it only turns the gate back on)", () => {
    expect(authorize(commands.unignore, author("write"), config())).toEqual({ allowed: true });
  });
});
