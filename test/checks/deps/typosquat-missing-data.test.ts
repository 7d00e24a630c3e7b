import { describe, expect, it, vi } from "vitest";

describe("deps/typosquat without the PyPI list", () => {
  it("says so in a note instead of silently passing Python names", async () => {
    vi.resetModules();
    vi.doMock("node:fs", async (importOriginal) => {
      const fs = await importOriginal<typeof import("node:fs")>();
      return {
        ...fs,
        existsSync: (p: string) => !String(p).endsWith("pypi-popular.txt") && fs.existsSync(p),
      };
    });
    const { typosquat } = await import("../../../src/checks/deps/typosquat.js");
    const { reviewFiles } = await import("../../support/review.js");
    const review = await reviewFiles(
      [{ path: "requirements.txt", base: "", head: "reqeusts==2.31.0\nnumpyy==1.0\n" }],
      {
        checks: [typosquat],
      },
    );
    expect(review.findings).toEqual([]);
    expect(review.errors).toEqual([
      {
        level: "warning",
        message:
          "the list of popular PyPI names (src/checks/deps/data/pypi-popular.txt) is missing from this installation, so Python dependencies were not checked for typosquats",
      },
    ]);
    vi.doUnmock("node:fs");
  });
});
