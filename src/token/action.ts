import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderFormat } from "../report/formats.js";
import { renderMarkdown } from "../report/markdown.js";
import { visible } from "../report/visible.js";
import type { Review } from "../review/types.js";
import { atOrAbove } from "../review/verdict.js";
import { type ErrorContext, explainError, redact } from "./errors.js";
import { describePosting } from "./posting-text.js";
import { reviewWithToken, type TokenReviewOptions, type TokenReviewResult } from "./review.js";
import { GITHUB_API } from "./target.js";

/**
 * The GitHub Action (action.yml): the workflow's pull request, named by its
 * event payload, reviewed by the app's flow with the workflow token. It
 * never checks out or runs the pull request's code: it reads the change
 * through the API, like the app. The job summary is always written; the
 * check run and review are posted when the token may, and a token that may
 * not (a fork's pull request) costs the posting, never the job.
 */

export interface ActionIo {
  stdout: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** `with:` inputs arrive as INPUT_<NAME> (upper case, spaces as `_`). */
function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.toUpperCase()}`] ?? "").trim();
}

const flag = (value: string, fallback: boolean) => (value === "" ? fallback : value.toLowerCase() === "true");

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** A workflow command (the runner's annotations), with `%`, CR and LF encoded, and `:` and `,` in properties. */
function command(
  name: "error" | "warning" | "notice",
  message: string,
  props: Record<string, string> = {},
): string {
  const list = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(v)}`);
  return `::${name}${list.length > 0 ? ` ${list.join(",")}` : ""}::${escapeData(message)}\n`;
}

/** The runner shows at most this many annotations of a kind per step; more only fill the log. */
const MAX_ANNOTATIONS = 50;

/**
 * When no check run carries the findings (a fork's read-only token, a commit
 * status instead), the workflow's own annotations put them on the pull
 * request's diff: `error` for what fails the review, `warning` for the rest.
 */
function annotate(review: Review, io: ActionIo): void {
  for (const f of review.findings.slice(0, MAX_ANNOTATIONS)) {
    const blocks = !f.fixture && atOrAbove(f.severity, review.verdict.failOn);
    io.stdout(
      command(blocks ? "error" : "warning", visible(f.message), {
        file: f.path,
        line: String(f.line),
        ...(f.endLine !== undefined ? { endLine: String(f.endLine) } : {}),
        title: `[${f.severity}] ${f.ruleId}`,
      }),
    );
  }
}

interface PullEvent {
  pull_request?: { number?: number };
  repository?: { name?: string; owner?: { login?: string } };
}

function readEvent(env: NodeJS.ProcessEnv): PullEvent {
  const path = env.GITHUB_EVENT_PATH;
  if (!path)
    throw new ActionError(
      "GITHUB_EVENT_PATH is not set: run Tollgate as a step of a GitHub Actions workflow",
    );
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PullEvent;
  } catch {
    throw new ActionError(`cannot read the event payload at ${path}`);
  }
}

class ActionError extends Error {}

export async function runAction(
  io: ActionIo,
  seams: Pick<TokenReviewOptions, "client"> = {},
): Promise<number> {
  const { env } = io;
  const token = input(env, "token") || env.GITHUB_TOKEN || "";
  let context: ErrorContext | undefined;
  try {
    const event = readEvent(env);
    const number = event.pull_request?.number;
    if (!number) {
      io.stdout(
        command(
          "warning",
          `Tollgate reviews pull requests: this ${env.GITHUB_EVENT_NAME ?? "event"} has none. Run it on pull_request (or pull_request_target).`,
        ),
      );
      return 0;
    }
    const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
    const repoRef = {
      owner: event.repository?.owner?.login ?? owner,
      repo: event.repository?.name ?? repo,
    };
    const apiUrl = input(env, "api-url") || env.GITHUB_API_URL || GITHUB_API;
    if (!token)
      throw new ActionError(
        "no token: leave the token input at its default (the workflow token) or pass one",
      );
    context = { ...repoRef, pullNumber: number, apiUrl, token };
    const post = flag(input(env, "post"), true);
    const runUrl =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const warnings: string[] = [];
    const result = await reviewWithToken({
      repo: repoRef,
      pullNumber: number,
      token,
      apiUrl,
      post,
      offline: flag(input(env, "offline"), false),
      env,
      warn: (line) => warnings.push(line),
      ...(runUrl ? { targetUrl: runUrl } : {}),
      ...seams,
    });
    for (const w of warnings) io.stdout(`tollgate: ${w}\n`);
    return report(result, post, io, context);
  } catch (e) {
    const line =
      e instanceof ActionError
        ? redact(e.message, token)
        : context
          ? explainError(e, context)
          : redact(String(e), token);
    io.stdout(command("error", `tollgate: ${line}`));
    summary(env, `## Tollgate\n\nThe review could not run: ${line}\n`);
    return 2;
  }
}

function report(result: TokenReviewResult, post: boolean, io: ActionIo, context: ErrorContext): number {
  const { env } = io;
  const { outcome, review, posting } = result;
  const notes = describePosting(result, post);
  if (outcome.kind === "failed") {
    const why = posting.lastError
      ? explainError(posting.lastError, context)
      : redact(outcome.message, context.token);
    io.stdout(command("error", `tollgate: ${why}`));
    summary(env, `## Tollgate\n\nThe review could not finish: ${why}\n`);
    return 2;
  }
  for (const line of notes) io.stdout(`tollgate: ${line}\n`);
  if (!review) {
    // The head moved: the workflow run of the new head reviews it.
    summary(env, `## Tollgate\n\n${notes.join("\n\n")}\n`);
    return 0;
  }
  io.stdout(renderFormat("text", review, {}));
  // A check run (this one's, or the earlier run's when already reviewed) carries them; otherwise the log does.
  const carried = posting.verdictVia === "check-run" || outcome.kind === "skipped";
  if (!carried) annotate(review, io);
  writeSarif(review, io);
  writeOutputs(env, review);
  summary(env, `${renderMarkdown(review)}\n\n${notes.map((n) => `> ${n}`).join("\n>\n")}\n`);
  if (review.verdict.conclusion === "failure") {
    io.stdout(
      command(
        "error",
        `Tollgate: ${review.verdict.blocking} new finding(s) at or above ${review.verdict.failOn}${posting.verdictVia === "check-run" ? " (see the tollgate check run)" : ""}`,
      ),
    );
    return flag(input(env, "fail"), true) ? 1 : 0;
  }
  return 0;
}

function writeSarif(review: Review, io: ActionIo): void {
  const path = input(io.env, "sarif");
  if (!path) return;
  writeFileSync(resolve(io.env.GITHUB_WORKSPACE || io.cwd, path), renderFormat("sarif", review));
  io.stdout(`tollgate: wrote SARIF to ${path}\n`);
}

function writeOutputs(env: NodeJS.ProcessEnv, review: Review): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(
    env.GITHUB_OUTPUT,
    `conclusion=${review.verdict.conclusion}\nfindings=${review.findings.length}\nblocking=${review.verdict.blocking}\n`,
  );
}

/** The job summary: GITHUB_STEP_SUMMARY, appended to as the runner expects. */
function summary(env: NodeJS.ProcessEnv, markdown: string): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}
