import { describe, expect, it } from "vitest";
import type { Check } from "../../src/checks/types.js";
import { decodeContent } from "../../src/review/content.js";
import { runReview } from "../../src/review/engine.js";
import { fileByteLimitForPath, isEnvFile } from "../../src/review/file-limits.js";
import { memoryFile } from "../../src/review/memory.js";
import { loadRuleCatalog } from "../../src/review/rules.js";
import type { ChangedFile, Review } from "../../src/review/types.js";
import { FAKES } from "../support/fakes.js";
import { config } from "../support/review.js";

/**
 * Files a pull request's author can make unreadable — a NUL byte, UTF-16,
 * padding, content that makes a check throw or run long — are still reviewed
 * (secrets in the decodable text) or, when they matter, fail the check with
 * meta/unreviewable-file.
 */

const token = FAKES["github-token"]!("unreviewable");
const aws = FAKES["aws-access-key"]!("unreviewable");
const envText = `# three keys\nGITHUB_TOKEN=${token}\nAWS_ACCESS_KEY_ID=${aws}\nDEBUG=1\n`;
const bytes = (s: string) => new TextEncoder().encode(s);
const offline = config({ deps: { vulnerabilities: "off" } });

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    out[2 + i * 2] = text.charCodeAt(i) & 0xff;
    out[3 + i * 2] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function utf16be(text: string): Uint8Array {
  const le = utf16le(text);
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

/** As git shows a file it calls binary: no patch, a `binary` hint, the bytes on request. */
function binaryHinted(path: string, head: Uint8Array, status: ChangedFile["status"] = "added"): ChangedFile {
  return {
    path,
    status,
    binary: true,
    size: head.length,
    loadHead: async () => head,
    loadBase: async () => null,
  };
}

/** As `tollgate scan` gives a file: every line is new, no patch. */
function scanned(path: string, head: Uint8Array | string): ChangedFile {
  return { path, status: "added", loadHead: async () => head, loadBase: async () => null };
}

const summary = (r: Review) => r.findings.map((f) => [f.path, f.ruleId, f.line]);
const notes = (r: Review) => r.errors.map((e) => [e.level, e.path, e.message]);

describe("secrets in text a NUL byte or an encoding would have hidden", () => {
  const nulEnv = `${envText}#\u0000`;

  it("a .env ending in #\\0: found from the patch (git diff --text) in review mode", async () => {
    const r = await runReview({ files: [memoryFile(".env", null, nulEnv)] }, { config: offline });
    expect(summary(r)).toEqual([
      [".env", "secrets/github-token", 2],
      [".env", "secrets/aws-access-key", 3],
    ]);
    expect(r.verdict.conclusion).toBe("failure");
  });

  it("a .env ending in #\\0: found when git calls it binary and gives no patch, and in scan mode", async () => {
    for (const [file, mode] of [
      [binaryHinted(".env", bytes(nulEnv)), "diff"],
      [scanned(".env", bytes(nulEnv)), "scan"],
    ] as const) {
      const r = await runReview({ files: [file] }, { config: offline, mode });
      expect(summary(r), mode).toEqual([
        [".env", "secrets/github-token", 2],
        [".env", "secrets/aws-access-key", 3],
      ]);
      expect(notes(r)).toEqual([
        [
          "warning",
          ".env",
          `holds NUL bytes (the first at byte ${nulEnv.indexOf("\u0000")}): searched for secrets with each NUL read as a separator`,
        ],
      ]);
    }
  });

  it("a UTF-16 .env (LE and BE, with a byte order mark) is decoded, in review and scan mode", async () => {
    for (const encoded of [utf16le(envText), utf16be(envText)]) {
      for (const [file, mode] of [
        [binaryHinted("config/.env.production", encoded), "diff"],
        [scanned("config/.env.production", encoded), "scan"],
      ] as const) {
        const r = await runReview({ files: [file] }, { config: offline, mode });
        expect(summary(r), mode).toEqual([
          ["config/.env.production", "secrets/github-token", 2],
          ["config/.env.production", "secrets/aws-access-key", 3],
        ]);
      }
    }
  });

  it("a modified UTF-16 .env whose patch git wrote byte by byte (--text): the decoded versions are diffed", async () => {
    const asPatchText = (b: Uint8Array) => new TextDecoder().decode(b);
    const base = utf16le("DEBUG=1\n");
    const head = utf16le(`DEBUG=1\n${envText}`);
    const file: ChangedFile = {
      path: ".env",
      status: "modified",
      patch: `@@ -1 +1,5 @@\n${asPatchText(head)
        .split("\n")
        .map((l) => `+${l}`)
        .join("\n")}\n`,
      loadHead: async () => head,
      loadBase: async () => base,
    };
    const r = await runReview({ files: [file] }, { config: offline });
    expect(summary(r)).toEqual([
      [".env", "secrets/github-token", 3],
      [".env", "secrets/aws-access-key", 4],
    ]);
    expect(notes(r)).toEqual([["info", ".env", "read as UTF-16 LE text"]]);
  });

  it("ASCII text in UTF-16 without a byte order mark is decoded too", () => {
    const le = utf16le(envText).subarray(2);
    expect(decodeContent(le, 1_000_000)).toMatchObject({
      kind: "text",
      text: envText,
      encoding: "UTF-16 LE",
    });
  });

  it("a file of unknown kind with NULs between its values: each NUL separates, lines keep their numbers", async () => {
    const head = `HEADER\u0000\u0000\u0000key=${token}\u0000\u0000\nsecond line\u0000${aws}\n`;
    for (const [file, mode] of [
      [memoryFile("data/blob.xyz", null, head), "diff"],
      [binaryHinted("data/blob.xyz", bytes(head)), "diff"],
      [scanned("data/blob.xyz", bytes(head)), "scan"],
    ] as const) {
      const r = await runReview({ files: [file] }, { config: offline, mode });
      expect(summary(r), `${mode} ${file.patch === undefined ? "no patch" : "patch"}`).toEqual([
        ["data/blob.xyz", "secrets/github-token", 1],
        ["data/blob.xyz", "secrets/aws-access-key", 2],
      ]);
    }
  });

  it("secrets are searched in the added lines of a file over every bound, without reading it whole", async () => {
    let reads = 0;
    const file: ChangedFile = {
      ...memoryFile("notes/huge.txt", "old\n", `old\nTOKEN=${token}\n`),
      size: 200_000_000,
      loadHead: async () => {
        reads++;
        return null;
      },
    };
    const r = await runReview({ files: [file] }, { config: offline });
    expect(summary(r)).toEqual([["notes/huge.txt", "secrets/github-token", 2]]);
    expect(reads).toBe(0);
  });
});

describe("binary files", () => {
  const png = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  ]);

  it("a PNG of no family is skipped with an info note, not a finding", async () => {
    for (const file of [binaryHinted("docs/logo.png", png), scanned("docs/logo.png", png)]) {
      const r = await runReview({ files: [file] }, { config: offline });
      expect(r.findings).toEqual([]);
      expect(notes(r)).toEqual([["info", "docs/logo.png", "binary file (PNG image), not analysed"]]);
      expect(r.verdict.conclusion).toBe("success");
    }
  });

  it("a PNG whose patch git wrote as text (--text) is skipped too", async () => {
    const file: ChangedFile = {
      path: "docs/logo.png",
      status: "added",
      // As a patch decodes: the 0x89 of the signature is not UTF-8.
      patch: "@@ -0,0 +1,3 @@\n+\uFFFDPNG\r\n+\u001a\n+\u0000\u0000\u0000\rIHDR\n",
      loadHead: async () => png,
      loadBase: async () => null,
    };
    const r = await runReview({ files: [file] }, { config: offline });
    expect(r.findings).toEqual([]);
    expect(notes(r)).toEqual([["info", "docs/logo.png", "binary file (PNG image), not analysed"]]);
  });

  it("a binary Dockerfile fails the check, whatever the host says about it", async () => {
    for (const file of [
      binaryHinted("Dockerfile", png),
      { ...binaryHinted("Dockerfile", png), binary: false },
      scanned("Dockerfile", png),
    ]) {
      const r = await runReview({ files: [file] }, { config: offline });
      expect(r.findings.map((f) => [f.ruleId, f.severity, f.line, f.message])).toEqual([
        ["meta/unreviewable-file", "high", 1, "Dockerfile cannot be reviewed: it is binary (PNG image)."],
      ]);
      expect(r.verdict.conclusion).toBe("failure");
    }
  });

  it("a Dockerfile with one NUL byte fails the check and is still searched for secrets", async () => {
    const head = `FROM alpine:3.20\nENV GITHUB_TOKEN=${token}\nRUN echo hi #\u0000\n`;
    const r = await runReview({ files: [memoryFile("Dockerfile", null, head)] }, { config: offline });
    const found = r.findings.map((f) => [f.ruleId, f.line]);
    expect(found).toContainEqual(["meta/unreviewable-file", 1]);
    expect(found).toContainEqual(["secrets/github-token", 2]);
    expect(r.findings.find((f) => f.ruleId === "meta/unreviewable-file")!.message).toBe(
      `Dockerfile cannot be reviewed: it holds NUL bytes (the first at byte ${head.indexOf("\u0000")}), so it is binary, not the text its tools read.`,
    );
  });

  it("a removed binary Dockerfile is not unreviewable", async () => {
    const file: ChangedFile = {
      path: "Dockerfile",
      status: "removed",
      binary: true,
      loadHead: async () => null,
      loadBase: async () => png,
    };
    const r = await runReview({ files: [file] }, { config: offline });
    expect(r.findings).toEqual([]);
  });

  it("UTF-32 is not decoded: a .env in it fails, a text file of no family gets a note", async () => {
    const utf32 = new Uint8Array([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]);
    const r = await runReview(
      { files: [scanned(".env", utf32), scanned("notes.txt", utf32)] },
      { config: offline, mode: "scan" },
    );
    expect(r.findings.map((f) => [f.path, f.message])).toEqual([
      [
        ".env",
        ".env cannot be reviewed: it is UTF-32 text (byte order mark), which Tollgate does not decode.",
      ],
    ]);
    expect(notes(r)).toEqual([
      [
        "info",
        "notes.txt",
        "it is UTF-32 text (byte order mark), which Tollgate does not decode, not analysed",
      ],
    ]);
  });
});

describe("size is not a bypass", () => {
  const injection = [
    "on: pull_request_target",
    "jobs:",
    "  greet:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template
    '      - run: echo "${{ github.event.pull_request.title }}"',
    `      - run: echo ${token}`,
  ].join("\n");

  it("a workflow padded past its bound fails the check with its exact size, and its added lines are still searched", async () => {
    const padded = `${injection}\n${"#".repeat(5_000_000)}\n`;
    const r = await runReview(
      { files: [memoryFile(".github/workflows/pr.yml", null, padded)] },
      { config: offline },
    );
    expect(summary(r)).toEqual([
      [".github/workflows/pr.yml", "meta/unreviewable-file", 1],
      [".github/workflows/pr.yml", "secrets/github-token", 7],
    ]);
    expect(r.findings[0]!.message).toBe(
      `.github/workflows/pr.yml cannot be reviewed: ${padded.length.toLocaleString("en-US")} bytes is over the 5,000,000-byte limit (max-file-bytes-by-family.actions).`,
    );
    expect(r.verdict).toMatchObject({ conclusion: "failure", blocking: 2 });
  });

  it("the bound is configurable; a size the loader could not finish reading is 'at least'", async () => {
    const cfg = config({
      deps: { vulnerabilities: "off" },
      "max-file-bytes-by-family": { actions: 1_000_000 },
    });
    const padded = `${injection}\n${"#".repeat(1_000_417 - injection.length - 2)}\n`;
    expect(padded.length).toBe(1_000_417);
    const sized = { ...memoryFile(".github/workflows/pr.yml", null, padded), size: padded.length };
    const truncated = { ...memoryFile(".github/workflows/pr.yml", null, padded.slice(0, 1_000_001)) };
    const [a, b] = await Promise.all([
      runReview({ files: [sized] }, { config: cfg }),
      runReview({ files: [truncated] }, { config: cfg }),
    ]);
    expect(a.findings[0]!.message).toBe(
      ".github/workflows/pr.yml cannot be reviewed: 1,000,417 bytes is over the 1,000,000-byte limit (max-file-bytes-by-family.actions).",
    );
    expect(b.findings[0]!.message).toBe(
      ".github/workflows/pr.yml cannot be reviewed: at least 1,000,001 bytes is over the 1,000,000-byte limit (max-file-bytes-by-family.actions).",
    );
    // Anchored by the kind of reason, not the size: the same finding across pushes.
    expect(a.findings[0]!.fingerprint).toBe(b.findings[0]!.fingerprint);
  });

  it("a file already too large at base is still reported when the change touches it", async () => {
    const cfg = config({ deps: { vulnerabilities: "off" }, "max-file-bytes-by-family": { docker: 1024 } });
    const big = `FROM alpine:3.20\n${"# pad\n".repeat(400)}`;
    const r = await runReview(
      { files: [memoryFile("Dockerfile", big, `${big}RUN echo more\n`)] },
      { config: cfg },
    );
    expect(summary(r)).toEqual([["Dockerfile", "meta/unreviewable-file", 1]]);
  });

  it("an inline suppression in the unreadable file does not excuse it", async () => {
    const cfg = config({ deps: { vulnerabilities: "off" }, "max-file-bytes-by-family": { docker: 1024 } });
    const head = `# tollgate:ignore-file meta/unreviewable-file -- generated\nFROM alpine:3.20\n${"# pad\n".repeat(400)}`;
    const r = await runReview({ files: [memoryFile("Dockerfile", null, head)] }, { config: cfg });
    expect(r.findings.map((f) => f.ruleId)).toContain("meta/unreviewable-file");
    expect(r.suppressed).toEqual([]);
  });

  it("a YAML file no path claims is read to the Kubernetes bound, and one over it that starts like a manifest fails", async () => {
    const k8sCheck: Check = {
      kind: "snapshot",
      name: "test/k8s",
      families: ["k8s"],
      rules: [],
      run: () => [],
    };
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${"# pad\n".repeat(1_700_000)}`;
    expect(manifest.length).toBeGreaterThan(10_000_000);
    const r = await runReview(
      {
        files: [
          scanned("deploy/crds.yaml", bytes(manifest)),
          scanned("data/big.yaml", bytes(`a: 1\n${"# pad\n".repeat(1_700_000)}`)),
        ],
      },
      { config: offline, checks: [k8sCheck], mode: "scan" },
    );
    expect(r.findings.map((f) => [f.path, f.message])).toEqual([
      [
        "deploy/crds.yaml",
        `deploy/crds.yaml cannot be reviewed: ${manifest.length.toLocaleString("en-US")} bytes is over the 10,000,000-byte limit (max-file-bytes-by-family.k8s).`,
      ],
    ]);
    expect(notes(r)).toEqual([
      [
        "info",
        "data/big.yaml",
        "10,200,005 bytes is over the 10,000,000-byte limit (max-file-bytes-by-family.k8s), not analysed",
      ],
    ]);
  });

  it("bounds per family: lockfiles 25 MB, Kubernetes-like YAML 10 MB, workflows 5 MB, Dockerfiles 2 MB, the rest 1 MB", () => {
    const limit = (path: string) => fileByteLimitForPath(offline, path);
    expect(limit("pnpm-lock.yaml")).toEqual({ bytes: 25_000_000, key: "deps.max-file-bytes" });
    expect(limit("deploy/crds.yaml")).toEqual({ bytes: 10_000_000, key: "max-file-bytes-by-family.k8s" });
    expect(limit("infra/main.tf")).toEqual({ bytes: 10_000_000, key: "max-file-bytes-by-family.tf" });
    expect(limit(".github/workflows/ci.yml")).toEqual({
      bytes: 5_000_000,
      key: "max-file-bytes-by-family.actions",
    });
    expect(limit("Dockerfile")).toEqual({ bytes: 2_000_000, key: "max-file-bytes-by-family.docker" });
    expect(limit("CODEOWNERS")).toEqual({ bytes: 3_000_000, key: "max-file-bytes-by-family.meta" });
    expect(limit("src/index.ts")).toEqual({ bytes: 1_000_000, key: "max-file-bytes" });
    expect([".env", ".env.local", "prod.env", "a/b/.ENV"].every(isEnvFile)).toBe(true);
    expect(["env.ts", ".envrc", "environment.yml"].some(isEnvFile)).toBe(false);
  });
});

describe("checks that throw or run long", () => {
  const throwing: Check = {
    kind: "snapshot",
    name: "test/throws",
    families: ["docker"],
    rules: [],
    run() {
      throw new TypeError(
        `Cannot read properties of undefined (reading 'x') near ${token}\n    at parse (x.js:1:1)`,
      );
    },
  };

  it("a check that throws on a Dockerfile fails the check, naming the check and the error's first line, scrubbed", async () => {
    const catalog = await loadRuleCatalog();
    const r = await runReview(
      { files: [memoryFile("Dockerfile", null, "FROM alpine:3.20\n")] },
      { config: offline, catalog, checks: [throwing] },
    );
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.line, f.message])).toEqual([
      [
        "meta/unreviewable-file",
        "high",
        1,
        `Dockerfile cannot be reviewed: the check test/throws failed: Cannot read properties of undefined (reading 'x') near ${token.slice(0, 4)}…(40 chars).`,
      ],
    ]);
    expect(r.errors).toEqual([]);
  });

  function slowCheck(name: string, advance: number, clock: { t: number }, ran: string[] = []): Check {
    return {
      kind: "change",
      name,
      families: ["docker"],
      rules: [],
      run() {
        ran.push(name);
        clock.t += advance;
        return [];
      },
    };
  }

  it("past max-file-ms the remaining checks do not run and the file fails the check (injected clock)", async () => {
    const clock = { t: 0 };
    const ran: string[] = [];
    const checks = [
      slowCheck("test/slow-1", 1500, clock, ran),
      slowCheck("test/slow-2", 700, clock, ran),
      slowCheck("test/never-1", 0, clock, ran),
      slowCheck("test/never-2", 0, clock, ran),
    ];
    const r = await runReview(
      { files: [memoryFile("Dockerfile", null, "FROM alpine:3.20\n"), memoryFile("notes.txt", null, "x\n")] },
      { config: offline, checks, now: () => clock.t },
    );
    expect(ran).toEqual(["test/slow-1", "test/slow-2"]);
    expect(r.findings.map((f) => [f.path, f.ruleId, f.message])).toEqual([
      [
        "Dockerfile",
        "meta/unreviewable-file",
        "Dockerfile cannot be reviewed: its checks took 2,200 ms, over the 2,000 ms budget (max-file-ms), and test/never-1, test/never-2 did not run.",
      ],
    ]);
  });

  it("the budget is configurable and a file within it is reviewed in full", async () => {
    const clock = { t: 0 };
    const checks = [slowCheck("test/slow-1", 1500, clock), slowCheck("test/slow-2", 700, clock)];
    const r = await runReview(
      { files: [memoryFile("Dockerfile", null, "FROM alpine:3.20\n")] },
      { config: config({ "max-file-ms": 5000 }), checks, now: () => clock.t },
    );
    expect(r.findings).toEqual([]);
    expect(clock.t).toBe(2200);
  });

  it("a large file earns max-file-ms for each MB of its text, so a big lockfile is reviewed in full", async () => {
    const clock = { t: 0 };
    const ran: string[] = [];
    const big = `FROM alpine:3.20\n${"# padding padding padding padding\n".repeat(100_000)}`; // 3.4 MB
    const within = await runReview(
      { files: [memoryFile("Dockerfile", null, big)] },
      {
        config: config({ "max-file-bytes-by-family": { docker: 5_000_000 } }),
        checks: [slowCheck("test/slow-1", 3000, clock, ran), slowCheck("test/slow-2", 0, clock, ran)],
        now: () => clock.t,
      },
    );
    expect(ran).toEqual(["test/slow-1", "test/slow-2"]);
    expect(within.findings).toEqual([]);

    const over = await runReview(
      { files: [memoryFile("Dockerfile", null, big)] },
      {
        config: config({ "max-file-bytes-by-family": { docker: 5_000_000 } }),
        checks: [slowCheck("test/slow-1", 7000, clock), slowCheck("test/slow-2", 0, clock)],
        now: () => clock.t,
      },
    );
    expect(over.findings.map((f) => f.message)).toEqual([
      "Dockerfile cannot be reviewed: its checks took 7,000 ms, over the 6,800 ms budget (max-file-ms for each MB of its text), and test/slow-2 did not run.",
    ]);
  });
});
