import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReviewSteps } from "../../src/app/deps.js";
import { PullRequestContext } from "../../src/app/pull-request-context.js";
import { createReviewDeps, type ReviewDeps, reviewPullRequest } from "../../src/app/review-flow.js";
import { checkRunOutput, configErrorOutput } from "../../src/report/check-run.js";
import { runReview } from "../../src/review/engine.js";
import { RuleCatalogError, ruleCatalog } from "../../src/review/rules.js";
import { FakeGitHub, OWNER, REPO } from "./support/fake-github.js";
import { MemoryGitHub } from "./support/memory-github.js";
import {
  FIXED_NOW,
  testProbot as probotWithDeps,
  pullRequestEvent,
  useMemoryGitHub,
} from "./support/probot.js";

/**
 * Each test makes one step throw once, through the steps the app is built with
 * (`ReviewDeps.steps`); everything else is the real thing.
 */
const failOnce: Partial<ReviewSteps> = {};
function take<K extends keyof ReviewSteps>(key: K): ReviewSteps[K] | undefined {
  const step = failOnce[key];
  delete failOnce[key];
  return step;
}
const steps: ReviewSteps = {
  ruleCatalog: () => (take("ruleCatalog") ?? ruleCatalog)(),
  runReview: (...args) => (take("runReview") ?? runReview)(...args),
  checkRunOutput: (...args) => (take("checkRunOutput") ?? checkRunOutput)(...args),
};

function testProbot(deps: Partial<ReviewDeps> = {}) {
  return probotWithDeps({ steps, ...deps });
}

const BAD_DOCKERFILE =
  'FROM node:latest\nRUN curl -fsSL https://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';
const README = { path: "README.md", base: "# Hello\n", head: "# Hello, world\n" };
const RUN = "/repos/{owner}/{repo}/check-runs/{check_run_id}";
const SOURCE = `${OWNER}/${REPO}:.github/tollgate.yml`;
// Built at run time so the repository holds no token-shaped string.
const TOKEN = ["gh", "p_", "R8x3kQ7mZ2vN9tB4", "wL6yH1jC5dF0gS8aE2uP"].join("");

const FAILS_CLOSED =
  "Concluded `failure`: a review that cannot finish fails closed (`on-error` is `failure` unless the configuration on the default branch sets `neutral`).";
const NEUTRAL = "Concluded `neutral`: the configuration sets `on-error: neutral`.";
const VERDICT_STANDS =
  "Concluded `failure`: the review had already found new findings at or above `fail-on`, and a failure does not change that.";

let fake: FakeGitHub;

beforeEach(() => {
  for (const key of Object.keys(failOnce)) delete failOnce[key as keyof ReviewSteps];
});

afterEach(() => {
  expect(fake.contractViolations).toEqual([]);
});

function setUp(
  files = [{ path: "Dockerfile", head: BAD_DOCKERFILE }] as Parameters<FakeGitHub["setFiles"]>[0],
) {
  fake = new FakeGitHub();
  useMemoryGitHub(fake);
  fake.setFiles(files);
  return fake;
}

function patches() {
  return fake.requests.filter((r) => r.method === "PATCH" && r.template === RUN).map((r) => r.body);
}

/** The body of a PATCH that concludes a run whose review broke. */
function failedBody(conclusion: string, title: string, cause: string, concluded: string, requestId?: string) {
  return {
    status: "completed",
    conclusion,
    completed_at: FIXED_NOW.toISOString(),
    output: {
      title,
      summary: [
        "## Tollgate could not complete this review",
        "",
        cause,
        "",
        concluded,
        "",
        ...(requestId ? [`GitHub request id: \`${requestId}\``, ""] : []),
        "Use **Re-run** on this check (or push again) once the problem is fixed.",
      ].join("\n"),
    },
    actions: [{ label: "Re-run", description: "Review this pull request again", identifier: "rerun" }],
  };
}

function configErrorBody(
  conclusion: string,
  issues: Array<{ path: string; message: string }>,
  source: string,
) {
  return {
    status: "completed",
    conclusion,
    completed_at: FIXED_NOW.toISOString(),
    output: configErrorOutput(issues, source),
    actions: [{ label: "Re-run", description: "Review this pull request again", identifier: "rerun" }],
  };
}

/** After a broken review, the next push is reviewed normally: nothing stays wedged. */
async function laterReviewWorks() {
  const before = fake.checkRuns.length;
  fake.push("9999999999999999999999999999999999999999", [{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
  await testProbot().receive(pullRequestEvent("synchronize", fake, "d-later"));
  expect(fake.checkRuns).toHaveLength(before + 1);
  const run = fake.checkRuns.at(-1)!;
  expect(run.status).toBe("completed");
  expect(run.output.title).toMatch(/^3 new findings \(/);
}

function failPatches(times: number, status = 500) {
  const original = fake.handle.bind(fake);
  let left = times;
  fake.handle = (method, path, body, base) => {
    if (method === "PATCH" && path.includes("/check-runs/") && left > 0) {
      left--;
      fake.requests.push({
        method,
        template: RUN,
        path,
        query: new URLSearchParams(),
        body: typeof body === "string" && body !== "" ? JSON.parse(body) : body,
      });
      return {
        status,
        body: { message: "Server Error" },
        headers: { "content-type": "application/json", "x-github-request-id": `PATCH:${status}` },
      };
    }
    return original(method, path, body, base);
  };
}

describe("a configuration that cannot be loaded", () => {
  it("_extends naming a repository GitHub refuses concludes failure, naming the file and GitHub's answer", async () => {
    setUp();
    fake.config = "_extends: policies\n";
    fake.otherConfigs.set(`${OWNER}/policies`, {
      status: 403,
      message: "Resource not accessible by integration",
    });
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]!.status).toBe("completed");
    expect(patches()).toEqual([
      failedBody(
        "failure",
        "Review failed: could not load the configuration",
        `Could not load the configuration: reading ${OWNER}/policies:.github/tollgate.yml: GitHub answered 403: Resource not accessible by integration`,
        FAILS_CLOSED,
        "CONF:1",
      ),
    ]);
    expect(fake.reviews).toHaveLength(0);

    fake.otherConfigs.set(`${OWNER}/policies`, "fail-on: high\n");
    await laterReviewWorks();
  });

  it("honours on-error: neutral set in the repository's own file when its _extends cannot be read", async () => {
    setUp();
    fake.config = "on-error: neutral\n_extends: policies\n";
    fake.otherConfigs.set(`${OWNER}/policies`, { status: 500, message: "Server Error" });
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      failedBody(
        "neutral",
        "Review failed: could not load the configuration",
        `Could not load the configuration: reading ${OWNER}/policies:.github/tollgate.yml: GitHub answered 500: Server Error`,
        NEUTRAL,
        "CONF:1",
      ),
    ]);
  });

  it("_extends naming a missing (or uninstalled private) repository is an error, not silently no organisation settings", async () => {
    setUp();
    fake.config = "fail-on: critical\n_extends: gone\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      configErrorBody(
        "failure",
        [
          {
            path: "_extends",
            message: `${OWNER}/gone:.github/tollgate.yml does not exist or this app cannot read it (install the app on that repository)`,
          },
        ],
        SOURCE,
      ),
    ]);
    // Without the check, fail-on: critical would have passed these findings.
    expect(fake.reviews).toHaveLength(0);
  });

  it("an _extends loop honours the repository's on-error: neutral", async () => {
    setUp();
    fake.config = "on-error: neutral\n_extends: .github\n";
    fake.otherConfigs.set(`${OWNER}/.github`, `_extends: ${REPO}\n`);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const [body] = patches();
    expect(patches()).toHaveLength(1);
    expect(body.conclusion).toBe("neutral");
    expect(body.output.title).toBe("Invalid configuration: 1 problem");
    expect(body.output.summary).toContain("Recursion detected");
  });

  it.each([
    ["a number", "42\n"],
    ["a boolean", "true\n"],
  ])("a file that is %s is invalid, not the defaults", async (_what, text) => {
    setUp();
    fake.config = text;
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      configErrorBody("failure", [{ path: "", message: `${SOURCE} is not a mapping of settings` }], SOURCE),
    ]);
  });

  it("YAML that cannot be parsed concludes failure even when it meant to say neutral", async () => {
    setUp();
    fake.config = "on-error: neutral\nfail-on: [high\n";
    await testProbot().receive(pullRequestEvent("opened", fake));
    const [body] = patches();
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toContain("(invalid YAML)");
    await laterReviewWorksAfterFixingConfig();
  });
});

async function laterReviewWorksAfterFixingConfig() {
  fake.config = "fail-on: high\n";
  await laterReviewWorks();
}

describe("a configuration the schema accepts but the engine cannot use", () => {
  const hugeGlob = `paths:\n  ignore:\n    - "${"a".repeat(70_000)}"\n`;

  it("concludes with on-error and says why, whichever layer refuses it", async () => {
    setUp();
    fake.config = hugeGlob;
    await testProbot().receive(pullRequestEvent("opened", fake));
    const [body] = patches();
    expect(patches()).toHaveLength(1);
    expect(body.conclusion).toBe("failure");
    // The engine refuses the glob today; a schema bound on globs would refuse it earlier, which is as good.
    if (body.output.title === "Review failed: the review engine failed")
      expect(body).toEqual(
        failedBody(
          "failure",
          body.output.title,
          "The review engine failed: pattern is too long",
          FAILS_CLOSED,
        ),
      );
    else expect(body.output.title).toMatch(/^Invalid configuration/);
    await laterReviewWorksAfterFixingConfig();
  });

  it("with on-error: neutral, concludes neutral", async () => {
    setUp();
    fake.config = `on-error: neutral\n${hugeGlob}`;
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches().map((b) => b.conclusion)).toEqual(["neutral"]);
  });
});

describe("the engine, the rule catalogue, the commands or the reporters throwing", () => {
  it("an engine error becomes one scrubbed line: no secret, no stack, no control character", async () => {
    setUp();
    failOnce.runReview = async () =>
      Promise.reject(new Error(`cannot read line 3:\n  token: ${TOKEN}\u202e\n    at evil (/srv/x.js:1:1)`));
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      failedBody(
        "failure",
        "Review failed: the review engine failed",
        "The review engine failed: cannot read line 3: token: ghp_…(40 chars) at evil (/srv/x.js:1:1)",
        FAILS_CLOSED,
      ),
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
    await laterReviewWorks();
  });

  it("a very long error message is cut to one bounded line", async () => {
    setUp();
    failOnce.runReview = async () => Promise.reject(new Error("x".repeat(5000)));
    await testProbot().receive(pullRequestEvent("opened", fake));
    const [body] = patches();
    const cause = body.output.summary.split("\n")[2];
    expect(cause).toBe(`The review engine failed: ${"x".repeat(299)}…`);
  });

  it("a rule catalogue failure concludes failure, or the on-error: neutral of the repository's file", async () => {
    setUp();
    failOnce.ruleCatalog = () => {
      throw new RuleCatalogError("duplicate rule id docker/runs-as-root");
    };
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      failedBody(
        "failure",
        "Review failed: could not load the rule catalogue",
        "Could not load the rule catalogue: duplicate rule id docker/runs-as-root",
        FAILS_CLOSED,
      ),
    ]);

    setUp();
    fake.config = "on-error: neutral\n";
    failOnce.ruleCatalog = () => {
      throw new RuleCatalogError("duplicate rule id docker/runs-as-root");
    };
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches().map((b) => [b.conclusion, b.output.title])).toEqual([
      ["neutral", "Review failed: could not load the rule catalogue"],
    ]);
    await laterReviewWorks();
  });

  it("the /tollgate commands failing to load concludes with on-error", async () => {
    setUp();
    const probot = testProbot({
      loadSuppressions: async () => {
        throw new Error("comments unavailable");
      },
    });
    await probot.receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      failedBody(
        "failure",
        "Review failed: could not read the /tollgate commands",
        "Could not read the /tollgate commands: comments unavailable",
        FAILS_CLOSED,
      ),
    ]);
  });

  it("a reporter failing after a failing verdict keeps failure, even with on-error: neutral", async () => {
    setUp();
    fake.config = "on-error: neutral\nfail-on: low\n";
    failOnce.checkRunOutput = () => {
      throw new RangeError("Invalid string length");
    };
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches()).toEqual([
      failedBody(
        "failure",
        "Review failed: could not build the report",
        "Could not build the report: Invalid string length",
        VERDICT_STANDS,
      ),
    ]);
  });

  it("a reporter failing after a passing verdict concludes with on-error, not success", async () => {
    setUp([README]);
    failOnce.checkRunOutput = () => {
      throw new RangeError("Invalid string length");
    };
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches().map((b) => [b.conclusion, b.output.title])).toEqual([
      ["failure", "Review failed: could not build the report"],
    ]);
  });
});

describe("GitHub failing while the result is posted", () => {
  it("the verdict write failing concludes with on-error and says so", async () => {
    setUp([README]);
    failPatches(1);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const [verdict, concluded] = patches();
    expect(patches()).toHaveLength(2);
    expect(verdict.conclusion).toBe("success");
    expect(concluded).toEqual(
      failedBody(
        "failure",
        "Review failed: could not post the result",
        "Could not post the result: GitHub answered 500: Server Error",
        FAILS_CLOSED,
        "PATCH:500",
      ),
    );
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("never turns a failing verdict into neutral", async () => {
    setUp();
    fake.config = "on-error: neutral\nfail-on: low\n";
    failPatches(1);
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(patches().at(-1)).toEqual(
      failedBody(
        "failure",
        "Review failed: could not post the result",
        "Could not post the result: GitHub answered 500: Server Error",
        VERDICT_STANDS,
        "PATCH:500",
      ),
    );
  });

  it("an annotation batch failing after the verdict was written keeps the failing verdict", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `EXPOSE 22\nRUN chmod 777 /d${i}`).join("\n");
    setUp([{ path: "Dockerfile", head: `FROM node:20\nUSER node\n${lines}\n` }]);
    fake.config = "on-error: neutral\nfail-on: low\n";
    const original = fake.handle.bind(fake);
    let seen = 0;
    fake.handle = (method, path, body, base) => {
      if (method === "PATCH" && path.includes("/check-runs/") && ++seen === 2)
        return {
          status: 502,
          body: { message: "Bad Gateway" },
          headers: { "content-type": "application/json" },
        };
      return original(method, path, body, base);
    };
    await testProbot().receive(pullRequestEvent("opened", fake));
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.checkRuns[0]!.output.title).toBe("Review failed: could not post the result");
  });

  it("the failure's own conclusion is retried once when GitHub refuses it", async () => {
    setUp();
    const original = fake.handle.bind(fake);
    fake.handle = (method, path, body, base) =>
      path.includes("/files")
        ? { status: 500, body: { message: "boom" }, headers: { "content-type": "application/json" } }
        : original(method, path, body, base);
    failPatches(1, 502);
    await testProbot().receive(pullRequestEvent("opened", fake));
    const expected = failedBody(
      "failure",
      "Review failed: could not list the changed files",
      "Could not list the changed files: GitHub answered 500: boom",
      FAILS_CLOSED,
    );
    expect(patches()).toEqual([expected, expected]);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });
});

/** One review called directly, with a log that records what it is told. */
async function reviewDirectly(target: { headSha?: string } = {}) {
  const records: Array<{ level: string; fields: any; message: string }> = [];
  const log: any = {
    child: () => log,
    info: (fields: any, message: string) => records.push({ level: "info", fields, message }),
    warn: (fields: any, message: string) => records.push({ level: "warn", fields, message }),
    error: (fields: any, message: string) => records.push({ level: "error", fields, message }),
    debug: () => {},
  };
  const deps = createReviewDeps({
    log,
    now: () => FIXED_NOW,
    advisories: () => undefined,
    loadSuppressions: async () => ({ suppressions: [], notes: [] }),
    steps,
  });
  const ctx = new PullRequestContext(new MemoryGitHub(fake, { owner: OWNER, repo: REPO }), 2, deps);
  const outcome = await reviewPullRequest(ctx, { reason: "rerequested", ...target });
  return { outcome, records, problems: records.filter((r) => r.level !== "info") };
}

describe("when the conclusion cannot be written at all", () => {
  it("retries once, logs both attempts, and reports the review as failed", async () => {
    setUp();
    fake.config = "fail-on: low\n";
    failPatches(100);
    const { outcome, problems } = await reviewDirectly();
    // The verdict write, then the failure's conclusion and its one retry.
    expect(patches().map((b) => b.conclusion)).toEqual(["failure", "failure", "failure"]);
    expect(outcome).toMatchObject({ kind: "failed", message: "GitHub answered 500: Server Error" });
    expect(problems.map((r) => [r.level, r.message])).toEqual([
      ["error", "review failed"],
      ["warn", "could not conclude the check run; retrying once"],
      ["error", "could not conclude the check run: it stays in progress until a later event takes it over"],
    ]);
  });

  it("a superseded run whose conclusion fails is retried once, and the current head is still reviewed", async () => {
    setUp();
    failPatches(1);
    const old = "8888888888888888888888888888888888888888";
    const { outcome } = await reviewDirectly({ headSha: old });
    expect(outcome).toMatchObject({ kind: "superseded", by: fake.headSha });
    expect(
      patches()
        .slice(0, 2)
        .map((b) => b.conclusion),
    ).toEqual(["neutral", "neutral"]);
    const onOld = fake.checkRuns.find((r) => r.head_sha === old)!;
    expect(onOld).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(onOld.output.title).toBe(`Superseded by ${fake.headSha.slice(0, 12)}`);
    expect(fake.checkRuns.find((r) => r.head_sha === fake.headSha)).toMatchObject({ status: "completed" });
  });
});

describe("the logs", () => {
  it("get the step, the scrubbed reason and the stack frames, never the secret the message quoted", async () => {
    setUp();
    failOnce.runReview = async () => Promise.reject(new Error(`bad value ${TOKEN}`));
    const { problems } = await reviewDirectly();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.fields).toMatchObject({
      stage: "engine",
      reason: "bad value ghp_…(40 chars)",
      conclusion: "failure",
      err: { type: "Error", message: "bad value ghp_…(40 chars)" },
    });
    expect(problems[0]!.fields.err.stack).toMatch(/^ {4}at /);
    expect(JSON.stringify(problems)).not.toContain(TOKEN);
  });
});
