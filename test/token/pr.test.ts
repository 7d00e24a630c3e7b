import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markedFingerprints } from "../../src/report/review-comments.js";
import { prCommand } from "../../src/token/pr-command.js";
import type { FakeGitHub } from "../app/support/fake-github.js";
import { intercept } from "../app/support/intercept.js";
import { pullRequestEvent, testProbot, useMemoryGitHub } from "../app/support/probot.js";
import { API, capture, client, shop, TOKEN } from "./support.js";

const T = {
  pull: "/repos/{owner}/{repo}/pulls/{pull_number}",
  runs: "/repos/{owner}/{repo}/check-runs",
  run: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
  reviews: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  statuses: "/repos/{owner}/{repo}/statuses/{sha}",
};

let fake: FakeGitHub;

beforeEach(() => {
  nock.disableNetConnect();
  fake = shop();
  intercept(fake, API);
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
  nock.cleanAll();
});

async function pr(args: string[], env: NodeJS.ProcessEnv = {}) {
  const c = capture(env);
  const code = await prCommand(args, c.io, { client });
  const all = c.out() + c.err();
  expect(all).not.toContain(TOKEN);
  return { code, out: c.out(), err: c.err() };
}

describe("tollgate pr acme/shop#42", () => {
  it("prints the findings the app posts for the same pull request, and writes nothing", async () => {
    const { code, out } = await pr(["acme/shop#42", "--format", "json", "--offline"]);
    expect(code).toBe(1);
    const printed = JSON.parse(out).findings as Array<{
      ruleId: string;
      path: string;
      line: number;
      fingerprint: string;
    }>;
    expect(printed.map((f) => [f.ruleId, f.line])).toEqual([
      ["docker/runs-as-root", 1],
      ["docker/unpinned-base-image", 1],
      ["docker/remote-script-pipe-to-shell", 2],
    ]);
    expect(fake.writes()).toEqual([]);
    // Reads only what the app reads: the pull request, its files, the blob, the configuration chain, the comments.
    expect(fake.requests.every((r) => r.method === "GET")).toBe(true);

    // The app, on the same pull request (the in-memory port of the app's tests), posts exactly these.
    const app = shop();
    useMemoryGitHub(app);
    await testProbot().receive(pullRequestEvent("opened", app));
    const run = app.checkRuns[0]!;
    expect(run.output.annotations.map((a: any) => [a.title.replace(/^\[\w+\] /, ""), a.start_line])).toEqual(
      printed.map((f) => [f.ruleId, f.line]),
    );
    const posted = app.reviews
      .flatMap((r) => markedFingerprints(r.body))
      .concat(app.comments.flatMap((c) => markedFingerprints(c.body)));
    expect(new Set(posted)).toEqual(new Set(printed.map((f) => f.fingerprint)));
  });

  it("takes the pull request's URL too, and every format", async () => {
    for (const format of ["text", "sarif", "markdown", "codequality", "junit"]) {
      const { code, out } = await pr([
        `https://github.com/acme/shop/pull/42`,
        "--format",
        format,
        "--offline",
      ]);
      expect(code, format).toBe(1);
      expect(out, format).toContain("remote-script-pipe-to-shell");
    }
  });

  it("--post creates one concluded tollgate check run and one review; a second run creates nothing new", async () => {
    const first = await pr(["acme/shop#42", "--post", "--offline"]);
    expect(first.code).toBe(1);
    expect(fake.writes().map((w) => `${w.method} ${w.template}`)).toEqual([
      `POST ${T.runs}`,
      `PATCH ${T.run}`,
      `POST ${T.reviews}`,
    ]);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({
      name: "tollgate",
      head_sha: fake.headSha,
      status: "completed",
      conclusion: "failure",
      external_id: "42",
    });
    expect(fake.checkRuns[0]!.output.annotations).toHaveLength(3);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.comments.length).toBeGreaterThan(0);
    expect(first.err).toContain(`posted the tollgate check run ${fake.checkRuns[0]!.id} (failure)`);

    const before = fake.writes().length;
    const second = await pr(["acme/shop#42", "--post", "--offline"]);
    expect(second.code).toBe(1);
    expect(fake.writes()).toHaveLength(before);
    expect(second.err).toContain("nothing new was posted");
    expect(second.out).toContain("remote-script-pipe-to-shell");
  });

  it("a token that cannot create check runs posts the commit status tollgate instead, said plainly", async () => {
    fake.refuse.add("checks");
    const summary = join(mkdtempSync(join(tmpdir(), "tollgate-summary-")), "summary.md");
    const { code, err } = await pr(["acme/shop#42", "--post", "--offline"], { GITHUB_STEP_SUMMARY: summary });
    // In a workflow step, the check run's text goes to the job summary instead.
    expect(readFileSync(summary, "utf8")).toMatch(/^## 3 new findings .*\n\n.*### New findings/s);
    expect(code).toBe(1);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.statuses).toEqual([
      expect.objectContaining({ sha: fake.headSha, context: "tollgate", state: "failure" }),
    ]);
    expect(fake.statuses[0]!.description!.length).toBeLessThanOrEqual(140);
    expect(fake.reviews).toHaveLength(1);
    expect(err).toContain(
      'cannot create check runs (GitHub answered 403), so the verdict was posted as the commit status "tollgate" (failure)',
    );
    // The status is the verdict of that commit: a second run posts nothing.
    const writes = fake.writes().length;
    await pr(["acme/shop#42", "--post", "--offline"]);
    expect(fake.writes().filter((w) => w.method !== "POST" || w.template !== T.runs)).toHaveLength(
      writes - 1,
    );
    expect(fake.statuses).toHaveLength(1);
    expect(fake.reviews).toHaveLength(1);
  });

  it("a draft the configuration does not review: says so, as the app's check run does", async () => {
    nock.cleanAll();
    fake = shop({ draft: true });
    fake.config = "review-drafts: false\n";
    intercept(fake, API);
    const { code, out, err } = await pr(["acme/shop#42", "--offline"]);
    expect(code).toBe(0);
    expect(out).toBe("");
    expect(err).toBe("tollgate: Draft: not reviewed\n");
  });

  it("posts nothing stale when the head moves during the review", async () => {
    // The first read of the pull request sees the old head; the re-read after the engine, a new push.
    const handle = fake.handle.bind(fake);
    let reads = 0;
    fake.handle = (method, path, body, base) => {
      if (method === "GET" && /\/pulls\/42$/.test(path.split("?")[0]!) && ++reads === 2)
        fake.headAfterReview = "9".repeat(40);
      return handle(method, path, body, base);
    };
    const { code, err } = await pr(["acme/shop#42", "--post", "--offline"]);
    expect(code).toBe(2);
    expect(err).toContain(
      "head moved to 999999999999 during the review: nothing was posted for the old head",
    );
    expect(fake.reviews).toEqual([]);
    // The run on the old head says so, as the app's does; no verdict, no comment.
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "neutral" });
    expect(fake.checkRuns[0]!.output.title).toMatch(/^Superseded by /);
  });
});

describe("bad input: exit 2, one line that says what to do, never the token", () => {
  const oneLine = (err: string) => {
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).not.toContain(TOKEN);
    return err;
  };

  it("a pull request that does not exist", async () => {
    const { code, err } = await pr(["acme/shop#7", "--offline"]);
    expect(code).toBe(2);
    expect(oneLine(err)).toContain("acme/shop#7 was not found, or this token cannot see it");
  });

  it("a token without access", async () => {
    nock.cleanAll();
    nock(API).persist().get(/.*/).reply(401, { message: "Bad credentials" });
    const { code, err } = await pr(["acme/shop#42"]);
    expect(code).toBe(2);
    expect(oneLine(err)).toContain("GitHub refused the token (401): set GITHUB_TOKEN or GH_TOKEN");
    nock(API).persist().get(/.*/).reply(403, { message: "Resource not accessible by personal access token" });
  });

  it("a token refused the repository (403)", async () => {
    nock.cleanAll();
    nock(API).persist().get(/.*/).reply(403, { message: "Resource not accessible by personal access token" });
    const { code, err } = await pr(["acme/shop#42"]);
    expect(code).toBe(2);
    expect(oneLine(err)).toContain("give it contents: read and pull-requests: read");
  });

  it("a rate limit", async () => {
    nock.cleanAll();
    const reset = Math.floor(Date.UTC(2026, 11, 3, 14, 7) / 1000);
    nock(API)
      .persist()
      .get(/.*/)
      .reply(
        403,
        { message: `API rate limit exceeded for user ID 1. ${TOKEN}` },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset), "x-ratelimit-limit": "5000" },
      );
    const { code, err } = await pr(["acme/shop#42"]);
    expect(code).toBe(2);
    expect(oneLine(err)).toContain("rate limit for this token is spent until 14:07 UTC: wait and run again");
  });

  it("GitHub Enterprise Server unreachable", async () => {
    const { code, err } = await pr(["acme/shop#42"], { GITHUB_API_URL: "http://127.0.0.1:9/api/v3" });
    expect(code).toBe(2);
    expect(oneLine(err)).toContain("cannot reach the GitHub API at http://127.0.0.1:9/api/v3");
    expect(err).toContain("check --api-url or GITHUB_API_URL");
  });

  it("no token, or not a pull request", async () => {
    expect(oneLine((await pr(["acme/shop#42"], { GITHUB_TOKEN: "" })).err)).toContain(
      "no token: set GITHUB_TOKEN or GH_TOKEN",
    );
    expect(oneLine((await pr(["acme/shop"])).err)).toContain("write OWNER/REPO#NUMBER or its URL");
  });
});
