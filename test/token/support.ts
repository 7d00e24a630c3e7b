import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TokenClientOptions, tokenOctokit } from "../../src/token/octokit.js";
import { FakeGitHub } from "../app/support/fake-github.js";

/** The pull request the issue names: acme/shop#42, served by the GitHub stand-in on a GHES-style base. */
export const API = "https://ghes.test/api/v3";
export const TOKEN = "ghs_tokenmodeTEST0123456789abcdefghijklmn";

export const BAD_DOCKERFILE =
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';

export function shop(options: ConstructorParameters<typeof FakeGitHub>[0] = {}): FakeGitHub {
  const fake = new FakeGitHub({ owner: "acme", repo: "shop", number: 42, ...options });
  fake.actor = { login: "github-actions[bot]", type: "Bot" };
  return fake.setFiles([{ path: "Dockerfile", head: BAD_DOCKERFILE }]);
}

/** The token client as the command builds it, minus retries and the throttle's pacing (real seconds). */
export const client = (o: TokenClientOptions) => tokenOctokit({ ...o, retries: 0, throttle: false });

export function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (s: string) => void out.push(s),
      stderr: (s: string) => void err.push(s),
      cwd: process.cwd(),
      env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: API, ...env },
      isTTY: false,
    },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

/** A `pull_request` event file as the runner writes it to GITHUB_EVENT_PATH. */
export function eventFile(fake: FakeGitHub): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-event-"));
  const path = join(dir, "event.json");
  writeFileSync(
    path,
    JSON.stringify({
      action: "synchronize",
      number: fake.pull.number,
      pull_request: {
        number: fake.pull.number,
        head: { sha: fake.headSha },
        base: { sha: fake.pull.base.sha },
      },
      repository: { name: fake.repo, owner: { login: fake.owner } },
    }),
  );
  return path;
}
