import { describe, expect, it } from "vitest";
import { visible } from "../../src/report/visible.js";

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
