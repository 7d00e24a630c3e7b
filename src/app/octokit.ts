import { ProbotOctokit } from "probot";

/**
 * Probot's Octokit with two throttling changes:
 *
 * - Each installation gets its own queue. Probot's default bucket id is
 *   `no-id` for webhook Octokits, so one busy installation's writes (one per
 *   second, reviews one per three seconds) delay every other installation's.
 * - A secondary rate limit is waited out: retried after GitHub's
 *   `retry-after` up to MAX_SECONDARY_RETRIES times (Probot only logs it),
 *   unless GitHub asks for more than two minutes. A review that still
 *   fails then concludes fail-closed; a job that had not started its run
 *   is retried by the queue after `retry-after` (jobs.ts).
 */

type ThrottleOptions = {
  enabled?: boolean;
  id?: string;
  onSecondaryRateLimit?: (
    retryAfter: number,
    options: RequestSummary,
    octokit: unknown,
    retryCount: number,
  ) => boolean | undefined;
  [key: string]: unknown;
};
type RequestSummary = { method: string; url: string };
type LoggerLike = { warn: (message: string) => void };
type OctokitOptions = {
  auth?: { installationId?: number | string } | unknown;
  throttle?: ThrottleOptions;
  log?: LoggerLike;
  [key: string]: unknown;
};

export const MAX_RETRY_AFTER_SECONDS = 120;
export const MAX_SECONDARY_RETRIES = 3;

export function installationThrottle(options: OctokitOptions): OctokitOptions {
  const throttle = options.throttle;
  if (!throttle || throttle.enabled === false) return options;
  const installationId = (options.auth as { installationId?: number | string } | undefined)?.installationId;
  const log = options.log;
  return {
    ...options,
    throttle: {
      ...throttle,
      id: installationId !== undefined ? `installation-${installationId}` : (throttle.id ?? "app"),
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const retry = retryCount < MAX_SECONDARY_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS;
        log?.warn(
          `Secondary rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s` : "giving up"}`,
        );
        return retry;
      },
    },
  };
}

export const TollgateOctokit = ProbotOctokit.defaults((options: OctokitOptions) =>
  installationThrottle(options),
);
