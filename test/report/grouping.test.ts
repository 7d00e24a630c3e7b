import { describe, expect, it } from "vitest";
import { annotationsFor } from "../../src/report/check-run.js";
import { groupFindings, MAX_GROUP_SIZE } from "../../src/report/grouping.js";
import { renderJson } from "../../src/report/json.js";
import { GITHUB_TEXT_LIMIT, renderMarkdown } from "../../src/report/markdown.js";
import {
  fixedFingerprints,
  fixedReplyBody,
  fixedThread,
  markedFingerprints,
  reviewBody,
  selectInlineComments,
} from "../../src/report/review-comments.js";
import { renderSarif } from "../../src/report/sarif.js";
import { fingerprintOf } from "../../src/review/fingerprint.js";
import { unifiedPatch } from "../../src/review/memory.js";
import type { Finding, Review } from "../../src/review/types.js";
import { computeVerdict } from "../../src/review/verdict.js";

// The same Dockerfile generated per architecture, as in dotnet-docker.
const dockerfile = `${Array.from({ length: 11 }, (_, i) => `# line ${i + 1}`).join("\n")}\nFROM mcr.example/runtime-deps:8.0\n`;
const patch = unifiedPatch("", dockerfile);
const arch = (i: number) => `src/runtime/8.0/jammy/arch${String(i).padStart(2, "0")}/Dockerfile`;

function finding(path: string, over: Partial<Finding> = {}): Finding {
  const f: Finding = {
    ruleId: "docker/runs-as-root",
    severity: "high",
    path,
    line: 12,
    message: "The final stage runs as root: no USER after FROM.",
    anchor: "stage:final|FROM mcr.example/runtime-deps:8.0",
    fingerprint: "",
    ...over,
  };
  return { ...f, fingerprint: over.fingerprint ?? fingerprintOf(f.ruleId, f.path, f.anchor) };
}

const paths = Array.from({ length: 31 }, (_, i) => arch(i));
const copies = paths.map((p) => finding(p));
const patches = new Map(paths.map((p) => [p, patch] as const));
const SHA = "abcdef0123456789abcdef0123456789abcdef01";

function review(findings: Finding[]): Review {
  return {
    findings,
    suppressed: [],
    errors: [],
    verdict: computeVerdict(findings, [], "high"),
    stats: { filesInChange: findings.length, filesAnalysed: findings.length, filesSkipped: 0, bytesRead: 10 },
    dependencyChanges: [],
  };
}

/** What review-posting.ts treats as already said: every marker of our comments and review bodies. */
function alreadySaid(bodies: readonly string[]): Set<string> {
  return new Set(bodies.flatMap((b) => markedFingerprints(b)));
}

describe("grouping identical findings in several files", () => {
  it("31 copies of one finding are one inline comment on the first place, listing the others (bounded)", () => {
    const s = selectInlineComments([...copies].reverse(), patches, {
      max: 25,
      docsBaseUrl: "https://docs.example/r/",
    });
    expect(s.comments).toHaveLength(1);
    expect(s.inline).toHaveLength(31);
    expect(s.elsewhere).toEqual([]);
    const [c] = s.comments;
    expect({ path: c!.path, line: c!.line, side: c!.side }).toEqual({
      path: arch(0),
      line: 12,
      side: "RIGHT",
    });
    expect(c!.body).toBe(
      [
        "🟠 **high** · [`docker/runs-as-root`](https://docs.example/r/docker/runs-as-root.md)",
        "",
        "The final stage runs as root: no USER after FROM.",
        "",
        "Also in 30 other files: `src/runtime/8.0/jammy/arch01/Dockerfile:12`, `src/runtime/8.0/jammy/arch02/Dockerfile:12`, `src/runtime/8.0/jammy/arch03/Dockerfile:12`, `src/runtime/8.0/jammy/arch04/Dockerfile:12`, `src/runtime/8.0/jammy/arch05/Dockerfile:12`, `src/runtime/8.0/jammy/arch06/Dockerfile:12`, `src/runtime/8.0/jammy/arch07/Dockerfile:12`, `src/runtime/8.0/jammy/arch08/Dockerfile:12`, `src/runtime/8.0/jammy/arch09/Dockerfile:12`, `src/runtime/8.0/jammy/arch10/Dockerfile:12`, … and 20 more.",
        "",
        "<sub>Suppress with `/tollgate ignore docker/runs-as-root -- <reason>`.</sub>",
        ...copies.map((f) => `<!-- tollgate:fingerprint=${f.fingerprint} -->`),
      ].join("\n"),
    );
    // The commented place's marker first: it is the one a "fixed" reply is about.
    expect(markedFingerprints(c!.body)).toEqual(copies.map((f) => f.fingerprint));

    expect(reviewBody(s, { headSha: SHA })).toBe(
      "**Tollgate** found 31 new findings (31 high) in abcdef012345, shown as 1 because identical findings in several files are grouped. The full report is in the `tollgate` check run.",
    );
  });

  it("a later run with the same findings posts nothing new; a new copy gets its own comment", () => {
    const first = selectInlineComments(copies, patches, { max: 25 });
    const said = alreadySaid([...first.comments.map((c) => c.body), reviewBody(first, { headSha: SHA })]);
    expect(copies.filter((f) => !said.has(f.fingerprint))).toEqual([]);

    const added = finding(arch(31));
    const fresh = [...copies, added].filter((f) => !said.has(f.fingerprint));
    expect(fresh).toEqual([added]);
    const next = selectInlineComments(fresh, new Map([...patches, [arch(31), patch]]), { max: 25 });
    expect(next.comments.map((c) => c.path)).toEqual([arch(31)]);
    expect(next.comments[0]!.body).not.toContain("Also in");
    expect(markedFingerprints(next.comments[0]!.body)).toEqual([added.fingerprint]);
  });

  it("the same finding on places outside the diff is one review-body entry with every marker", () => {
    const s = selectInlineComments(copies, new Map(), { max: 25 });
    expect(s.comments).toEqual([]);
    const body = reviewBody(s, { headSha: SHA, docsBaseUrl: "https://docs.example/r/" });
    expect(body).toBe(
      [
        "**Tollgate** found 31 new findings (31 high) in abcdef012345, shown as 1 because identical findings in several files are grouped. The full report is in the `tollgate` check run.",
        "",
        "Not on a line of this diff, or over the inline comment limit:",
        "",
        `- 🟠 **high** [\`docker/runs-as-root\`](https://docs.example/r/docker/runs-as-root.md) \`${arch(0)}:12\`: The final stage runs as root: no USER after FROM. Also in 30 other files: ${paths
          .slice(1, 11)
          .map((p) => `\`${p}:12\``)
          .join(
            ", ",
          )}, … and 20 more. ${copies.map((f) => `<!-- tollgate:fingerprint=${f.fingerprint} -->`).join(" ")}`,
      ].join("\n"),
    );
    expect(markedFingerprints(body).sort()).toEqual(copies.map((f) => f.fingerprint).sort());
  });

  it("two different rules on the same places are not grouped together", () => {
    const two = paths.slice(0, 2);
    const findings = two.flatMap((p) => [
      finding(p),
      finding(p, { ruleId: "docker/missing-healthcheck", severity: "low", message: "No HEALTHCHECK." }),
    ]);
    const s = selectInlineComments(findings, patches, { max: 25 });
    expect(s.comments).toHaveLength(2);
    expect(s.comments.map((c) => markedFingerprints(c.body).length)).toEqual([2, 2]);
    expect(s.comments.map((c) => c.body.match(/`docker\/[a-z-]+`/)![0])).toEqual([
      "`docker/runs-as-root`",
      "`docker/missing-healthcheck`",
    ]);
    expect(s.comments[0]!.body).toContain(`Also in 1 other file: \`${arch(1)}:12\`.`);
  });

  it("the same rule with different anchors, messages, fixes or severities is not grouped", () => {
    const variants = [
      finding(arch(0)),
      finding(arch(1), { anchor: "stage:final|FROM mcr.example/runtime-deps:9.0" }),
      finding(arch(2), { message: "The final stage runs as root: USER root at line 12." }),
      finding(arch(3), { fix: "Add USER app." }),
      finding(arch(4), { severity: "low" }),
      finding(arch(5), { fixture: true }),
    ];
    expect(groupFindings(variants)).toHaveLength(6);
    const s = selectInlineComments(variants, patches, { max: 25 });
    expect(s.comments).toHaveLength(6);
    for (const c of s.comments) expect(c.body).not.toContain("Also in");
  });

  it("a message naming the finding's own file still groups; naming another file does not", () => {
    const own = [0, 1].map((i) => finding(arch(i), { message: `${arch(i)} ends as root.` }));
    expect(groupFindings(own).map((g) => g.findings.length)).toEqual([2]);
    const other = [0, 1].map((i) => finding(arch(i), { message: `Its base ${arch(7)} ends as root.` }));
    expect(groupFindings(other).map((g) => g.findings.length)).toEqual([2]);
    const differ = [0, 1].map((i) => finding(arch(i), { message: `Its base ${arch(i + 7)} ends as root.` }));
    expect(groupFindings(differ).map((g) => g.findings.length)).toEqual([1, 1]);
  });

  it("two identical findings in each copy stay two groups, each one per file", () => {
    const findings = [0, 1, 2].flatMap((i) => [
      finding(arch(i), { line: 12, fingerprint: fingerprintOf("docker/runs-as-root", arch(i), "x", 0) }),
      finding(arch(i), { line: 14, fingerprint: fingerprintOf("docker/runs-as-root", arch(i), "x", 1) }),
    ]);
    const groups = groupFindings(findings);
    expect(groups.map((g) => g.findings.map((f) => `${/arch\d+/.exec(f.path)![0]}:${f.line}`))).toEqual([
      ["arch00:12", "arch01:12", "arch02:12"],
      ["arch00:14", "arch01:14", "arch02:14"],
    ]);
  });

  it("max-comments counts groups, not findings", () => {
    const healthcheck = paths.map((p) =>
      finding(p, { ruleId: "docker/missing-healthcheck", severity: "low", message: "No HEALTHCHECK." }),
    );
    const s = selectInlineComments([...copies, ...healthcheck], patches, { max: 1 });
    expect(s.comments).toHaveLength(1);
    expect(s.inline).toHaveLength(31);
    expect(s.elsewhere).toHaveLength(31);
    const body = reviewBody(s, { headSha: SHA });
    expect(body.split("\n")[0]).toBe(
      "**Tollgate** found 62 new findings (31 high, 31 low) in abcdef012345, shown as 2 because identical findings in several files are grouped. The full report is in the `tollgate` check run.",
    );
    expect(body.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(1);
    expect(alreadySaid([s.comments[0]!.body, body]).size).toBe(62);
  });

  it("when GitHub rejects the inline comments, the review body lists the group once with every marker", () => {
    const s = selectInlineComments(copies, patches, { max: 25 });
    const body = reviewBody(s, { headSha: SHA, inlineRejected: true });
    expect(body.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(1);
    expect(body).toContain("Also in 30 other files:");
    expect(markedFingerprints(body)).toHaveLength(31);
  });

  it("a very large set of copies is split into bounded groups whose comments keep every marker", () => {
    const many = Array.from({ length: 450 }, (_, i) =>
      finding(`gen/${String(i).padStart(3, "0")}/Dockerfile`),
    );
    const s = selectInlineComments(many, new Map(many.map((f) => [f.path, patch] as const)), { max: 25 });
    expect(s.comments.map((c) => markedFingerprints(c.body).length)).toEqual([
      MAX_GROUP_SIZE,
      MAX_GROUP_SIZE,
      50,
    ]);
    for (const c of s.comments) expect(c.body.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(alreadySaid(s.comments.map((c) => c.body)).size).toBe(450);
    expect(s.comments[0]!.body).toContain("Also in 199 other files:");
    expect(s.comments[0]!.body).toContain("… and 189 more.");
  });
});

describe("fixed threads of a grouped comment", () => {
  const fps = copies.slice(0, 3).map((f) => f.fingerprint);
  const body = selectInlineComments(copies.slice(0, 3), patches, { max: 25 }).comments[0]!.body;

  it("is fixed only when every place it stands for is gone", () => {
    expect(fixedThread(body, new Set(fps), new Set())).toBeUndefined();
    expect(fixedThread(body, new Set(fps.slice(1)), new Set())).toBeUndefined();
    expect(fixedThread(body, new Set([fps[2]!]), new Set())).toBeUndefined();
    expect(fixedThread(body, new Set(), new Set())).toEqual(fps);
    expect(fixedThread(body, new Set(), new Set([fps[0]!]))).toBeUndefined();
  });

  it("the reply names the places and marks every fingerprint as announced", () => {
    const reply = fixedReplyBody(SHA, fps);
    expect(reply).toBe(
      [
        "✅ Fixed in abcdef012345: this finding is no longer reported in any of its 3 places.",
        ...fps.map((fp) => `<!-- tollgate:fixed=${fp} -->`),
      ].join("\n"),
    );
    expect(fixedFingerprints(reply)).toEqual(fps);
    expect(markedFingerprints(reply)).toEqual([]);
    expect(fixedReplyBody(SHA, fps[0]!)).toBe(fixedReplyBody(SHA, [fps[0]!]));
  });
});

describe("the markdown summary groups too; annotations, JSON and SARIF do not", () => {
  const r = review(copies);

  it("one row with the places, counts per finding", () => {
    const md = renderMarkdown(r, { docsBaseUrl: "https://docs.example/r/" });
    const rows = md.split("\n").filter((l) => l.startsWith("| 🟠"));
    expect(rows).toEqual([
      `| 🟠 high | [docker/runs-as-root](https://docs.example/r/docker/runs-as-root.md) | \`${arch(0)}:12\`<br>Also in 30 other files: ${paths
        .slice(1, 11)
        .map((p) => `\`${p}:12\``)
        .join(", ")}, … and 20 more. | The final stage runs as root: no USER after FROM. |`,
    ]);
    expect(md).toContain("## Tollgate: 31 new findings (31 high) — 31 at or above high");
    expect(md).toContain("| docker | 31 | 31 |");
    expect(md).toContain(
      "31 findings in 1 row: identical findings in several files are shown once, with their places.",
    );
  });

  it("a single finding renders as before, with no grouping line", () => {
    const md = renderMarkdown(review([copies[0]!]));
    expect(md).not.toContain("Also in");
    expect(md).not.toContain("shown once");
  });

  it("truncation counts the findings of dropped rows", () => {
    const big = Array.from({ length: 400 }, (_, g) =>
      [0, 1, 2].map((i) => finding(arch(i), { anchor: `a${g}`, message: `Problem ${g} ${"x".repeat(200)}` })),
    ).flat();
    const md = renderMarkdown(review(big), { maxLength: 20_000 });
    const shown = md.split("\n").filter((l) => l.startsWith("| 🟠")).length;
    const note = /_… (\d+) more findings not shown/.exec(md);
    expect(Number(note![1])).toBe((400 - shown) * 3);
  });

  it("annotations, JSON and SARIF keep one entry per finding", () => {
    expect(annotationsFor(r)).toHaveLength(31);
    expect((JSON.parse(renderJson(r)) as { findings: unknown[] }).findings).toHaveLength(31);
    const sarif = JSON.parse(renderSarif(r)) as { runs: Array<{ results: unknown[] }> };
    expect(sarif.runs[0]!.results).toHaveLength(31);
  });
});
