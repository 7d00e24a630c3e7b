import { structuredPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addedLines,
  additionPatch,
  commentableLines,
  fromJsdiffHunks,
  hunksToPatch,
  PatchError,
  parsePatch,
  removedLines,
  reverseApply,
} from "../../src/formats/patch.js";
import { unifiedPatch } from "../../src/review/memory.js";

describe("parsePatch", () => {
  it("numbers added, removed and context lines per hunk", () => {
    const hunks = parsePatch("@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10 +11 @@\n-x\n+y\n");
    expect(hunks).toHaveLength(2);
    expect([...addedLines(hunks)]).toEqual([
      [2, "B"],
      [3, "C"],
      [11, "y"],
    ]);
    expect([...removedLines(hunks)]).toEqual([
      [2, "b"],
      [10, "x"],
    ]);
    const c = commentableLines(hunks);
    expect([...c.right].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 11]);
    expect([...c.left].sort((a, b) => a - b)).toEqual([2, 10]);
  });

  it("marks the line before `\\ No newline at end of file`", () => {
    const hunks = parsePatch(
      "@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n",
    );
    expect(hunks[0]!.lines.map((l) => [l.kind, l.noNewline ?? false])).toEqual([
      ["del", true],
      ["add", true],
    ]);
  });

  it("keeps a CRLF file's carriage returns so versions rebuild byte for byte", () => {
    const base = "a\r\nb\r\nc\r\n";
    const head = "a\r\nB\r\nc\r\n";
    const hunks = parsePatch(unifiedPatch(base, head));
    expect(addedLines(hunks).get(2)).toBe("B\r");
    expect(reverseApply(head, hunks)).toBe(base);
  });

  it("ignores git headers and rejects garbage inside a hunk", () => {
    expect(parsePatch("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+hi\n")[0]!.lines).toHaveLength(
      1,
    );
    expect(() => parsePatch("@@ -1 +1 @@\n?what\n")).toThrow(PatchError);
    expect(() => parsePatch("@@ broken @@\n")).toThrow(PatchError);
  });

  it("an empty patch (a rename or a mode change) has no hunks", () => {
    expect(parsePatch("")).toEqual([]);
  });
});

describe("reverseApply", () => {
  const cases: Array<[string, string, string]> = [
    ["modification in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n"],
    ["lines added at the end", "a\nb\n", "a\nb\nc\nd\n"],
    ["lines removed at the start", "x\ny\na\nb\n", "a\nb\n"],
    ["final newline removed", "a\nb\n", "a\nb"],
    ["final newline added", "a\nb", "a\nb\n"],
    ["file emptied", "a\nb\n", ""],
    ["from empty", "", "a\n"],
    [
      "two distant hunks",
      `${Array.from({ length: 40 }, (_, i) => `l${i}`).join("\n")}\n`,
      `${Array.from({ length: 40 }, (_, i) => (i === 3 || i === 33 ? `L${i}` : `l${i}`)).join("\n")}\n`,
    ],
  ];
  for (const [name, base, head] of cases) {
    it(`rebuilds the base: ${name}`, () => {
      expect(reverseApply(head, parsePatch(unifiedPatch(base, head)))).toBe(base);
    });
  }

  it("returns null when the patch does not match the head text", () => {
    const hunks = parsePatch(unifiedPatch("a\nb\n", "a\nc\n"));
    expect(reverseApply("a\nsomething else\n", hunks)).toBeNull();
  });
});

describe("additionPatch", () => {
  it("adds every line, with the no-newline marker when needed", () => {
    expect(additionPatch("a\nb")).toBe("@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n");
    expect([...addedLines(parsePatch(additionPatch("x\ny\n")))]).toEqual([
      [1, "x"],
      [2, "y"],
    ]);
  });
});

describe("fromJsdiffHunks", () => {
  const lineArb = fc.constantFrom("a", "b", "", "c\r", " d", "+e", "-f", "\\g", "@@ h");
  const textArb = fc
    .tuple(fc.array(lineArb, { maxLength: 12 }), fc.boolean())
    .map(([lines, finalNewline]) =>
      lines.length === 0 ? "" : lines.join("\n") + (finalNewline ? "\n" : ""),
    );

  it("gives the hunks that writing jsdiff's hunks as a patch and parsing it back gave", () => {
    fc.assert(
      fc.property(textArb, textArb, (base, head) => {
        const { hunks } = structuredPatch("a", "b", base, head, "", "", { context: 3 });
        expect(fromJsdiffHunks(hunks)).toEqual(parsePatch(hunksToPatch(hunks)));
      }),
      { numRuns: 500 },
    );
  });

  it("numbers an emptied or new file as git does", () => {
    const { hunks } = structuredPatch("a", "b", "x\ny\n", "", "", "", { context: 3 });
    expect(fromJsdiffHunks(hunks)[0]).toMatchObject({ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 });
    const added = structuredPatch("a", "b", "", "x", "", "", { context: 3 }).hunks;
    expect(fromJsdiffHunks(added)[0]!.lines).toEqual([
      { kind: "add", text: "x", newLine: 1, noNewline: true },
    ]);
  });
});
