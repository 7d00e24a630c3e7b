import { appendFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { FORMATS, type Format, isFormat, renderFormat } from "../report/formats.js";
import { type ErrorContext, explainError, redact } from "./errors.js";
import { describePosting } from "./posting-text.js";
import { reviewWithToken, type TokenReviewOptions, type TokenReviewResult } from "./review.js";
import { GITHUB_API, parseTarget, TargetError } from "./target.js";

/**
 * `tollgate pr OWNER/REPO#N [--post]`: a pull request on GitHub reviewed with
 * a token, by the app's flow (review.ts). Without `--post` nothing is written.
 * Exit codes as `tollgate review`: 0, 1 (findings at or above fail-on), 2
 * (anything else, in one line that says what to do).
 */

export const PR_HELP = `Usage: tollgate pr OWNER/REPO#NUMBER [options]
       tollgate pr https://github.com/OWNER/REPO/pull/NUMBER [options]

Reviews a pull request on GitHub exactly as the Tollgate GitHub App does
(configuration from the default branch, /tollgate ignore commands included),
with the token in GITHUB_TOKEN or GH_TOKEN. Nothing is checked out or run.

  --post             post what the app posts: the \`tollgate\` check run (or,
                     when the token cannot create check runs, a \`tollgate\`
                     commit status) and one review with inline comments.
                     A head already reviewed gets nothing new.
  --api-url URL      the REST API (default: for a GitHub Enterprise Server
                     pull request URL, its host + /api/v3; else GITHUB_API_URL;
                     else https://api.github.com)
  --format FORMAT    ${FORMATS.join(", ")} (default text)
  --output FILE      write the report to FILE instead of standard output
  --offline          do not query the vulnerability database
  --no-color         plain text output
  -h, --help         this help
`;

export interface PrIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

class UsageError extends Error {}

function options(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      post: { type: "boolean" },
      "api-url": { type: "string" },
      format: { type: "string" },
      output: { type: "string" },
      offline: { type: "boolean" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

export async function prCommand(
  args: string[],
  io: PrIo,
  seams: Pick<TokenReviewOptions, "client"> = {},
): Promise<number> {
  let token: string | undefined;
  let context: ErrorContext | undefined;
  try {
    const { values, positionals } = options(args);
    if (values.help) {
      io.stdout(PR_HELP);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError("name one pull request: tollgate pr OWNER/REPO#NUMBER (see tollgate pr --help)");
    const format = values.format ?? "text";
    if (!isFormat(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
    const target = parseTarget(positionals[0]!);
    token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || undefined;
    // A GitHub Enterprise Server URL names its host more precisely than the environment does.
    const apiUrl = values["api-url"] || target.apiUrl || io.env.GITHUB_API_URL || GITHUB_API;
    if (!/^https?:\/\//.test(apiUrl))
      throw new UsageError(`--api-url must be an http(s) URL (got "${apiUrl}")`);
    if (!token)
      throw new UsageError(
        `no token: set GITHUB_TOKEN or GH_TOKEN to a token that can read ${target.owner}/${target.repo} (e.g. GH_TOKEN=$(gh auth token))`,
      );
    context = { ...target, apiUrl, token };
    const result = await reviewWithToken({
      repo: { owner: target.owner, repo: target.repo },
      pullNumber: target.pullNumber,
      token,
      apiUrl,
      post: Boolean(values.post),
      offline: Boolean(values.offline),
      env: io.env,
      warn: (line) => io.stderr(`tollgate: ${line}\n`),
      ...(io.env.TOLLGATE_DOCS_URL ? { docsBaseUrl: io.env.TOLLGATE_DOCS_URL } : {}),
      ...seams,
    });
    return finish(result, format, values, io, context);
  } catch (e) {
    if (e instanceof UsageError || e instanceof TargetError) {
      io.stderr(`tollgate: ${redact(e.message, token)}\n`);
      return 2;
    }
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`tollgate: ${redact((e as Error).message, token)} (see tollgate pr --help)\n`);
      return 2;
    }
    const line = context ? explainError(e, context) : redact(String(e), token);
    io.stderr(`tollgate: ${line}\n`);
    return 2;
  }
}

/**
 * Run inside a GitHub Actions step with a verdict that went to a commit status
 * (or nowhere), the check run's text goes to the job summary, where a check
 * run would have shown it.
 */
function jobSummary(result: TokenReviewResult, env: NodeJS.ProcessEnv): void {
  const { verdict, verdictVia } = result.posting;
  if (!env.GITHUB_STEP_SUMMARY || !verdict || (verdictVia !== "status" && verdictVia !== "none")) return;
  appendFileSync(env.GITHUB_STEP_SUMMARY, `## ${verdict.output.title}\n\n${verdict.output.summary}\n`);
}

function finish(
  result: TokenReviewResult,
  format: Format,
  values: { output?: string; "no-color"?: boolean; post?: boolean },
  io: PrIo,
  context: ErrorContext,
): number {
  const { outcome, review, posting } = result;
  if (outcome.kind === "failed") {
    const why = posting.lastError
      ? explainError(posting.lastError, context)
      : redact(outcome.message, context.token);
    io.stderr(`tollgate: ${why}\n`);
    return 2;
  }
  // A draft the configuration does not review, say: no review to print, but the reason.
  if (!review && outcome.kind === "completed" && posting.verdict)
    io.stderr(`tollgate: ${redact(posting.verdict.output.title, context.token)}\n`);
  if (review) {
    const text = renderFormat(format, review, {
      color: io.isTTY && !values["no-color"] && !io.env.NO_COLOR && !values.output,
    });
    if (values.output) writeFileSync(resolve(io.cwd, values.output), text);
    else io.stdout(text);
  }
  for (const line of describePosting(result, Boolean(values.post))) io.stderr(`tollgate: ${line}\n`);
  jobSummary(result, io.env);
  if (outcome.kind === "superseded" || (!review && outcome.kind === "skipped")) return 2;
  if (!review) return outcome.kind === "completed" && outcome.conclusion === "failure" ? 1 : 0;
  return review.verdict.conclusion === "failure" ? 1 : 0;
}
