import { memoryFile } from "../src/review/memory.js";
import type { ChangeSet } from "../src/review/types.js";

/**
 * Synthetic but realistic changes: Dockerfiles, workflows, Kubernetes
 * manifests, lockfiles and source files, each modified by a patch that touches
 * a few percent of its lines (as a typical pull request does).
 */

let seed = 42;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

function dockerfile(i: number): string {
  return [
    "# syntax=docker/dockerfile:1",
    `ARG NODE_VERSION=20.${i % 12}`,
    "FROM node:${NODE_VERSION}-bookworm AS build",
    "WORKDIR /app",
    "COPY package.json package-lock.json ./",
    "RUN npm ci --omit=dev \\",
    "    && npm cache clean --force",
    "COPY . .",
    "RUN npm run build",
    "",
    `FROM node:20.${i % 12}-bookworm-slim`,
    "WORKDIR /app",
    "COPY --from=build /app/dist ./dist",
    "COPY --from=build /app/node_modules ./node_modules",
    "EXPOSE 8080",
    "USER node",
    'CMD ["node", "dist/server.js"]',
    "",
  ].join("\n");
}

function workflow(i: number): string {
  return [
    `name: ci-${i}`,
    "on:",
    "  pull_request:",
    "  push:",
    "    branches: [main]",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  test:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "        with:",
    "          persist-credentials: false",
    "      - uses: actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af # v4.1.0",
    "        with:",
    "          node-version: 20",
    "      - run: npm ci",
    "      - name: Test",
    "        run: |",
    "          npm test -- --reporter=dot",
    "          npm run lint",
    "",
  ].join("\n");
}

function manifest(i: number): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: svc-${i}`,
    "spec:",
    "  replicas: 2",
    "  template:",
    "    spec:",
    "      containers:",
    `        - name: svc-${i}`,
    `          image: registry.example.com/svc-${i}:1.${i % 9}.0`,
    "          securityContext:",
    "            runAsNonRoot: true",
    "            allowPrivilegeEscalation: false",
    "            readOnlyRootFilesystem: true",
    "          resources:",
    "            limits: { cpu: 500m, memory: 256Mi }",
    "",
  ].join("\n");
}

const WORDS = [
  "user",
  "order",
  "payment",
  "cache",
  "client",
  "request",
  "handler",
  "config",
  "stream",
  "token",
];

function source(i: number, lines: number): string {
  const out = [`// module ${i}`, 'import { readFile } from "node:fs/promises";', ""];
  for (let n = 0; n < lines; n++) {
    const w = pick(WORDS);
    out.push(
      n % 9 === 0
        ? `export async function load${w[0]!.toUpperCase()}${w.slice(1)}${n}(id: string): Promise<string> {`
        : n % 9 === 8
          ? "}"
          : `  const ${w}${n} = await readFile(\`./data/\${id}/${w}-${n}.json\`, "utf8"); // ${w} lookup`,
    );
  }
  return `${out.join("\n")}\n`;
}

function lockfile(entries: number): string {
  const packages: Record<string, unknown> = { "": { name: "app", version: "1.0.0" } };
  for (let n = 0; n < entries; n++) {
    const name = `${pick(WORDS)}-lib-${n}`;
    packages[`node_modules/${name}`] = {
      version: `1.${n % 20}.${n % 7}`,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-1.${n % 20}.${n % 7}.tgz`,
      integrity: `sha512-${Buffer.from(`${name}${n}`).toString("base64").padEnd(86, "A")}==`,
    };
  }
  return `${JSON.stringify({ name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** Changes ~3% of lines: edits, insertions and deletions spread through the file. */
function mutate(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (const l of lines) {
    const r = rand();
    if (r < 0.01) continue;
    if (r < 0.02) out.push(`${l} // edited`);
    else out.push(l);
    if (r > 0.99) out.push("  // added line");
  }
  return out.join("\n");
}

export interface SyntheticChange {
  changeSet: ChangeSet;
  bytes: number;
}

export function syntheticChange(files: number): SyntheticChange {
  seed = 42 + files;
  const specs: Array<{ path: string; base: string | null; head: string }> = [];
  for (let i = 0; i < files; i++) {
    const kind = i % 20;
    let path: string;
    let base: string;
    if (kind === 0) {
      path = `services/s${i}/Dockerfile`;
      base = dockerfile(i);
    } else if (kind === 1 || kind === 2) {
      path = `.github/workflows/ci-${i}.yml`;
      base = workflow(i);
    } else if (kind === 3 || kind === 4) {
      path = `deploy/k8s/svc-${i}.yaml`;
      base = manifest(i);
    } else if (kind === 5 && i % 100 === 5) {
      path = `packages/p${i}/package-lock.json`;
      base = lockfile(400);
    } else {
      path = `src/m${i}/${pick(WORDS)}.ts`;
      base = source(i, 60 + Math.floor(rand() * 200));
    }
    const added = rand() < 0.15;
    specs.push({ path, base: added ? null : base, head: mutate(base) });
  }
  const changeSet: ChangeSet = { files: specs.map((s) => memoryFile(s.path, s.base, s.head)) };
  const bytes = specs.reduce(
    (n, s) => n + Buffer.byteLength(s.head) + (s.base ? Buffer.byteLength(s.base) : 0),
    0,
  );
  return { changeSet, bytes };
}
