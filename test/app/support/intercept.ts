import nock from "nock";
import type { FakeGitHub } from "./fake-github.js";

/**
 * Serves a fake GitHub through nock at `base` (e.g. https://api.github.com):
 * for the tests of the Octokit adapter, which must go through real HTTP
 * requests. App-logic tests use the in-memory port instead (memory-github.ts).
 */
export function intercept(fake: FakeGitHub, base = "https://api.github.com"): nock.Scope {
  const scope = nock(base).persist();
  for (const method of ["get", "post", "patch", "put", "delete"] as const) {
    scope.intercept(/.*/, method.toUpperCase()).reply((uri, requestBody) => {
      const r = fake.handle(method.toUpperCase(), uri, requestBody, base);
      return [r.status, r.body as any, r.headers ?? {}];
    });
  }
  return scope;
}
