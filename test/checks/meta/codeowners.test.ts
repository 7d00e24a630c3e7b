import { describe, expect, it } from "vitest";
import { reviewFiles } from "../../support/review.js";

/** meta/codeowners-changed says what a CODEOWNERS edit does to required reviews, no more. */

const PATH = ".github/CODEOWNERS";

async function codeowners(base: string, head: string | null) {
  const r = await reviewFiles([{ path: PATH, base, head }]);
  expect(r.errors).toEqual([]);
  return r.findings
    .filter((f) => f.ruleId === "meta/codeowners-changed")
    .map((f) => [f.line, f.side ?? "RIGHT", f.severity, f.message]);
}

describe("meta/codeowners-changed", () => {
  it("reassigning * to a team is a handover at low, not a lost review", async () => {
    expect(await codeowners("* @alice @bob\n", "* @acme/platform\n")).toEqual([
      [
        1,
        "RIGHT",
        "low",
        "Ownership of `*`, a security-relevant path, moves from @alice, @bob to @acme/platform: changes there will need a review from the new owners instead.",
      ],
    ]);
  });

  it("removing one of two owners says who still owns the path, at low", async () => {
    expect(
      await codeowners(
        "/.github/workflows/ @acme/security @acme/platform\n",
        "/.github/workflows/ @acme/platform\n",
      ),
    ).toEqual([
      [
        1,
        "RIGHT",
        "low",
        "Removes @acme/security as code owner of `/.github/workflows/`, a security-relevant path; @acme/platform still owns it, so changes there still need a code owner's review.",
      ],
    ]);
  });

  it("an entry emptied of owners loses the review: medium", async () => {
    expect(await codeowners("/infra/ @acme/sre\n", "/infra/\n")).toEqual([
      [
        1,
        "RIGHT",
        "medium",
        "Removes every code owner of `/infra/` (@acme/sre), a security-relevant path: changes there no longer need a code owner's review.",
      ],
    ]);
  });

  it("a deleted entry falls back to * or a parent directory's entry: a handover at low", async () => {
    expect(await codeowners("* @acme/eng\n/.github/workflows/ @acme/security\n", "* @acme/eng\n")).toEqual([
      [
        2,
        "LEFT",
        "low",
        "Deletes the CODEOWNERS entry for `/.github/workflows/`, a security-relevant path: its ownership moves from @acme/security to @acme/eng (line 1, `*`).",
      ],
    ]);
    const parent = await codeowners(
      "/.github/ @acme/ops\n/.github/workflows/ @acme/security\n",
      "/.github/ @acme/ops\n",
    );
    expect(parent.map((f) => f.slice(0, 3))).toEqual([[2, "LEFT", "low"]]);
  });

  it("a deleted entry whose owners own * too changes nothing", async () => {
    expect(
      await codeowners("* @acme/security\n/.github/workflows/ @acme/security\n", "* @acme/security\n"),
    ).toEqual([]);
  });

  it("a deleted entry with nothing to take over is medium, and a deleted file reports each security path", async () => {
    const only = await codeowners("/docs/ @w\n/Dockerfile @acme/sec\n", "/docs/ @w\n");
    expect(only.map((f) => f.slice(0, 3))).toEqual([[2, "LEFT", "medium"]]);
    expect(only[0]![3]).toContain("changes there no longer need a code owner's review");
    const gone = await codeowners("* @acme/eng\n/terraform/ @acme/sre\n/docs/ @w\n", null);
    expect(gone.map((f) => f.slice(0, 3))).toEqual([
      [1, "LEFT", "medium"],
      [2, "LEFT", "medium"],
    ]);
  });

  it("adding owners, reordering them, or changing paths outside the security list says nothing", async () => {
    expect(await codeowners("* @a\n/docs/ @w\n", "* @a @b\n/docs/ @x\n")).toEqual([]);
    expect(await codeowners("* @a @b\n", "* @b @a\n")).toEqual([]);
  });
});
