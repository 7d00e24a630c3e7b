import { describe, expect, it } from "vitest";
import { article } from "../../../src/checks/secrets/added-lines.js";
import { hashSecret } from "../../../src/checks/secrets/scanner.js";
import { runReview } from "../../../src/review/engine.js";
import { fingerprintOf } from "../../../src/review/fingerprint.js";
import { memoryChangeSet } from "../../../src/review/memory.js";
import { FAKES } from "../../support/fakes.js";
import { config, reviewFiles, ruleLines } from "../../support/review.js";
import { leakyChange, SCENARIO_SECRETS } from "./scenario.js";

const { ghToken, awsId, awsSecret, sshKey, password } = SCENARIO_SECRETS;

describe("secrets in added lines — the issue's scenario", () => {
  it("reports each secret on its line with the right rule id, and nothing for placeholders", async () => {
    const review = await reviewFiles(leakyChange());
    const byFile = review.findings.map((f) => [f.path, f.line, f.ruleId]);
    expect(byFile).toEqual([
      [".env", 2, "secrets/database-connection-string"],
      ["config/github.yml", 3, "secrets/github-token"],
      ["deploy/id_ed25519", 1, "secrets/private-key"],
      ["scripts/upload.py", 4, "secrets/aws-access-key"],
      ["scripts/upload.py", 5, "secrets/aws-secret-key"],
    ]);
    expect(review.verdict.conclusion).toBe("failure");
  });

  it("spans the whole private key block and points at the token's column", async () => {
    const review = await reviewFiles(leakyChange());
    const key = review.findings.find((f) => f.ruleId === "secrets/private-key")!;
    expect(key.endLine).toBe(sshKey.split("\n").length);
    const token = review.findings.find((f) => f.ruleId === "secrets/github-token")!;
    expect(token.column).toBe("  token: ".length + 1);
  });

  it("never puts a secret in a message or evidence, only its first 4 characters and length", async () => {
    const review = await reviewFiles(leakyChange());
    const token = review.findings.find((f) => f.ruleId === "secrets/github-token")!;
    expect(token.evidence).toBe(`${ghToken.slice(0, 4)}…(40 chars)`);
    expect(token.message).toBe(
      `Adds a GitHub personal access token (classic) (${ghToken.slice(0, 4)}…(40 chars)). Anyone who can read the repository can use it: revoke and rotate it, then load it from a secret store.`,
    );
    const text = JSON.stringify(review);
    for (const secret of [ghToken, awsId, awsSecret, password, sshKey.split("\n")[1]!]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(4, 16));
    }
  });
});

describe("messages", () => {
  it.each([
    ["npm access token", "an"],
    ["RSA private key", "an"],
    ["OPENSSH private key", "an"],
    ["AWS access key id", "an"],
    ["EC private key", "an"],
    ["GitHub personal access token (classic)", "a"],
    ["SendGrid API key", "a"],
    ["HashiCorp Vault service token", "a"],
    ["PGP private key", "a"],
    ["JSON Web Token", "a"],
  ])("%s takes %s", (label, expected) => {
    expect(article(label)).toBe(expected);
  });

  it("name the kind of credential, redacted, for a private key", async () => {
    const review = await reviewFiles([{ path: "keys/deploy.pem", head: `${FAKES["rsa-private-key"]!()}\n` }]);
    expect(review.findings[0]!.message).toMatch(/^Adds an RSA private key \(MIIE…\(\d+ chars\)\)\. /);
  });
});

describe("diff-awareness", () => {
  it("reports only added lines, not secrets already at base", async () => {
    const base = `A=1\nTOKEN=${ghToken}\n`;
    const review = await reviewFiles([
      { path: "app.env", base, head: `${base}NPM=${FAKES["npm-token"]!()}\n` },
    ]);
    expect(ruleLines(review)).toEqual([["secrets/npm-token", 3]]);
  });

  it("does not report a secret moved within the file, and reports a rotated one", async () => {
    const base = `TOKEN=${ghToken}\nA=1\nB=2\nC=3\nD=4\n`;
    const moved = await reviewFiles([
      { path: "app.env", base, head: `A=1\nB=2\nC=3\nD=4\nTOKEN=${ghToken}\n` },
    ]);
    expect(moved.findings).toEqual([]);
    const rotated = FAKES["github-token"]!("rotated");
    const review = await reviewFiles([
      { path: "app.env", base, head: `A=1\nB=2\nC=3\nD=4\nTOKEN=${rotated}\n` },
    ]);
    expect(ruleLines(review)).toEqual([["secrets/github-token", 5]]);
  });

  it("a second copy of a secret the file already had is new", async () => {
    const base = `TOKEN=${ghToken}\n`;
    const review = await reviewFiles([{ path: "app.env", base, head: `${base}COPY=${ghToken}\n` }]);
    expect(ruleLines(review)).toEqual([["secrets/github-token", 2]]);
  });

  it("scan mode treats every line as added", async () => {
    const head = `TOKEN=${ghToken}\n`;
    // The CLI's scan hands the engine files without a patch.
    const changeSet = memoryChangeSet([{ path: "app.env", base: head, head }]);
    delete changeSet.files[0]!.patch;
    expect(ruleLines(await runReview(changeSet, { mode: "diff" }))).toEqual([]);
    expect(ruleLines(await runReview(changeSet, { mode: "scan" }))).toEqual([["secrets/github-token", 1]]);
  });
});

describe("fingerprints", () => {
  const fingerprint = async (path: string, head: string) =>
    (await reviewFiles([{ path, head }])).findings.map((f) => [f.fingerprint, f.anchor]);

  it("anchor on the hash of the secret, never the secret itself", async () => {
    const [[print, anchor]] = (await fingerprint("a.env", `TOKEN=${ghToken}\n`)) as [[string, string]];
    // The fingerprint is computed from the hash; the anchor the review hands out is scrubbed like every string.
    expect(print).toBe(fingerprintOf("secrets/github-token", "a.env", `secret:${hashSecret(ghToken)}`));
    expect(anchor).not.toContain(ghToken);
  });

  it("stay the same when the secret moves to another line, and change when it is rotated", async () => {
    const first = await fingerprint("a.env", `TOKEN=${ghToken}\n`);
    const moved = await fingerprint("a.env", `# a comment\n\nX_TOKEN = "${ghToken}"\n`);
    const rotated = await fingerprint("a.env", `TOKEN=${FAKES["github-token"]!("rotated")}\n`);
    expect(moved).toEqual(first);
    expect(rotated[0]![0]).not.toBe(first[0]![0]);
  });
});

describe("test paths", () => {
  const head = `TOKEN=${ghToken}\n`;
  const severities = async (path: string, testPaths?: "lower" | "keep" | "ignore") =>
    (
      await reviewFiles(
        [{ path, head }],
        testPaths ? { config: config({ secrets: { "test-paths": testPaths } }) } : {},
      )
    ).findings.map((f) => f.severity);

  it("lower the severity one step by default", async () => {
    expect(await severities("src/app.env")).toEqual(["critical"]);
    for (const path of [
      "test/app.env",
      "pkg/tests/app.env",
      "src/__tests__/app.ts",
      "fixtures/app.env",
      "src/app.test.ts",
      "src/app.spec.js",
      "internal/app_test.go",
    ]) {
      expect([path, await severities(path)]).toEqual([path, ["high"]]);
    }
  });

  it("match whole path segments only", async () => {
    expect(await severities("src/latest.py")).toEqual(["critical"]);
    expect(await severities("src/attestation.env")).toEqual(["critical"]);
    expect(await severities("contest/app.env")).toEqual(["critical"]);
  });

  it("say so in the message", async () => {
    const review = await reviewFiles([{ path: "test/app.env", head }]);
    expect(review.findings[0]!.message).toContain("in a test path");
  });

  it("keep or ignore as configured", async () => {
    expect(await severities("test/app.env", "keep")).toEqual(["critical"]);
    expect(await severities("test/app.env", "ignore")).toEqual([]);
  });

  it("a configured rule severity still wins", async () => {
    const review = await reviewFiles([{ path: "test/app.env", head }], {
      config: config({ rules: { "secrets/github-token": "low" } }),
    });
    expect(review.findings.map((f) => f.severity)).toEqual(["low"]);
  });
});

describe("any text file, whatever its family", () => {
  it("scans Dockerfiles, workflows, notebooks and lockfiles alike", async () => {
    const review = await reviewFiles([
      { path: "Dockerfile", head: `FROM alpine:3.20\nENV GH=${ghToken}\nUSER app\n` },
      {
        path: ".github/workflows/ci.yml",
        head: `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        env:\n          T: ${ghToken}\n`,
      },
      { path: "analysis.ipynb", head: `{"cells": [{"source": ["token = '${ghToken}'"]}]}\n` },
      {
        path: "package-lock.json",
        head: [
          "{",
          '  "packages": {',
          '    "node_modules/left-pad": {',
          `      "resolved": "https://ci:${password}@npm.internal/left-pad/-/left-pad-1.3.0.tgz",`,
          // A hash that happens to contain an access-key-shaped run after a "/": public by design.
          `      "integrity": "sha512-${FAKES["aws-secret-key"]!("integrity")}${FAKES["aws-secret-key"]!("i2").slice(0, 26)}/${awsId}=="`,
          "    }",
          "  }",
          "}",
          "",
        ].join("\n"),
      },
    ]);
    const secrets = review.findings
      .filter((f) => f.ruleId.startsWith("secrets/"))
      .map((f) => [f.path, f.line]);
    expect(secrets).toEqual([
      [".github/workflows/ci.yml", 8],
      ["Dockerfile", 2],
      ["analysis.ipynb", 1],
      ["package-lock.json", 4],
    ]);
  });

  it("skips binary files", async () => {
    const review = await reviewFiles([{ path: "logo.png", head: `\u0000PNG${ghToken}` }]);
    expect(review.findings.filter((f) => f.ruleId.startsWith("secrets/"))).toEqual([]);
  });

  it("an inline suppression with a reason silences the finding", async () => {
    const review = await reviewFiles([
      {
        path: "app.env",
        head: `# tollgate:ignore secrets/github-token -- revoked on 2026-11-01, kept as a test vector\nTOKEN=${ghToken}\n`,
      },
    ]);
    expect(review.findings.map((f) => f.ruleId)).toEqual(["meta/suppression-added"]);
    expect(review.suppressed.map((f) => f.ruleId)).toEqual(["secrets/github-token"]);
  });
});

describe("limits", () => {
  it("reports at most 100 secrets per file and says so", async () => {
    const head = Array.from({ length: 120 }, (_, i) => `T${i}=${FAKES["github-token"]!(`many-${i}`)}`).join(
      "\n",
    );
    const review = await reviewFiles([{ path: "dump.env", head }]);
    expect(review.findings).toHaveLength(100);
    expect(review.errors.map((e) => e.message)).toContain(
      "more than 100 secrets added in this file: only the first 100 are reported",
    );
  });
});
