import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

const offline = checks.filter((c) => c.kind === "change");

const cargo = (patch: string) =>
  `[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1.0"\n${patch}`;

describe("Cargo [patch.crates-io]", () => {
  it("a git patch is a non-registry source with a Cargo message, not a go replace directive", async () => {
    const result = await reviewFiles(
      [
        {
          path: "Cargo.toml",
          base: cargo(""),
          head: cargo(
            '\n[patch.crates-io]\nserde = { git = "https://github.com/fork/serde", rev = "9b2e1c7" }\n',
          ),
        },
      ],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 9]]);
    expect(result.findings[0]!.message).toBe(
      "`[patch.crates-io]` replaces the crates-io crate `serde` with one from git (`git+https://github.com/fork/serde#9b2e1c7`): every crate in the build that depends on `serde` now compiles that code, and a branch or tag can be moved to other code, with no advisory or yank to cover it. Pin `rev` to a full commit and remove the patch once the fix is released.",
    );
  });

  it("a path patch inside the repository is not reported; one outside it is", async () => {
    const result = await reviewFiles(
      [
        {
          path: "Cargo.toml",
          base: cargo(""),
          head: cargo(
            '\n[patch.crates-io]\nserde = { path = "vendor/serde" }\nlibc = { path = "../libc" }\n',
          ),
        },
      ],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 10]]);
    expect(result.findings[0]!.message).toContain(
      "replaces the crates-io crate `libc` with one from a local path outside the repository (`../libc`)",
    );
  });

  it("an unchanged patch is not reported again", async () => {
    const patch = '\n[patch.crates-io]\nserde = { git = "https://github.com/fork/serde", rev = "9b2e1c7" }\n';
    const result = await reviewFiles(
      [{ path: "Cargo.toml", base: cargo(patch), head: cargo(patch).replace('"1.0"', '"1.0.200"') }],
      { checks: offline },
    );
    expect(ruleLines(result)).toEqual([]);
  });
});
