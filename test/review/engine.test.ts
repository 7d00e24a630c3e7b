import { describe, expect, it } from "vitest";
import type { Check } from "../../src/checks/types.js";
import { ParseError } from "../../src/checks/types.js";
import { runReview } from "../../src/review/engine.js";
import { memoryFile } from "../../src/review/memory.js";
import { RuleCatalog, type RuleMeta } from "../../src/review/rules.js";
import type { ChangedFile, RuleId } from "../../src/review/types.js";
import { config, reviewFiles } from "../support/review.js";

/**
 * The engine's contract, with a tiny check so these tests do not depend on
 * any real family: a "BAD <x>" line is a finding anchored on its text.
 */

function rule(id: string, severity: RuleMeta["severity"] = "high"): RuleMeta {
  return {
    id: id as RuleId,
    family: id.split("/")[0] as RuleMeta["family"],
    title: `rule ${id}`,
    severity,
    ...(severity === "off" ? { "enabled-severity": "medium" as const } : {}),
    description: "description of the rule",
    remediation: "remediation of the rule",
    fix: "fix it",
    references: { cwe: [], equivalents: {}, links: [] },
    aliases: id === "docker/bad-line" ? ["DL0001"] : [],
    examples: { bad: [], good: [] },
  };
}

const catalog = new RuleCatalog([
  rule("docker/bad-line"),
  rule("docker/quiet", "off"),
  rule("meta/parse-error", "low"),
  rule("secrets/added-token", "critical"),
]);

const badLines: Check = {
  kind: "snapshot",
  name: "test/bad-lines",
  families: ["docker"],
  rules: ["docker/bad-line" as RuleId, "docker/quiet" as RuleId],
  run(file) {
    if (file.text.includes("UNPARSABLE"))
      throw new ParseError("cannot parse", file.lines.indexOf("UNPARSABLE") + 1);
    return file.lines.flatMap((l, i) => {
      const m = /^(BAD|QUIET) (.*)$/.exec(l);
      if (!m) return [];
      return [
        {
          ruleId: (m[1] === "BAD" ? "docker/bad-line" : "docker/quiet") as RuleId,
          line: i + 1,
          message: `bad: ${m[2]}`,
          anchor: m[2]!.trim(),
        },
      ];
    });
  },
};

const addedTokens: Check = {
  kind: "change",
  name: "test/added-tokens",
  families: "all",
  linesOnly: true,
  rules: ["secrets/added-token" as RuleId],
  run(change) {
    return [...change.added].flatMap(([line, text]) =>
      text.includes("TOKEN=")
        ? [{ ruleId: "secrets/added-token" as RuleId, line, message: "token", anchor: text }]
        : [],
    );
  },
};

const checks = [badLines, addedTokens];
const opts = { catalog, checks };

describe("what change checks are given", () => {
  it("a whole new file (and scan mode): every line added, CR stripped, and one all-added hunk on request", async () => {
    const seen: Array<{ added: Array<[number, string]>; removed: number; hunks: unknown }> = [];
    const spy: Check = {
      kind: "change",
      name: "test/spy",
      families: "all",
      rules: ["secrets/added-token" as RuleId],
      run(change) {
        seen.push({
          added: [...change.added],
          removed: change.removed.size,
          hunks: change.hunks.map((h) => [
            h.newStart,
            h.newLines,
            h.lines.map((l) => [l.kind, l.newLine, l.text]),
          ]),
        });
        return [];
      },
    };
    const text = "one\r\ntwo\nthree\n";
    for (const mode of ["diff", "scan"] as const) {
      const file = memoryFile("Dockerfile", null, text, { omitPatch: true });
      await runReview({ files: [file] }, { catalog, checks: [spy], mode });
    }
    const expected = {
      added: [
        [1, "one"],
        [2, "two"],
        [3, "three"],
      ],
      removed: 0,
      hunks: [
        [
          1,
          3,
          [
            ["add", 1, "one"],
            ["add", 2, "two"],
            ["add", 3, "three"],
          ],
        ],
      ],
    };
    expect(seen).toEqual([expected, expected]);
  });
});

describe("diff-awareness", () => {
  it("an added file: every finding is new", async () => {
    const r = await reviewFiles([{ path: "Dockerfile", head: "FROM a\nBAD one\nBAD two\n" }], opts);
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["docker/bad-line", 2],
      ["docker/bad-line", 3],
    ]);
    expect(r.verdict).toMatchObject({ conclusion: "failure", blocking: 2 });
  });

  it("moving a bad line is not new; changing it is; an unchanged one is never reported", async () => {
    const base = "FROM a\nBAD kept\nRUN x\nBAD moved\nRUN y\nBAD changed\n";
    const head = "FROM a\nBAD kept\nRUN x\nRUN y\nRUN z\nRUN w\nBAD changed now\nBAD moved\n";
    const r = await reviewFiles([{ path: "Dockerfile", base, head }], opts);
    expect(r.findings.map((f) => [f.line, f.message])).toEqual([[7, "bad: changed now"]]);
  });

  it("a second copy of an existing problem is new (multiset comparison)", async () => {
    const r = await reviewFiles([{ path: "Dockerfile", base: "BAD x\n", head: "BAD x\nBAD x\n" }], opts);
    expect(r.findings.map((f) => f.line)).toEqual([2]);
    // the occurrence index keeps the two fingerprints apart
    const again = await reviewFiles([{ path: "Dockerfile", head: "BAD x\nBAD x\n" }], opts);
    expect(new Set(again.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("fingerprints do not depend on the line number", async () => {
    const a = await reviewFiles([{ path: "Dockerfile", head: "BAD x\n" }], opts);
    const b = await reviewFiles([{ path: "Dockerfile", head: "FROM a\n\n\nBAD x\n" }], opts);
    expect(a.findings[0]!.fingerprint).toBe(b.findings[0]!.fingerprint);
    expect(a.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("a renamed file is compared with its previous path's content", async () => {
    const r = await reviewFiles(
      [{ path: "app/Dockerfile", previousPath: "Dockerfile", base: "BAD x\n", head: "BAD x\nRUN y\n" }],
      opts,
    );
    expect(r.findings).toEqual([]);
  });

  it("files the change does not touch are never read", async () => {
    const reads: string[] = [];
    const file = (path: string, base: string | null, head: string): ChangedFile => {
      const f = memoryFile(path, base, head);
      return {
        ...f,
        loadHead: async () => {
          reads.push(`head:${path}`);
          return head;
        },
        loadBase: async () => {
          reads.push(`base:${path}`);
          return base;
        },
      };
    };
    await runReview(
      { files: [file("Dockerfile", "BAD a\n", "BAD a\nBAD b\n"), file("notes.txt", "x\n", "x\ny\n")] },
      opts,
    );
    // the Dockerfile's base is rebuilt from head + patch; notes.txt needs only its patch
    expect(reads).toEqual(["head:Dockerfile"]);
  });

  it("rebuilds hunks itself when the host omitted the patch", async () => {
    const f = memoryFile(".env", "A=1\n", "A=1\nTOKEN=abc\n", { omitPatch: true });
    const r = await runReview({ files: [f] }, opts);
    expect(r.findings.map((x) => [x.ruleId, x.line])).toEqual([["secrets/added-token", 2]]);
  });

  it("scan mode treats every line as added", async () => {
    const r = await runReview(
      { files: [memoryFile(".env", null, "TOKEN=a\nTOKEN=b\n", { omitPatch: true })] },
      {
        ...opts,
        mode: "scan",
      },
    );
    expect(r.findings.map((f) => f.line)).toEqual([1, 2]);
  });
});

describe("configuration", () => {
  it("turns rules off, changes severities (by id or alias), and enables off-by-default rules", async () => {
    const head = "BAD a\nQUIET b\n";
    const defaults = await reviewFiles([{ path: "Dockerfile", head }], opts);
    expect(defaults.findings.map((f) => f.ruleId)).toEqual(["docker/bad-line"]);
    const tuned = await reviewFiles([{ path: "Dockerfile", head }], {
      ...opts,
      config: config({ rules: { "docker/bad-line": "low", "docker/quiet": "critical" } }),
    });
    expect(tuned.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ["docker/bad-line", "low"],
      ["docker/quiet", "critical"],
    ]);
    expect(tuned.verdict).toMatchObject({ conclusion: "failure", blocking: 1 });
    const off = await reviewFiles([{ path: "Dockerfile", head }], {
      ...opts,
      config: config({ rules: { DL0001: "off" } }),
    });
    expect(off.findings).toEqual([]);
  });

  it("fail-on decides the verdict", async () => {
    const r = await reviewFiles([{ path: "Dockerfile", head: "BAD a\n" }], {
      ...opts,
      config: config({ "fail-on": "critical" }),
    });
    expect(r.verdict).toMatchObject({ conclusion: "success", blocking: 0, failOn: "critical" });
    expect(r.verdict.counts).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
  });

  it("paths.ignore skips files entirely", async () => {
    const r = await reviewFiles([{ path: "vendor/x/Dockerfile", head: "BAD a\n" }], {
      ...opts,
      config: config({ paths: { ignore: ["vendor/**"] } }),
    });
    expect(r.findings).toEqual([]);
    expect(r.stats).toMatchObject({ filesInChange: 1, filesAnalysed: 0, filesSkipped: 1 });
  });
});

describe("inline suppressions", () => {
  it("a reasoned comment on the line or the line above suppresses; file-wide too", async () => {
    const head = [
      "BAD a # tollgate:ignore docker/bad-line -- vendored, fixed upstream",
      "# tollgate:ignore DL0001 -- alias works",
      "BAD b",
      "BAD c",
    ].join("\n");
    const r = await reviewFiles([{ path: "Dockerfile", head }], opts);
    expect(r.findings.map((f) => f.line)).toEqual([4]);
    expect(r.suppressed.map((f) => [f.line, f.suppression])).toEqual([
      [1, { kind: "inline", scope: "line", line: 1, reason: "vendored, fixed upstream" }],
      [3, { kind: "inline", scope: "line", line: 2, reason: "alias works" }],
    ]);
    const file = await reviewFiles(
      [{ path: "Dockerfile", head: `${head}\n# tollgate:ignore-file docker/bad-line -- generated file` }],
      opts,
    );
    expect(file.findings).toEqual([]);
    expect(file.suppressed).toHaveLength(3);
  });

  it("a suppression without a reason does not count, and says so", async () => {
    const r = await reviewFiles(
      [{ path: "Dockerfile", head: "# tollgate:ignore docker/bad-line\nBAD a\n" }],
      opts,
    );
    expect(r.findings.map((f) => f.line)).toEqual([2]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        level: "warning",
        path: "Dockerfile",
        line: 1,
        message: expect.stringMatching(/no reason/),
      }),
    ]);
  });

  it("inline-suppressions: deny keeps the finding and notes why", async () => {
    const r = await reviewFiles(
      [{ path: "Dockerfile", head: "# tollgate:ignore docker/bad-line -- trust me\nBAD a\n" }],
      {
        ...opts,
        config: config({ "inline-suppressions": "deny" }),
      },
    );
    expect(r.findings.map((f) => f.line)).toEqual([2]);
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/inline-suppressions: deny/)]);
  });

  it("reads suppression comments from the patch when the file text was not needed", async () => {
    const r = await reviewFiles(
      [
        {
          path: "a.env",
          base: "X=1\n",
          head: "X=1\n# tollgate:ignore secrets/added-token -- test fixture\nTOKEN=abc\n",
        },
      ],
      opts,
    );
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => f.line)).toEqual([3]);
  });
});

describe("external suppressions (slash commands)", () => {
  const head = "BAD a\nBAD b\n";
  const by = {
    reason: "accepted risk",
    by: "alice",
    at: "2026-11-28T10:00:00Z",
    url: "https://example.test/c/1",
  };

  it("match by rule, path and line, or by fingerprint", async () => {
    const r = await reviewFiles([{ path: "Dockerfile", head }], {
      ...opts,
      suppressions: [{ ruleId: "docker/bad-line", path: "Dockerfile", line: 2, ...by }],
    });
    expect(r.findings.map((f) => f.line)).toEqual([1]);
    expect(r.suppressed[0]!.suppression).toMatchObject({
      kind: "command",
      by: "alice",
      reason: "accepted risk",
    });
    const fp = r.findings[0]!.fingerprint;
    const byFp = await reviewFiles([{ path: "Dockerfile", head }], {
      ...opts,
      suppressions: [{ ruleId: "docker/bad-line", fingerprint: fp, ...by }],
    });
    expect(byFp.findings.map((f) => f.line)).toEqual([2]);
  });

  it("onlyBelow keeps an author's own ignore from waving through blocking findings", async () => {
    const r = await reviewFiles([{ path: "Dockerfile", head }], {
      ...opts,
      suppressions: [{ ruleId: "docker/bad-line", onlyBelow: "high", ...by }],
    });
    expect(r.findings).toHaveLength(2);
    expect(r.verdict.conclusion).toBe("failure");
  });
});

describe("bad input", () => {
  it("a parse error at head is a meta/parse-error finding at that line; the review goes on", async () => {
    const r = await reviewFiles(
      [
        { path: "Dockerfile", head: "FROM a\nUNPARSABLE\n" },
        { path: "other/Dockerfile", head: "BAD x\n" },
      ],
      opts,
    );
    expect(r.findings.map((f) => [f.path, f.ruleId, f.line])).toEqual([
      ["Dockerfile", "meta/parse-error", 2],
      ["other/Dockerfile", "docker/bad-line", 1],
    ]);
  });

  it("a parse error that was already there is not new", async () => {
    const r = await reviewFiles(
      [{ path: "Dockerfile", base: "UNPARSABLE\n", head: "UNPARSABLE\nRUN x\n" }],
      opts,
    );
    expect(r.findings).toEqual([]);
  });

  it("a binary, oversized or unavailable Dockerfile is a failing finding, never a crash; a non-UTF-8 file is still checked, with a warning", async () => {
    const bytes = (b: number[]) => new Uint8Array(b);
    const files: ChangedFile[] = [
      {
        path: "Dockerfile",
        status: "added",
        loadHead: async () => bytes([0x46, 0x00, 0x01]),
        loadBase: async () => null,
      },
      {
        path: "b/Dockerfile",
        status: "added",
        // "BAD \xff": one Latin-1 byte must not switch the gate off for the file.
        loadHead: async () => bytes([0x42, 0x41, 0x44, 0x20, 0xff, 0x0a]),
        loadBase: async () => null,
      },
      {
        path: "c/Dockerfile",
        status: "added",
        size: 5_000_000,
        loadHead: async () => "BAD x\n",
        loadBase: async () => null,
      },
      {
        path: "d/Dockerfile",
        status: "added",
        binary: true,
        loadHead: async () => null,
        loadBase: async () => null,
      },
      memoryFile("e/Dockerfile", null, "BAD ok\n"),
    ];
    const r = await runReview({ files: files }, opts);
    // The host's `binary: true` is only a hint: d/Dockerfile is judged by what loads (nothing).
    expect(r.findings.map((f) => [f.path, f.ruleId, f.severity, f.message])).toEqual([
      [
        "Dockerfile",
        "meta/unreviewable-file",
        "high",
        "Dockerfile cannot be reviewed: it is binary data, not text.",
      ],
      ["b/Dockerfile", "docker/bad-line", "high", "bad: \uFFFD"],
      [
        "c/Dockerfile",
        "meta/unreviewable-file",
        "high",
        "c/Dockerfile cannot be reviewed: 5,000,000 bytes is over the 2,000,000-byte limit (max-file-bytes-by-family.docker).",
      ],
      [
        "d/Dockerfile",
        "meta/unreviewable-file",
        "high",
        "d/Dockerfile cannot be reviewed: its content is unavailable.",
      ],
      ["e/Dockerfile", "docker/bad-line", "high", "bad: ok"],
    ]);
    expect(r.verdict.conclusion).toBe("failure");
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ["b/Dockerfile", "not valid UTF-8 text: checked with the invalid bytes replaced (U+FFFD)"],
    ]);
  });

  it("a failing read or a crashing check fails a file that matters and is an error note on another; other files are still reviewed", async () => {
    const broken: ChangedFile = {
      path: "Dockerfile",
      status: "added",
      loadHead: async () => {
        throw new Error("HTTP 502 from the blob API");
      },
      loadBase: async () => null,
    };
    const crashing: Check = {
      ...badLines,
      name: "test/crash",
      run: () => {
        throw new Error("boom");
      },
    };
    const brokenText: ChangedFile = { ...broken, path: "notes.txt" };
    const crashingText: Check = { ...crashing, name: "test/crash-text", families: "all" };
    const r = await runReview(
      {
        files: [
          broken,
          brokenText,
          memoryFile("x/Dockerfile", null, "BAD a\n"),
          memoryFile("y.txt", null, "BAD b\n", { omitPatch: true }),
        ],
      },
      { catalog, checks: [crashing, badLines, crashingText] },
    );
    expect(r.findings.map((f) => [f.path, f.ruleId, f.message])).toEqual([
      [
        "Dockerfile",
        "meta/unreviewable-file",
        "Dockerfile cannot be reviewed: its head version could not be read (HTTP 502 from the blob API).",
      ],
      ["x/Dockerfile", "docker/bad-line", "bad: a"],
      [
        "x/Dockerfile",
        "meta/unreviewable-file",
        "x/Dockerfile cannot be reviewed: the check test/crash failed: boom.",
      ],
      [
        "x/Dockerfile",
        "meta/unreviewable-file",
        "x/Dockerfile cannot be reviewed: the check test/crash-text failed: boom.",
      ],
    ]);
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ["notes.txt", "could not read the head version: HTTP 502 from the blob API"],
      ["y.txt", "check test/crash-text failed: boom"],
    ]);
  });

  it("a truncated change says so", async () => {
    const r = await runReview(
      { files: [], truncated: { listed: 3000, reason: "GitHub lists at most 3,000 files" } },
      opts,
    );
    expect(r.errors).toEqual([
      { level: "warning", message: "Only 3000 files were reviewed: GitHub lists at most 3,000 files" },
    ]);
  });

  it("a byte budget bounds what one review reads", async () => {
    const files = Array.from({ length: 5 }, (_, i) =>
      memoryFile(`d${i}/Dockerfile`, null, `BAD ${i}\n${"x".repeat(100)}\n`),
    );
    const r = await runReview({ files }, { ...opts, limits: { maxTotalBytes: 250, concurrency: 1 } });
    // Dockerfiles past the budget are not read, and fail the check: padding other files must not hide them.
    expect(r.findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["d0/Dockerfile", "docker/bad-line"],
      ["d1/Dockerfile", "docker/bad-line"],
      ["d2/Dockerfile", "docker/bad-line"],
      ["d3/Dockerfile", "meta/unreviewable-file"],
      ["d4/Dockerfile", "meta/unreviewable-file"],
    ]);
    expect(r.findings[3]!.message).toBe(
      "d3/Dockerfile cannot be reviewed: the review had already read its limit of 250 bytes in other files of this change.",
    );
    const text = Array.from({ length: 5 }, (_, i) =>
      memoryFile(`t${i}.txt`, null, `${"x".repeat(100)}\n`, { omitPatch: true }),
    );
    const r2 = await runReview({ files: text }, { ...opts, limits: { maxTotalBytes: 250, concurrency: 1 } });
    expect(r2.findings).toEqual([]);
    expect(r2.errors.map((e) => [e.path, e.message])).toEqual([
      ["t3.txt", "not analysed: the review reached its limit of bytes read"],
      ["t4.txt", "not analysed: the review reached its limit of bytes read"],
    ]);
  });
});

describe("a file's checks run without yielding to other files", () => {
  it("runs every synchronous check of one file before the next file's, and still awaits a check's promise", async () => {
    const calls: string[] = [];
    const snapshot: Check = {
      kind: "snapshot",
      name: "test/order-snapshot",
      families: "all",
      rules: ["docker/bad-line" as RuleId],
      run(file) {
        calls.push(`snapshot ${file.path}`);
        return [];
      },
    };
    const change: Check = {
      kind: "change",
      name: "test/order-change",
      families: "all",
      rules: ["docker/bad-line" as RuleId],
      run(c) {
        calls.push(`change ${c.path}`);
        return [];
      },
    };
    const later: Check = {
      kind: "change",
      name: "test/order-async",
      families: "all",
      rules: ["docker/bad-line" as RuleId],
      async run(c) {
        await Promise.resolve();
        calls.push(`async ${c.path}`);
        return c.path === "b/Dockerfile"
          ? [{ ruleId: "docker/bad-line" as RuleId, line: 1, message: "async finding", anchor: "async" }]
          : [];
      },
    };
    const files = ["a/Dockerfile", "b/Dockerfile"].map((p) => memoryFile(p, null, "FROM scratch\n"));
    // A change check first: awaiting its (synchronous) result let the other file's checks run in between.
    const review = await runReview({ files }, { catalog, checks: [change, snapshot] });
    expect(review.findings).toEqual([]);
    expect(calls).toEqual([
      "change a/Dockerfile",
      "snapshot a/Dockerfile",
      "change b/Dockerfile",
      "snapshot b/Dockerfile",
    ]);
    calls.length = 0;
    const withAsync = await runReview({ files }, { catalog, checks: [snapshot, later, change] });
    expect(withAsync.findings.map((f) => [f.path, f.message])).toEqual([["b/Dockerfile", "async finding"]]);
    // A promise is awaited before the file's next check runs.
    expect(calls.indexOf("async a/Dockerfile")).toBeLessThan(calls.indexOf("change a/Dockerfile"));
    expect(calls.indexOf("async b/Dockerfile")).toBeLessThan(calls.indexOf("change b/Dockerfile"));
  });
});
