// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions are the test data here
import { describe, expect, it } from "vitest";
import { annotationsFor, checkRunOutput, checkRunTitle } from "../../src/report/check-run.js";
import { reviewToJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { commentBody, reviewBody, selectInlineComments } from "../../src/report/review-comments.js";
import { reviewToSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { runReview } from "../../src/review/engine.js";
import { memoryChangeSet } from "../../src/review/memory.js";
import type { Review } from "../../src/review/types.js";
import { FAKES } from "../support/fakes.js";
import { config } from "../support/review.js";

/**
 * "No secret in any field, by construction": a credential planted in every
 * kind of input a pull request controls — a Dockerfile's ARG, ENV and RUN
 * URLs, a workflow's run:, a package-lock resolved URL, a pnpm tarball, a
 * requirements index URL, a file path, a note, a suppression reason, a line a
 * parser chokes on — appears in no field of any output: the Review itself,
 * JSON, SARIF, markdown, text, the check run (title, summary, annotations)
 * and the review the app posts (inline comments and body). The fakes are
 * assembled at run time, so the repository holds none.
 */

const gh = (seed: string) => FAKES["github-token"]!(`no-echo-${seed}`);
const pw = (seed: string) => FAKES["random-password"]!(`no-echo-${seed}`);

const SECRETS = {
  dockerArg: FAKES["npm-token"]!("no-echo-arg"),
  dockerEnv: FAKES["aws-secret-key"]!("no-echo-env"),
  dockerRunUrlPassword: pw("run-url"),
  dockerRunHeader: gh("run-header"),
  dockerAddUrl: gh("add-url"),
  workflowRun: gh("workflow-run"),
  workflowUrlPassword: pw("workflow-url"),
  packageLockResolved: gh("package-lock"),
  pnpmTarball: gh("pnpm"),
  requirementsIndex: pw("requirements"),
  pathSegment: gh("path"),
  dependencyPath: gh("dependency-path"),
  note: gh("note"),
  suppressionReason: gh("suppression"),
  parseErrorWorkflow: gh("parse-workflow"),
  parseErrorManifest: gh("parse-manifest"),
};
const S = SECRETS;

const pnpmLock = (packages: string) =>
  `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.0.0\n        version: 1.3.0\n\npackages:\n\n${packages}`;

const packageLock = (extra: string) =>
  `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app", "dependencies": { "lodash": "^4.17.21" } },\n    "node_modules/lodash": {\n      "version": "4.17.21",\n      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n      "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="\n    }${extra}\n  }\n}\n`;

const FILES = [
  {
    path: "Dockerfile",
    head: [
      "FROM node:20",
      `ARG NPM_TOKEN=${S.dockerArg}`,
      `ENV AWS_SECRET_ACCESS_KEY=${S.dockerEnv}`,
      `RUN curl -fsSL https://deploy:${S.dockerRunUrlPassword}@artifacts.corp.example/install.sh | sh`,
      `RUN curl -fsSL -H "Authorization: token ${S.dockerRunHeader}" https://tools.corp.example/setup.sh | bash`,
      `ADD https://files.corp.example/app.tgz?token=${S.dockerAddUrl} /app.tgz`,
      "",
    ].join("\n"),
  },
  {
    path: ".github/workflows/pr.yml",
    head: [
      "on: pull_request_target",
      "jobs:",
      "  greet:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with:",
      "          ref: ${{ github.event.pull_request.head.sha }}",
      "      - run: |",
      '          echo "${{ github.event.pull_request.title }}"',
      `          curl -H "Authorization: Bearer ${S.workflowRun}" https://api.corp.example/x | sh`,
      "      - run: |",
      `          curl -fsSL "https://bot:${S.workflowUrlPassword}@tools.corp.example/i.sh" | bash`,
      "",
    ].join("\n"),
  },
  {
    path: "package-lock.json",
    base: packageLock(""),
    head: packageLock(
      `,\n    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "https://npm.corp.example/left-pad/-/left-pad-1.3.0.tgz?token=${S.packageLockResolved}",\n      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQjnoQ8CfwWwbr5jeNy2tdtnDXIKXLcL8nEk3vVJOqzdNJ8Q=="\n    }`,
    ),
  },
  {
    path: "pnpm-lock.yaml",
    base: pnpmLock("  left-pad@1.3.0:\n    resolution: {integrity: sha512-abc}\n"),
    head: pnpmLock(
      `  left-pad@1.3.0: {resolution: {tarball: 'https://registry.example/left-pad.tgz?token=${S.pnpmTarball}'}}\n  right-pad@1.0.0: *m0\n`,
    ),
  },
  {
    path: "requirements.txt",
    head: `--index-url https://ci:${S.requirementsIndex}@pypi.corp.example/simple\nrequests==2.31.0\n`,
  },
  {
    path: `scripts/${S.pathSegment}/deploy.sh`,
    head: `#!/bin/sh\ncurl -fsSL https://get.corp.example/install.sh | sh\nexport AWS_SECRET_ACCESS_KEY=${S.dockerEnv}\n`,
  },
  {
    path: `packages/${S.dependencyPath}/package.json`,
    base: '{\n  "name": "sub",\n  "dependencies": {}\n}\n',
    head: '{\n  "name": "sub",\n  "dependencies": { "expresss": "^4.18.2", "shelljs": "*" }\n}\n',
  },
  {
    path: ".github/workflows/broken.yml",
    head: `on: push\njobs:\n  a: [\n    token: ${S.parseErrorWorkflow} {\n`,
  },
  {
    path: "services/api/package.json",
    head: `{\n  "name": "api",\n  "config": { "token": "${S.parseErrorManifest}" ,,\n`,
  },
];

async function review(): Promise<Review> {
  return runReview(memoryChangeSet(FILES), {
    config: config({ deps: { vulnerabilities: "off" } }),
    notes: [
      {
        level: "warning",
        message: `/tollgate ignore could not be applied: unknown rule in "ignore x -- token ${S.note}"`,
      },
    ],
    suppressions: [
      {
        ruleId: "*",
        path: "requirements.txt",
        reason: `accepted, the mirror token is ${S.suppressionReason}`,
        by: "maintainer",
        at: "2026-01-01T00:00:00Z",
      },
    ],
  });
}

/** Every serialised output, each as the structure that is sent or printed. */
function outputs(r: Review): Record<string, unknown> {
  const patches = new Map(memoryChangeSet(FILES).files.map((f) => [f.path, f.patch]));
  const selection = selectInlineComments(r.findings, patches, { max: 50 });
  return {
    review: r,
    json: reviewToJson(r),
    sarif: reviewToSarif(r),
    markdown: renderMarkdown(r),
    text: renderText(r),
    checkRunTitle: checkRunTitle(r),
    checkRun: checkRunOutput(r),
    annotations: annotationsFor(r),
    inlineComments: selection.comments,
    commentBodies: r.findings.map((f) => commentBody(f)),
    reviewBody: reviewBody(selection, { headSha: "0123456789abcdef0123" }),
    reviewBodyRejected: reviewBody(selection, { headSha: "0123456789abcdef0123", inlineRejected: true }),
  };
}

/** Every string leaf of a value (keys too), with where it sits. */
function strings(value: unknown, at: string, out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) strings(value[i], `${at}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push([`${at}{key}`, k]);
      strings(v, `${at}.${k}`, out);
    }
  }
  return out;
}

/** The secret, or any 12-character piece of it after the 4 characters redaction shows. */
function leaked(text: string, secret: string): boolean {
  if (text.includes(secret)) return true;
  for (let i = 4; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) return true;
  return false;
}

describe("no secret in any field of any output", () => {
  it("plants a secret in every input kind and finds none in any field", async () => {
    const r = await review();
    const leaks: string[] = [];
    const all = outputs(r);
    for (const [format, value] of Object.entries(all)) {
      // Each field on its own, and the serialised whole (what a reader or the API sees).
      const fields = [
        ...strings(value, format),
        [`${format} (serialised)`, JSON.stringify(value)] as [string, string],
      ];
      for (const [where, text] of fields) {
        for (const [name, secret] of Object.entries(SECRETS)) {
          if (leaked(text, secret)) leaks.push(`${name} at ${where}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it("is not vacuous: every planted input is reported, redacted", async () => {
    const r = await review();
    const rules = new Set(r.findings.map((f) => f.ruleId));
    for (const id of [
      "actions/script-injection",
      "deps/non-registry-source",
      "docker/remote-script-pipe-to-shell",
      "meta/parse-error",
      "secrets/github-token",
    ]) {
      expect(rules).toContain(id);
    }
    console.log(
      JSON.stringify(r.findings.filter((f) => f.path.includes("pnpm") || f.path.includes("package-lock"))),
    );
    // The pnpm flow-mapping entry is left-pad at 1.3.0 (its tarball a source); the alias is no version.
    const pnpm = r.dependencyChanges.filter((c) => c.path === "pnpm-lock.yaml");
    expect(pnpm.map((c) => [c.name, c.from, c.to])).toEqual([
      ["left-pad", "1.3.0", "1.3.0"],
      ["right-pad", undefined, "1.0.0"],
    ]);
    expect(r.dependencyChanges.some((c) => c.path.startsWith("packages/ghp_…(40 chars)/"))).toBe(true);
    expect(r.findings.some((f) => f.path === "scripts/ghp_…(40 chars)/deploy.sh")).toBe(true);
    expect(r.suppressed.length).toBeGreaterThan(0);
    expect(r.suppressed[0]!.suppression.reason).toBe("accepted, the mirror token is ghp_…(40 chars)");
    expect(r.errors.some((n) => n.message.includes("token ghp_…(40 chars)"))).toBe(true);
    // The tarball is in the finding's anchor (kept for fingerprints), and scrubbed there too.
    expect(r.findings.map((f) => f.anchor)).toContain(
      "left-pad:url:https://registry.example/left-pad.tgz?token=ghp_…(40 chars)",
    );
  });
});
