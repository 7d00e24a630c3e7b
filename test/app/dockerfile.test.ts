import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ruleCatalog } from "../../src/review/rules.js";
import { config, reviewFiles } from "../support/review.js";

const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");

describe("Tollgate's own Dockerfile", () => {
  it("passes Tollgate's docker rules, reviewed as if every line were new", async () => {
    const review = await reviewFiles([{ path: "Dockerfile", head: dockerfile }], { mode: "scan" });
    expect(review.findings).toEqual([]);
    expect(review.errors).toEqual([]);
  });

  it("passes the opt-in docker rules too, except digest pinning", async () => {
    const optIn = Object.fromEntries(
      ruleCatalog()
        .rules.filter((r) => r.family === "docker" && r.severity === "off")
        .map((r) => [r.id, "low" as const]),
    );
    const review = await reviewFiles([{ path: "Dockerfile", head: dockerfile }], {
      mode: "scan",
      config: config({ rules: optIn }),
    });
    // Digest pins would go stale without a bot to bump them; the tag is pinned to a minor version.
    const fromLines = dockerfile.split("\n").flatMap((line, i) => (line.startsWith("FROM ") ? [i + 1] : []));
    expect(fromLines).toHaveLength(2);
    expect(review.findings.map((f) => [f.ruleId, f.line])).toEqual(
      fromLines.map((line) => ["docker/base-image-not-digest-pinned", line]),
    );
  });

  it("ships every data folder the checks read at run time into the runtime stage", () => {
    const root = new URL("../../", import.meta.url);
    const dataDirs = readdirSync(new URL("src/checks/", root), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(new URL(`src/checks/${d.name}/`, root), { withFileTypes: true })
          .filter((e) => e.isDirectory() && e.name === "data")
          .map(() => `src/checks/${d.name}/data`),
      );
    expect(dataDirs.sort()).toEqual(["src/checks/actions/data", "src/checks/deps/data"]);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    for (const dir of dataDirs) expect(runtime).toContain(`\nCOPY ${dir} ./${dir}\n`);
  });
});
