import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/review/rules.js";
import { runAction } from "../../src/token/action.js";
import type { FakeGitHub } from "../app/support/fake-github.js";
import { intercept } from "../app/support/intercept.js";
import { API, client, eventFile, shop, TOKEN } from "./support.js";

const Ajv = AjvDraft04.default;
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

function workflow(inputs: Record<string, string> = {}) {
  const workspace = mkdtempSync(join(tmpdir(), "tollgate-action-"));
  const summary = join(workspace, "summary.md");
  const output = join(workspace, "output.txt");
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventFile(fake),
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_API_URL: API,
    GITHUB_SERVER_URL: "https://ghes.test",
    GITHUB_RUN_ID: "7",
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    INPUT_TOKEN: TOKEN,
    INPUT_POST: "true",
    INPUT_OFFLINE: "true",
    INPUT_FAIL: "true",
    INPUT_SARIF: "",
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  return {
    env,
    workspace,
    summary: () => readFileSync(summary, "utf8"),
    outputs: () => readFileSync(output, "utf8"),
  };
}

async function act(env: NodeJS.ProcessEnv) {
  let log = "";
  const code = await runAction(
    {
      stdout: (s) => {
        log += s;
      },
      env,
      cwd: env.GITHUB_WORKSPACE!,
    },
    { client },
  );
  expect(log).not.toContain(TOKEN);
  return { code, log };
}

describe("the GitHub Action on a pull_request event", () => {
  it("posts one concluded check run and one review, writes the job summary and SARIF; a re-run posts nothing new", async () => {
    const w = workflow({ sarif: "tollgate.sarif" });
    const first = await act(w.env);
    expect(first.code).toBe(1);
    expect(fake.writes().map((r) => `${r.method} ${r.template}`)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    ]);
    expect(fake.checkRuns[0]).toMatchObject({ name: "tollgate", status: "completed", conclusion: "failure" });
    expect(fake.reviews).toHaveLength(1);
    expect(first.log).toContain(
      "::error::Tollgate: 1 new finding(s) at or above high (see the tollgate check run)",
    );
    expect(w.summary()).toMatch(/^## Tollgate: 3 new findings/);
    expect(w.outputs()).toContain("conclusion=failure\nfindings=3\nblocking=1\n");
    const sarif = JSON.parse(readFileSync(join(w.workspace, "tollgate.sarif"), "utf8"));
    const validate = new Ajv({ strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(join(packageRoot(), "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8")),
    );
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);

    const writes = fake.writes().length;
    const again = await act(workflow().env);
    expect(again.code).toBe(1);
    expect(fake.writes()).toHaveLength(writes);
    expect(again.log).toContain("nothing new was posted");
    expect(again.log).not.toContain("::warning file=");
  });

  it("is safe on a fork's pull request: a read-only token prints, summarises and writes SARIF, and never fails for it", async () => {
    fake.refuse = new Set(["checks", "statuses", "reviews"]);
    // Findings below fail-on: the step's result is the review's, whatever the token may do.
    fake.setFiles([{ path: "Dockerfile", head: 'FROM node:latest\nCMD ["node", "server.js"]\n' }]);
    const w = workflow({ sarif: "out/../tollgate.sarif" });
    const { code, log } = await act(w.env);
    expect(code).toBe(0);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.statuses).toEqual([]);
    expect(fake.reviews).toEqual([]);
    expect(log).toContain("this token can write neither check runs nor commit statuses");
    expect(log).toContain("this token cannot post reviews (GitHub answered 403)");
    expect(log).not.toContain("::error::");
    // No check run carries them: the runner's annotations put the findings on the diff.
    expect(log).toContain("::warning file=Dockerfile,line=1,title=[medium] docker/runs-as-root::");
    expect(w.summary()).toContain("## Tollgate: 2 new findings");
    expect(w.summary()).toContain("no verdict was posted");
    expect(
      JSON.parse(readFileSync(join(w.workspace, "tollgate.sarif"), "utf8")).runs[0].results,
    ).toHaveLength(2);
  });

  it("post: false only prints and summarises", async () => {
    const w = workflow({ post: "false", fail: "false" });
    const { code } = await act(w.env);
    expect(code).toBe(0);
    expect(fake.writes()).toEqual([]);
    expect(w.summary()).toContain("## Tollgate: 3 new findings");
  });

  it("on an event without a pull request, says so and passes", async () => {
    const w = workflow();
    writeFileSync(w.env.GITHUB_EVENT_PATH!, JSON.stringify({ ref: "refs/heads/main" }));
    const { code, log } = await act({ ...w.env, GITHUB_EVENT_NAME: "push" });
    expect(code).toBe(0);
    expect(log).toContain("::warning::Tollgate reviews pull requests: this push has none");
    expect(fake.requests).toEqual([]);
  });

  it("a token GitHub refuses: one error line, exit 2, summary says why", async () => {
    nock.cleanAll();
    nock(API).persist().get(/.*/).reply(401, { message: "Bad credentials" });
    const w = workflow();
    const { code, log } = await act(w.env);
    expect(code).toBe(2);
    expect(log.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^::error::tollgate: GitHub refused the token \(401\)/),
    ]);
    expect(w.summary()).toContain("The review could not run: GitHub refused the token (401)");
  });
});

describe("the bundled entry point (action.yml runs.main)", () => {
  it("reviews the event's pull request over loopback as a runner would start it", async () => {
    const served = await fake.listen();
    try {
      const w = workflow({ sarif: "tollgate.sarif" });
      const env = { ...w.env, GITHUB_API_URL: `http://${served.host}/api/v3`, PATH: process.env.PATH };
      const child = spawn(process.execPath, [join(packageRoot(), "dist/cli/action.js")], {
        env,
        cwd: w.workspace,
      });
      let log = "";
      child.stdout.on("data", (d) => {
        log += d;
      });
      child.stderr.on("data", (d) => {
        log += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(log).not.toContain(TOKEN);
      expect(code, log).toBe(1);
      expect(fake.checkRuns).toHaveLength(1);
      expect(fake.checkRuns[0]!.conclusion).toBe("failure");
      expect(fake.reviews).toHaveLength(1);
      expect(w.summary()).toMatch(/^## Tollgate/);
    } finally {
      await served.close();
    }
  });
});
