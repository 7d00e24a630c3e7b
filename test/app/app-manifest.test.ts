import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PULL_REQUEST_ACTIONS } from "../../src/app/handlers.js";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));

describe("app.yml", () => {
  it("asks for least privilege and nothing more", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "read",
      issues: "write",
      metadata: "read",
    });
  });

  it("subscribes to the events the handlers use", () => {
    expect(manifest.default_events).toEqual(
      expect.arrayContaining(["pull_request", "check_run", "check_suite", "issue_comment"]),
    );
    expect(PULL_REQUEST_ACTIONS).toEqual(["opened", "reopened", "synchronize", "ready_for_review"]);
  });
});
