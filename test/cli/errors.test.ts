import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

/** An engine that throws, as a check on hostile input might: the CLI must still answer in one line. */
vi.mock("../../src/review/engine.js", () => ({
  runReview: async () => {
    const e = new TypeError(
      "cannot read properties of undefined (reading 'line')\n    at evil (/x.js:1:1)\u202e",
    );
    throw e;
  },
}));

const { main } = await import("../../src/cli/main.js");

async function tollgate(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd,
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe("an exception inside the review", () => {
  it("exits 2 with one line naming the cause, never a stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-throw-"));
    mkdirSync(join(dir, "svc"));
    writeFileSync(join(dir, "svc", "Dockerfile"), "FROM node:20\n");
    const run = await tollgate(["scan", "svc", "--offline"], dir);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "tollgate: unexpected error: TypeError: cannot read properties of undefined (reading 'line') at evil (/x.js:1:1)\n",
    });
  });
});
