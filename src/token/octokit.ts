import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { config } from "@probot/octokit-plugin-config";
import { TOLLGATE_VERSION } from "../version.js";

/**
 * The Octokit of the token front end (`tollgate pr`, the GitHub Action): REST
 * endpoint methods and pagination from @octokit/rest, GitHub's recommended
 * throttling, retries of 5xx and network errors, and Probot's configuration
 * plugin, so `.github/tollgate.yml` and its `_extends` chain are read exactly
 * as the app reads them. The same core, paginate and endpoint-method versions
 * as Probot 14's Octokit, so the app's port adapter drives it unchanged.
 */

export const TokenOctokit = Octokit.plugin(retry, throttling, config);
export type TokenOctokit = InstanceType<typeof TokenOctokit>;

/** A primary rate limit reset this far away is not waited for: the command says when to come back. */
export const MAX_WAIT_SECONDS = 60;

export interface TokenClientOptions {
  token: string;
  baseUrl: string;
  /** Retries of a 5xx or a network error (1 s, then 4 s, …). */
  retries?: number;
  warn?: (message: string) => void;
  /** Off only in tests: GitHub's recommended pacing spaces writes a second or more apart. */
  throttle?: boolean;
}

export function tokenOctokit(options: TokenClientOptions): TokenOctokit {
  const warn = options.warn ?? (() => {});
  return new TokenOctokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    userAgent: `tollgate/${TOLLGATE_VERSION}`,
    // Octokit's own logger would print request details; Tollgate says what to do instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retries: options.retries ?? 2 },
    throttle: {
      enabled: options.throttle ?? true,
      onRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _o: unknown,
        count: number,
      ) => {
        const wait = count < 1 && retryAfter <= MAX_WAIT_SECONDS;
        warn(
          `rate limit on ${request.method} ${request.url}: ${wait ? `retrying in ${retryAfter} s` : "giving up"}`,
        );
        return wait;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _o: unknown,
        count: number,
      ) => {
        const wait = count < 1 && retryAfter <= MAX_WAIT_SECONDS;
        warn(
          `secondary rate limit on ${request.method} ${request.url}: ${wait ? `retrying in ${retryAfter} s` : "giving up"}`,
        );
        return wait;
      },
    },
  });
}
