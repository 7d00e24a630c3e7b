import { describe, expect, it } from "vitest";
import { explainError } from "../../src/token/errors.js";
import { parseTarget, TargetError } from "../../src/token/target.js";

describe("parseTarget", () => {
  it("reads OWNER/REPO#N and pull request URLs; a GHES URL names its API", () => {
    expect(parseTarget("acme/shop#42")).toEqual({ owner: "acme", repo: "shop", pullNumber: 42 });
    expect(parseTarget("https://github.com/acme/shop.js/pull/7/files")).toEqual({
      owner: "acme",
      repo: "shop.js",
      pullNumber: 7,
    });
    expect(parseTarget("https://ghe.example.com/acme/shop/pull/3")).toEqual({
      owner: "acme",
      repo: "shop",
      pullNumber: 3,
      apiUrl: "https://ghe.example.com/api/v3",
    });
  });

  it("refuses what is not a pull request, saying what it expects", () => {
    for (const bad of [
      "acme/shop",
      "acme/shop#0",
      "acme#1",
      "https://github.com/acme/shop/issues/4",
      "file:///etc/passwd",
    ])
      expect(() => parseTarget(bad), bad).toThrow(TargetError);
  });
});

describe("explainError", () => {
  const c = {
    owner: "acme",
    repo: "shop",
    pullNumber: 42,
    apiUrl: "https://api.github.com",
    token: "ghp_secretsecretsecret",
  };

  it("never repeats the token, even when GitHub's message quotes it", () => {
    const e = Object.assign(new Error("weird ghp_secretsecretsecret"), {
      status: 418,
      response: { headers: {} },
    });
    const line = explainError(e, c);
    expect(line).not.toContain("ghp_secretsecretsecret");
    expect(line).toContain("GitHub answered 418");
  });

  it("never shows credentials written into the API URL", () => {
    const e = Object.assign(new Error("fetch failed"), { status: 500, cause: { code: "ECONNREFUSED" } });
    const line = explainError(e, { ...c, apiUrl: "https://me:hunter2hunter2@ghe.example.com/api/v3" });
    expect(line).toContain("cannot reach the GitHub API at https://ghe.example.com/api/v3 (ECONNREFUSED)");
    expect(line).not.toContain("hunter2");
  });

  it("a secondary rate limit (429) says to wait", () => {
    const e = Object.assign(new Error("too many"), { status: 429, response: { headers: {} } });
    expect(explainError(e, c)).toContain("rate limit for this token is spent: wait and run again");
  });
});
