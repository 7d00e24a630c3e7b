import { describe, expect, it } from "vitest";
import {
  installationThrottle,
  MAX_RETRY_AFTER_SECONDS,
  MAX_SECONDARY_RETRIES,
} from "../../src/app/octokit.js";

type Secondary = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

describe("installationThrottle", () => {
  it("gives each installation its own throttling queue", () => {
    const a = installationThrottle({ auth: { installationId: 7 }, throttle: { enabled: true, id: "no-id" } });
    const b = installationThrottle({ auth: { installationId: 8 }, throttle: { enabled: true } });
    expect(a.throttle?.id).toBe("installation-7");
    expect(b.throttle?.id).toBe("installation-8");
  });

  it("keeps the app-level client (no installation) on its own id", () => {
    expect(installationThrottle({ throttle: { enabled: true } }).throttle?.id).toBe("app");
  });

  it("leaves disabled throttling alone", () => {
    const options = { auth: { installationId: 7 }, throttle: { enabled: false } };
    expect(installationThrottle(options)).toBe(options);
  });

  it("waits out a secondary rate limit up to three times, unless GitHub asks for too long", () => {
    const warnings: string[] = [];
    const { throttle } = installationThrottle({
      auth: { installationId: 7 },
      throttle: { enabled: true },
      log: { warn: (m: string) => warnings.push(m) },
    });
    const onSecondary = throttle!.onSecondaryRateLimit as Secondary;
    const request = { method: "POST", url: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews" };
    expect(onSecondary(60, request, undefined, 0)).toBe(true);
    expect(onSecondary(60, request, undefined, 2)).toBe(true);
    expect(onSecondary(60, request, undefined, MAX_SECONDARY_RETRIES)).toBe(false);
    expect(onSecondary(MAX_RETRY_AFTER_SECONDS + 1, request, undefined, 0)).toBe(false);
    expect(warnings[0]).toBe(
      "Secondary rate limit on POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews: retrying in 60 s",
    );
  });
});
