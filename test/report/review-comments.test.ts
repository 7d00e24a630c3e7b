import { describe, expect, it } from "vitest";
import {
  commentBody,
  fixedFingerprints,
  fixedReplyBody,
  markedFingerprints,
  placeComment,
  reviewBody,
  selectInlineComments,
} from "../../src/report/review-comments.js";
import { unifiedPatch } from "../../src/review/memory.js";
import type { Finding } from "../../src/review/types.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "docker/runs-as-root",
    severity: "high",
    path: "Dockerfile",
    line: 2,
    message: "runs as root",
    anchor: "a",
    fingerprint: "0123456789abcdef",
    ...overrides,
  };
}

const base = `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
// Line 10 changed, line 15 removed: hunks cover head lines 7–17 or so, never line 1.
const head = base.replace("line 10\n", "line ten\nline ten-b\n").replace("line 15\n", "");
const patch = unifiedPatch(base, head);

describe("placeComment", () => {
  it("anchors added and context lines on RIGHT and removed lines on LEFT", () => {
    expect(placeComment(finding({ line: 10 }), patch)).toEqual({
      path: "Dockerfile",
      line: 10,
      side: "RIGHT",
    });
    expect(placeComment(finding({ line: 8 }), patch)).toEqual({ path: "Dockerfile", line: 8, side: "RIGHT" });
    expect(placeComment(finding({ line: 15, side: "LEFT" }), patch)).toEqual({
      path: "Dockerfile",
      line: 15,
      side: "LEFT",
    });
  });

  it("refuses lines outside the hunks, and files without a patch", () => {
    expect(placeComment(finding({ line: 1 }), patch)).toBeUndefined();
    expect(placeComment(finding({ line: 21 }), patch)).toBeUndefined();
    expect(placeComment(finding({ line: 1, side: "LEFT" }), patch)).toBeUndefined();
    expect(placeComment(finding({ line: 10 }), undefined)).toBeUndefined();
    expect(placeComment(finding({ line: 10 }), "not a patch\n@@ broken")).toBeUndefined();
  });

  it("spans several lines only when both ends are in the same hunk", () => {
    expect(placeComment(finding({ line: 10, endLine: 11 }), patch)).toEqual({
      path: "Dockerfile",
      start_line: 10,
      start_side: "RIGHT",
      line: 11,
      side: "RIGHT",
    });
    expect(placeComment(finding({ line: 10, endLine: 30 }), patch)).toEqual({
      path: "Dockerfile",
      line: 10,
      side: "RIGHT",
    });
  });
});

describe("selectInlineComments", () => {
  it("keeps the most severe findings within max-comments, the rest elsewhere", () => {
    const findings = [
      finding({ line: 10, severity: "low", fingerprint: "1".repeat(16) }),
      finding({ line: 11, severity: "critical", fingerprint: "2".repeat(16) }),
      finding({ line: 1, severity: "critical", fingerprint: "3".repeat(16) }),
      finding({ path: "other.txt", line: 1, fingerprint: "4".repeat(16) }),
    ];
    const s = selectInlineComments(findings, new Map([["Dockerfile", patch]]), { max: 1 });
    expect(s.comments.map((c) => c.line)).toEqual([11]);
    expect(s.inline.map((f) => f.fingerprint)).toEqual(["2".repeat(16)]);
    expect(s.elsewhere.map((f) => f.fingerprint).sort()).toEqual([
      "1".repeat(16),
      "3".repeat(16),
      "4".repeat(16),
    ]);
  });

  it("with max 0 sends no inline comments", () => {
    const s = selectInlineComments([finding({ line: 10 })], new Map([["Dockerfile", patch]]), { max: 0 });
    expect(s.comments).toEqual([]);
    expect(s.elsewhere).toHaveLength(1);
  });
});

describe("comment bodies", () => {
  it("show severity, the linked rule id, message, fix, evidence and a hidden fingerprint", () => {
    const body = commentBody(finding({ evidence: "USER root", fix: "Add `USER 10001`" }), {
      docsBaseUrl: "https://docs.example/r/",
    });
    expect(body).toBe(
      [
        "🟠 **high** · [`docker/runs-as-root`](https://docs.example/r/docker/runs-as-root.md)",
        "",
        "runs as root",
        "",
        "Evidence: `USER root`",
        "",
        "**Fix:** Add `USER 10001`",
        "",
        "<sub>Suppress with `/tollgate ignore docker/runs-as-root -- <reason>`.</sub>",
        "<!-- tollgate:fingerprint=0123456789abcdef -->",
      ].join("\n"),
    );
    expect(markedFingerprints(body)).toEqual(["0123456789abcdef"]);
  });

  it("neutralise mentions and HTML from file content in the message", () => {
    const body = commentBody(finding({ message: "@octocat <img src=x> [x](y)" }));
    expect(body).not.toContain("@octocat");
    expect(body).not.toContain("<img");
    expect(body).toContain("&lt;img");
  });

  it("keep the fingerprint marker when a huge message is cut", () => {
    const body = commentBody(finding({ message: "x".repeat(100_000) }));
    expect(body.length).toBeLessThanOrEqual(65_535);
    expect(markedFingerprints(body)).toEqual(["0123456789abcdef"]);
  });

  it("a fixed reply names the commit and marks the fingerprint it closes", () => {
    const reply = fixedReplyBody("abcdef0123456789abcdef0123456789abcdef01", "0123456789abcdef");
    expect(reply).toMatch(/^✅ Fixed in abcdef012345:/);
    expect(fixedFingerprints(reply)).toEqual(["0123456789abcdef"]);
    expect(markedFingerprints(reply)).toEqual([]);
  });
});

describe("reviewBody", () => {
  it("lists the findings not commented inline, each with its marker", () => {
    const s = selectInlineComments(
      [
        finding({ line: 10 }),
        finding({ line: 1, fingerprint: "f".repeat(16), ruleId: "docker/expose-ssh", severity: "low" }),
      ],
      new Map([["Dockerfile", patch]]),
      { max: 25 },
    );
    const body = reviewBody(s, { headSha: "abcdef0123456789" });
    expect(body).toContain("**Tollgate** found 2 new findings (1 high, 1 low) in abcdef012345");
    expect(markedFingerprints(body)).toEqual(["f".repeat(16)]);
    const rejected = reviewBody(s, { headSha: "abcdef0123456789", inlineRejected: true });
    expect(markedFingerprints(rejected).sort()).toEqual(["0123456789abcdef", "f".repeat(16)]);
  });
});
