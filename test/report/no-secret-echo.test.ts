// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders like ${VAR} are the test data here
import { describe, expect, it } from "vitest";
import { annotationsFor, checkRunOutput } from "../../src/report/check-run.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { commentBody } from "../../src/report/review-comments.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import type { Review } from "../../src/review/types.js";
import { leakyChange, SCENARIO_SECRETS } from "../checks/secrets/scenario.js";
import { FAKES } from "../support/fakes.js";
import { reviewFiles } from "../support/review.js";

/**
 * "Never echo a secret": whatever Tollgate prints — text, JSON, SARIF, the
 * Markdown summary, check run output and annotations, review comments — shows
 * a secret only as its first four characters and its length.
 */

const { ghToken, awsId, awsSecret, sshKey, password } = SCENARIO_SECRETS;
const keyBodyLine = sshKey.split("\n")[2]!;
const SECRETS = { ghToken, awsId, awsSecret, password, keyBodyLine };

function outputs(review: Review): Record<string, string> {
  return {
    text: renderText(review),
    json: renderJson(review),
    sarif: renderSarif(review),
    markdown: renderMarkdown(review),
    checkRun: JSON.stringify(checkRunOutput(review)),
    annotations: JSON.stringify(annotationsFor(review)),
    comments: review.findings.map((f) => commentBody(f)).join("\n"),
  };
}

/** The secret, or any 12-character piece of it after the shown prefix, must not appear. */
function leaks(output: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 4; i + 12 <= secret.length; i += 4) {
    const piece = secret.slice(i, i + 12);
    if (output.includes(piece)) found.push(piece);
  }
  return found;
}

describe("no output format contains a secret", () => {
  it("reports every secret of the scenario, redacted, in every format", async () => {
    const review = await reviewFiles(leakyChange());
    expect(review.findings).toHaveLength(5);
    for (const [format, text] of Object.entries(outputs(review))) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        expect({ format, name, leaks: leaks(text, secret) }).toEqual({ format, name, leaks: [] });
      }
    }
    expect(outputs(review).text).toContain(`${ghToken.slice(0, 4)}…(40 chars)`);
    expect(outputs(review).sarif).toContain(`${awsId.slice(0, 4)}…(20 chars)`);
  });

  it("not even through other families' findings and notes on the same lines", async () => {
    const token = FAKES["github-token"]!("other-families");
    const review = await reviewFiles([
      { path: "Dockerfile", head: `FROM node:20\nENV GITHUB_TOKEN=${token}\nARG NPM_TOKEN=${token}\n` },
      {
        path: ".github/workflows/ci.yml",
        head: `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      credentials:\n        username: bot\n        password: ${token}\n    steps:\n      - run: echo\n        env:\n          TOKEN: ${token}\n`,
      },
      // Broken YAML: a parser's error message must not quote the secret on the line back.
      { path: ".github/workflows/broken.yml", head: `on: push\njobs:\n  a: [\n    token: ${token}\n` },
      { path: "package.json", head: `{\n  "name": "x",\n  "config": { "token": "${token}" },\n` },
    ]);
    expect(review.findings.some((f) => f.ruleId === "secrets/github-token")).toBe(true);
    for (const [format, text] of Object.entries(outputs(review))) {
      expect({ format, leaks: leaks(text, token) }).toEqual({ format, leaks: [] });
    }
  });

  it("not even when another family's message quotes the command or URL that holds it", async () => {
    const token = FAKES["github-token"]!("quoted");
    const password = FAKES["random-password"]!("quoted-password");
    const review = await reviewFiles([
      {
        path: ".github/workflows/install.yml",
        head: `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL "https://x.corp.example/i.sh?token=${token}" | sh\n      - uses: docker://bot:${password}@registry.corp.example/tool:1\n`,
      },
      {
        path: "Dockerfile",
        head: `FROM alpine:3.20\nADD https://deploy:${password}@artifacts.corp.example/a.tgz /a.tgz\nUSER 10001\n`,
      },
    ]);
    const rules = new Set(review.findings.map((f) => f.ruleId));
    expect(rules).toContain("actions/remote-script-pipe-to-shell");
    expect(rules).toContain("docker/add-remote-url");
    for (const [format, text] of Object.entries(outputs(review))) {
      for (const [name, secret] of Object.entries({ token, password })) {
        expect({ format, name, leaks: leaks(text, secret) }).toEqual({ format, name, leaks: [] });
      }
    }
  });
});
