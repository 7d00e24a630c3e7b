import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createReviewDeps } from "../../src/app/deps.js";
import { EventRouter } from "../../src/app/event-router.js";
import { PULL_REQUEST_ACTIONS, registerReviewHandlers } from "../../src/app/handlers.js";
import { registerMergeGroup } from "../../src/app/merge-group.js";
import { registerSlashCommands } from "../../src/app/slash-command-handler.js";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));

describe("app.yml", () => {
  it("asks for least privilege and nothing more", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "read",
      issues: "write",
      metadata: "read",
      merge_queues: "read",
    });
  });

  it("subscribes to exactly the events the handlers use", () => {
    const router = new EventRouter();
    const deps = createReviewDeps({ log: console as never });
    registerReviewHandlers(router, deps);
    registerSlashCommands(router, deps);
    registerMergeGroup(router, deps);
    const used = [...new Set(router.events().map((e) => e.split(".")[0]))].sort();
    expect(used).toEqual([...manifest.default_events].sort());
    expect(used).toContain("merge_group");
    expect(PULL_REQUEST_ACTIONS).toEqual(["opened", "reopened", "synchronize", "ready_for_review"]);
  });
});
