import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnginePool, EngineThreadExit } from "../../src/app/engine-pool.js";
import { defaultConfig } from "../../src/review/config.js";
import { runReview } from "../../src/review/engine.js";
import type { ChangedFile, ChangeSet } from "../../src/review/types.js";
import type { AdvisorySource } from "../../src/services/advisories.js";
import { ensureBuilt } from "../support/built.js";

/**
 * The engine on a real worker thread (the compiled engine-worker.js): the
 * same review as the engine in the event loop, its contents and advisories
 * asked of this thread, its failures reported the same way, and a thread
 * that dies replaced.
 */

const enc = new TextEncoder();
const DOCKERFILE =
  'FROM node:latest\nRUN curl -fsSL http://example.com/install.sh | sh\nCMD ["node", "server.js"]\n';
const LOCKFILE = JSON.stringify({
  name: "app",
  lockfileVersion: 3,
  packages: { "": { name: "app" }, "node_modules/lodash": { version: "4.17.20" } },
});

function added(
  path: string,
  text: string,
  load = async () => enc.encode(text) as Uint8Array | string | null,
) {
  const lines = text.replace(/\n$/, "").split("\n");
  return {
    path,
    status: "added",
    patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`,
    loadHead: load,
    loadBase: async () => null,
  } satisfies ChangedFile;
}

const advisories: AdvisorySource = {
  lookup: async (queries) =>
    queries.map((q) =>
      q.name === "lodash"
        ? [
            {
              id: "GHSA-test-0001",
              aliases: [],
              summary: "prototype pollution",
              severity: "high",
              malicious: false,
            },
          ]
        : [],
    ),
};

let pool: EnginePool;

beforeAll(async () => {
  ensureBuilt();
  pool = new EnginePool({ size: 1 });
  await pool.ready();
}, 120_000);

afterAll(async () => {
  await pool.close();
});

describe("the engine on a worker thread", () => {
  it("gives the same review as the engine in the event loop, reading contents and advisories from here", async () => {
    const reads: string[] = [];
    const changeSet = (): ChangeSet => ({
      label: "base...head",
      files: [
        added("Dockerfile", DOCKERFILE, async () => {
          reads.push("Dockerfile");
          return enc.encode(DOCKERFILE);
        }),
        added("package-lock.json", LOCKFILE, async () => LOCKFILE),
        added("README.md", "# hello\n"),
      ],
    });
    const options = { config: defaultConfig, services: { advisories } };
    const inThread = await pool.runReview(changeSet(), options);
    const inLoop = await runReview(changeSet(), options);
    expect(inThread).toEqual(inLoop);
    expect(inThread.findings.map((f) => f.ruleId)).toContain("deps/known-vulnerability");
    expect(inThread.verdict.conclusion).toBe("failure");
    expect(reads).toEqual(["Dockerfile", "Dockerfile"]);
  });

  it("reports a file that cannot be read and an advisory source that fails as the engine in the event loop does", async () => {
    const changeSet = (): ChangeSet => ({
      files: [
        added("Dockerfile", DOCKERFILE, async () => {
          throw new Error("GitHub answered 502: Bad Gateway");
        }),
        added("package-lock.json", LOCKFILE, async () => LOCKFILE),
      ],
    });
    const failing: AdvisorySource = {
      lookup: async () => {
        throw new Error("OSV answered 503");
      },
    };
    const options = { config: defaultConfig, services: { advisories: failing } };
    const inThread = await pool.runReview(changeSet(), options);
    expect(inThread).toEqual(await runReview(changeSet(), options));
    expect(JSON.stringify(inThread)).toContain("GitHub answered 502: Bad Gateway");
    expect(JSON.stringify(inThread.errors)).toContain("OSV answered 503");
  });

  it("rejects with the engine's own error when the engine throws", async () => {
    const broken = { config: { ...defaultConfig, paths: undefined } } as never;
    const changeSet = (): ChangeSet => ({ files: [added("Dockerfile", DOCKERFILE)] });
    const inLoop = await runReview(changeSet(), broken).catch((e: Error) => e);
    expect(inLoop).toBeInstanceOf(Error);
    const inThread = await pool.runReview(changeSet(), broken).catch((e: Error) => e);
    expect(inThread).toBeInstanceOf(Error);
    expect(inThread).not.toBeInstanceOf(EngineThreadExit);
    expect((inThread as Error).message).toBe((inLoop as Error).message);
  });

  it("rejects the reviews of a thread that dies with EngineThreadExit, and starts another", async () => {
    const threads = (pool as unknown as { threads: Array<{ worker: Worker }> }).threads;
    const dying = threads[0]!.worker;
    const review = pool.runReview({
      files: [
        added("Dockerfile", DOCKERFILE, async () => {
          await dying.terminate();
          return enc.encode(DOCKERFILE);
        }),
      ],
    });
    await expect(review).rejects.toBeInstanceOf(EngineThreadExit);
    await until(() => threads[0]!.worker !== dying);
    const after = await pool.runReview(
      { files: [added("Dockerfile", DOCKERFILE)] },
      { config: defaultConfig },
    );
    expect(after.verdict.conclusion).toBe("failure");
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
