#!/usr/bin/env node
/**
 * Extracts the GitHub REST operations Tollgate calls from GitHub's OpenAPI
 * description into test/fixtures/github/openapi-subset.json, with every
 * `$ref` they reach. The contract tests validate each request the app makes
 * against this subset, so a request the real API would reject fails a test.
 *
 * @octokit/openapi is 385 MB unpacked, so it is not a dependency. Regenerate with:
 *
 *   mkdir -p /tmp/oa && cd /tmp/oa && npm init -y && npm i @octokit/openapi@23
 *   node scripts/extract-openapi-subset.mjs /tmp/oa/node_modules/@octokit/openapi/generated/api.github.com.json
 *
 * Responses and examples are dropped: the tests validate requests only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** method → paths. Keep in sync with src/app/gateway.ts (and the slash-command work). */
const OPERATIONS = {
  get: [
    "/app",
    "/repos/{owner}/{repo}",
    "/repos/{owner}/{repo}/pulls/{pull_number}",
    "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
    "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    "/repos/{owner}/{repo}/contents/{path}",
    "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    "/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    "/repos/{owner}/{repo}/collaborators/{username}/permission",
  ],
  post: [
    "/app/installations/{installation_id}/access_tokens",
    "/repos/{owner}/{repo}/check-runs",
    "/repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest",
    "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
    "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
  ],
  patch: [
    "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    "/repos/{owner}/{repo}/pulls/comments/{comment_id}",
  ],
  put: ["/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"],
};

const source = process.argv[2];
if (!source) {
  console.error("usage: extract-openapi-subset.mjs <path to api.github.com.json>");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(source, "utf8"));

const out = {
  openapi: spec.openapi,
  info: {
    title: spec.info.title,
    version: spec.info.version,
    description: `Subset extracted by scripts/extract-openapi-subset.mjs from ${spec.info.title} ${spec.info.version}`,
  },
  paths: {},
  components: {},
};

const pending = [];
function collectRefs(node) {
  if (Array.isArray(node)) for (const v of node) collectRefs(v);
  else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") pending.push(node.$ref);
    for (const [k, v] of Object.entries(node)) if (k !== "examples" && k !== "example") collectRefs(v);
  }
}

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (!node || typeof node !== "object") return node;
  const copy = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "examples" || k === "example" || k === "x-github") continue;
    copy[k] = strip(v);
  }
  return copy;
}

for (const [method, paths] of Object.entries(OPERATIONS)) {
  for (const path of paths) {
    const op = spec.paths[path]?.[method];
    if (!op) throw new Error(`not in the description: ${method.toUpperCase()} ${path}`);
    const kept = strip({
      operationId: op.operationId,
      parameters: op.parameters ?? [],
      requestBody: op.requestBody,
    });
    kept.responses = { default: { description: "not extracted" } };
    out.paths[path] ??= {};
    out.paths[path][method] = kept;
    collectRefs(kept);
  }
}

const seen = new Set();
while (pending.length > 0) {
  const ref = pending.pop();
  if (seen.has(ref)) continue;
  seen.add(ref);
  const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
  if (!m) throw new Error(`unexpected $ref ${ref}`);
  const [, kind, name] = m;
  const value = strip(spec.components[kind][name]);
  out.components[kind] ??= {};
  out.components[kind][name] = value;
  collectRefs(value);
}

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "test",
  "fixtures",
  "github",
  "openapi-subset.json",
);
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${target}: ${Object.keys(out.paths).length} paths, ${seen.size} components`);
