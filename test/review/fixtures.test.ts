import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { runReview } from "../../src/review/engine.js";
import { memoryChangeSet } from "../../src/review/memory.js";
import { FAKES } from "../support/fakes.js";
import { config, reviewFiles } from "../support/review.js";

// Plain HTTP piped to a shell: high, so it would fail the check at the default fail-on.
const BAD_DOCKERFILE = "FROM debian:12.5\nRUN curl http://get.example.com/install.sh | sh\nUSER app\n";

describe("test-fixture paths are reviewed but do not fail the check", () => {
  it("a Dockerfile under test/fixtures/ is reported, marked, and the check passes with a note", async () => {
    const review = await reviewFiles([{ path: "test/fixtures/positive.dockerfile", head: BAD_DOCKERFILE }]);
    expect(review.findings.map((f) => [f.ruleId, f.severity, f.line, f.fixture])).toEqual([
      ["docker/remote-script-pipe-to-shell", "high", 2, true],
    ]);
    expect(review.verdict).toMatchObject({ conclusion: "success", blocking: 0, counts: { high: 1 } });
    expect(review.errors.map((n) => n.message)).toContain(
      "1 finding is in test-fixture paths (paths.fixtures): reported, but it does not fail the check (1 would have).",
    );
    expect(JSON.parse(renderJson(review)).findings[0]).toMatchObject({ fixture: true });
  });

  it("every default directory counts, at any depth; examples/ and samples/ do not", async () => {
    const paths = [
      "tests/Dockerfile",
      "pkg/testdata/Dockerfile",
      "a/b/__fixtures__/Dockerfile",
      "examples/Dockerfile",
      "samples/web/Dockerfile",
      "latest/Dockerfile",
    ];
    const review = await reviewFiles(paths.map((path) => ({ path, head: BAD_DOCKERFILE })));
    expect(review.findings.map((f) => [f.path, Boolean(f.fixture)])).toEqual([
      ["a/b/__fixtures__/Dockerfile", true],
      ["examples/Dockerfile", false],
      ["latest/Dockerfile", false],
      ["pkg/testdata/Dockerfile", true],
      ["samples/web/Dockerfile", false],
      ["tests/Dockerfile", true],
    ]);
    expect(review.verdict).toMatchObject({ conclusion: "failure", blocking: 3 });
  });

  it("a secret in a test path still counts (by the secrets family's own test-paths policy)", async () => {
    const review = await reviewFiles([
      { path: "test/fixtures/app.env", head: `TOKEN=${FAKES["github-token"]!("x")}\n` },
    ]);
    expect(review.findings.map((f) => [f.ruleId, f.fixture])).toEqual([["secrets/github-token", undefined]]);
  });

  it("paths.fixtures: [] turns it off, and a repository can name its own", async () => {
    const off = await reviewFiles([{ path: "test/Dockerfile", head: BAD_DOCKERFILE }], {
      config: config({ paths: { fixtures: [] } }),
    });
    expect(off.verdict.conclusion).toBe("failure");
    const own = await reviewFiles(
      [
        { path: "qa/Dockerfile", head: BAD_DOCKERFILE },
        { path: "test/Dockerfile", head: BAD_DOCKERFILE },
      ],
      { config: config({ paths: { fixtures: ["qa/**"] } }) },
    );
    expect(own.findings.map((f) => [f.path, Boolean(f.fixture)])).toEqual([
      ["qa/Dockerfile", true],
      ["test/Dockerfile", false],
    ]);
  });

  it("scan checks the paths it is given in full", async () => {
    const review = await runReview(
      memoryChangeSet([{ path: "test/fixtures/Dockerfile", head: BAD_DOCKERFILE }]),
      {
        mode: "scan",
      },
    );
    expect(review.findings.map((f) => f.fixture)).toEqual([undefined]);
    expect(review.verdict.conclusion).toBe("failure");
  });
});
