import { oneLine } from "../app/fail-closed.js";
import { statusOf } from "../app/github/errors.js";

/**
 * What went wrong talking to GitHub, as one line that says what to do. A
 * token never appears in it: the message is built from the status and a few
 * headers, any error text that is quoted loses every occurrence of the token,
 * and `oneLine` scrubs what looks like any other secret.
 */

export interface ErrorContext {
  owner: string;
  repo: string;
  pullNumber: number;
  apiUrl: string;
  token?: string;
}

const NETWORK_CODES =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|CERT_|SELF_SIGNED/;

function causeCode(e: unknown): string | undefined {
  let cause = (e as { cause?: unknown })?.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  const message = e instanceof Error ? e.message : "";
  return NETWORK_CODES.exec(message)?.[0];
}

function header(e: unknown, name: string): string | undefined {
  return (e as { response?: { headers?: Record<string, string> } })?.response?.headers?.[name];
}

function isRateLimit(e: unknown, status: number | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return header(e, "x-ratelimit-remaining") === "0" || /rate limit/i.test((e as Error)?.message ?? "");
}

/** An API URL as it may be shown: credentials someone put in it are not. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "the API URL given";
  }
}

export function explainError(e: unknown, context: ErrorContext): string {
  const c = { ...context, apiUrl: shownUrl(context.apiUrl) };
  const status = statusOf(e);
  const pr = `${c.owner}/${c.repo}#${c.pullNumber}`;
  const code = causeCode(e);
  let line: string;
  const answered = Boolean((e as { response?: unknown })?.response);
  if (!answered && (status === 500 || (status === undefined && code))) {
    // Octokit reports a request that never got an answer as a 500 without a response.
    const why = code ?? (e instanceof Error ? e.message : String(e));
    line = `cannot reach the GitHub API at ${c.apiUrl} (${why}): check --api-url or GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3) and the network`;
  } else if (status === 401) {
    line = `GitHub refused the token (401): set GITHUB_TOKEN or GH_TOKEN to a valid token for ${c.apiUrl}`;
  } else if (isRateLimit(e, status)) {
    const reset = Number(header(e, "x-ratelimit-reset"));
    const when =
      Number.isFinite(reset) && reset > 0
        ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`
        : "";
    line = `GitHub's rate limit for this token is spent${when}: wait and run again, or use another token (in a workflow, its GITHUB_TOKEN)`;
  } else if (status === 404) {
    line = `${pr} was not found, or this token cannot see it: check the repository and number, and that the token can read the repository (contents: read, pull-requests: read)`;
  } else if (status === 403) {
    line = `GitHub refused this token access to ${c.owner}/${c.repo} (403): give it contents: read and pull-requests: read (and checks: write, pull-requests: write to --post)`;
  } else if (status !== undefined) {
    const message =
      e instanceof Error ? e.message.replace(/ - https:\/\/docs\.github\.com\S*$/, "") : String(e);
    line = `GitHub answered ${status} while reviewing ${pr}: ${message}; run again, or check ${c.apiUrl}'s status`;
  } else {
    line = `could not review ${pr}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return redact(line, c.token);
}

/** The token, wherever it appears, and anything else that looks like a secret. */
export function redact(text: string, token: string | undefined): string {
  const without = token && token.length >= 4 ? text.split(token).join("***") : text;
  return oneLine(without);
}
