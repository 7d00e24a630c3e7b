import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pairs, reviewDocker } from "./support.js";

/**
 * The bundled examples are what a newcomer sees first (`tollgate scan
 * examples/`): each must keep producing exactly these findings.
 */

async function scan(path: string) {
  const review = await reviewDocker([{ path, head: readFileSync(path, "utf8") }], { mode: "scan" });
  return { review, found: pairs(review) };
}

describe("examples/docker", () => {
  it("node-service/Dockerfile", async () => {
    const { found } = await scan("examples/docker/node-service/Dockerfile");
    expect(found).toEqual([
      ["docker/runs-as-root", 2],
      ["docker/unpinned-base-image", 2],
      ["docker/secret-in-build", 4],
      ["docker/remote-script-pipe-to-shell", 12],
      ["docker/secret-in-build", 15],
      ["docker/world-writable-permissions", 19],
    ]);
  });

  it("python-api/Dockerfile", async () => {
    const { found } = await scan("examples/docker/python-api/Dockerfile");
    expect(found).toEqual([
      ["docker/tls-verification-disabled", 11],
      ["docker/secret-in-build", 16],
      ["docker/secret-in-build", 21],
      ["docker/world-writable-permissions", 27],
    ]);
  });

  it("legacy-worker/Containerfile", async () => {
    const { found, review } = await scan("examples/docker/legacy-worker/Containerfile");
    expect(found).toEqual([
      ["docker/package-signature-bypass", 4],
      ["docker/tls-verification-disabled", 5],
      ["docker/hardcoded-password-change", 9],
      ["docker/add-remote-url", 12],
      ["docker/sudo-in-run", 14],
      ["docker/tls-verification-disabled", 15],
      ["docker/runs-as-root", 17],
      ["docker/expose-ssh", 18],
    ]);
    expect(JSON.stringify(review)).not.toContain("Welcome1!");
  });
});
