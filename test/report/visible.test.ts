import { describe, expect, it } from "vitest";
import { annotationFor, checkRunOutput } from "../../src/report/check-run.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { commentBody, reviewBody } from "../../src/report/review-comments.js";
import { reviewToSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { visible } from "../../src/report/visible.js";
import type { Finding, Review } from "../../src/review/types.js";
import { computeVerdict } from "../../src/review/verdict.js";

describe("visible", () => {
  it("writes control, bidi and invisible characters as <U+XXXX>", () => {
    expect(visible("a\u202Eb")).toBe("a<U+202E>b");
    expect(visible("x\u001b[2Jy")).toBe("x<U+001B>[2Jy");
    expect(visible("a\rb")).toBe("a<U+000D>b");
    expect(visible("ab\u200dcd")).toBe("ab<U+200D>cd");
    expect(visible("\u0085\u009b\u007f")).toBe("<U+0085><U+009B><U+007F>");
    expect(visible("id\u{E0041}")).toBe("id<U+E0041>");
  });

  it("keeps TAB, LF, CRLF and what emoji need", () => {
    expect(visible("a\tb\nc\r\nd")).toBe("a\tb\nc\r\nd");
    expect(visible("❤️ 👨‍👩‍👧 🏳️‍🌈 👩🏽‍💻")).toBe("❤️ 👨‍👩‍👧 🏳️‍🌈 👩🏽‍💻");
    expect(visible("plain text, é and 日本語")).toBe("plain text, é and 日本語");
  });

  it("does not keep a selector after ASCII or a joiner between letters", () => {
    expect(visible("a\uFE0F")).toBe("a<U+FE0F>");
    expect(visible("❤\u200Dx")).toBe("❤<U+200D>x");
  });

  it("counts a long run instead of printing it", () => {
    const payload = "\uFE00\uFE01\u{E0100}\u{E0101}".repeat(1000);
    expect(visible(`eval('${payload}')`)).toBe("eval('<U+FE00 and 3999 more invisible>')");
  });
});

describe("every human-facing output shows hidden characters; JSON keeps them", () => {
  const evil = "\u202E\u2066 \u001b[2J";
  const hostile: Finding = {
    ruleId: "meta/invisible-characters",
    severity: "high",
    path: `src/a\u202Eb.py`,
    line: 2,
    column: 5,
    message: `Adds something: ${evil}`,
    evidence: `x = '${evil}'`,
    fix: `Delete ${evil}`,
    anchor: "a",
    fingerprint: "0123456789abcdef",
  };
  const review: Review = {
    findings: [hostile],
    suppressed: [],
    errors: [{ level: "warning", path: "x\u001b.yml", message: `note ${evil}` }],
    verdict: computeVerdict([hostile], [], "high"),
    stats: { filesInChange: 1, filesAnalysed: 1, filesSkipped: 0, bytesRead: 10 },
    dependencyChanges: [],
  };
  const hidden = /[\u001b\u202E\u2066]/;

  it("text, markdown, check run, annotations, review comments and SARIF messages", () => {
    const sarif = reviewToSarif(review);
    const outputs: Record<string, string> = {
      text: renderText(review),
      markdown: renderMarkdown(review),
      checkRun: checkRunOutput(review).summary,
      annotation: annotationFor(hostile, "high").message,
      comment: commentBody(hostile),
      body: reviewBody({ comments: [], inline: [], elsewhere: [hostile] }, { headSha: "a".repeat(40) }),
      sarifMessage: sarif.runs[0]!.results[0]!.message.text,
      sarifNote: sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text,
    };
    for (const [name, out] of Object.entries(outputs)) {
      expect(out, name).not.toMatch(hidden);
      expect(out, name).toMatch(/<U\+202E>|&lt;U\+202E&gt;/);
    }
    expect(outputs.text).toContain("src/a<U+202E>b.py");
    expect(outputs.annotation).toBe(
      "Adds something: <U+202E><U+2066> <U+001B>[2J\n\nEvidence: x = '<U+202E><U+2066> <U+001B>[2J'\n\nFix: Delete <U+202E><U+2066> <U+001B>[2J",
    );
  });

  it("the annotation's path and the JSON stay exact: they are locators and data", () => {
    expect(annotationFor(hostile, "high").path).toBe(hostile.path);
    const json = JSON.parse(renderJson(review));
    expect(json.findings[0].message).toBe(hostile.message);
    expect(json.findings[0].path).toBe(hostile.path);
  });
});
