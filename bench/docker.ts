import { checks } from "../src/checks/docker/checks.generated.js";
import type { CheckContext, FileChange } from "../src/checks/types.js";
import { ParseError } from "../src/checks/types.js";
import { parseDockerfile } from "../src/formats/dockerfile.js";
import { configSchema } from "../src/review/config.js";
import { TextVersion } from "../src/review/content.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import { boundLine, timeIt } from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * Docker checks on synthetic input: a few hundred realistic multi-stage
 * Dockerfiles (continuations, heredocs, ARG-driven FROMs, a few problems),
 * then hostile shapes — a 1 MB RUN chained over thousands of continuation
 * lines, a 1 MB file of one-line instructions, and unbalanced shell quoting —
 * which must stay linear.
 */

const TARGET_MB_PER_S = 10;
const TARGET_HOSTILE_MS = 2_000;

function dockerfile(n: number): string {
  const tag = n % 5 === 0 ? "latest" : `20.${n % 12}-bookworm-slim`;
  return `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:${tag}
ARG APP_VERSION=1.${n}.0

FROM \${NODE_IMAGE} AS deps
WORKDIR /src
ENV NODE_ENV=production \\
    NPM_CONFIG_LOGLEVEL=warn \\
    APP_VERSION=\${APP_VERSION}
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \\
    --mount=type=secret,id=npmrc,target=/root/.npmrc \\
    npm ci --omit=dev --no-audit --no-fund

FROM \${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN npm run build \\
 && npm prune --omit=dev \\
 && rm -rf /src/test /src/docs${n % 7 === 0 ? " \\\n && curl -fsSL https://get.example.com/tool.sh | sh" : ""}

FROM debian:12-slim AS runtime
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 curl=7.88.1-10+deb12u5 \\
 && rm -rf /var/lib/apt/lists/*${n % 9 === 0 ? " \\\n && chmod -R 777 /srv" : ""}
RUN <<EOF
set -eux
groupadd --gid 10001 app
useradd --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
mkdir -p /srv/app/data && chown -R app:app /srv/app
EOF
COPY --from=build --chown=10001:10001 /src/dist /srv/app
COPY --from=build --chown=10001:10001 /src/node_modules /srv/app/node_modules
WORKDIR /srv/app
EXPOSE 8080${n % 11 === 0 ? " 22" : ""}
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1
USER ${n % 13 === 0 ? "root" : "10001"}
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]
`;
}

function hugeRun(): string {
  const lines = ["FROM debian:12-slim", "RUN set -eux \\"];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const line = ` && echo "step ${i}" | tee -a /var/log/build.log > /dev/null \\`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push(" && true", "USER 10001");
  return `${lines.join("\n")}\n`;
}

function manyInstructions(): string {
  const lines = ["FROM alpine:3.20"];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const line =
      i % 3 === 0 ? `ENV VAR_${i}=value-${i}` : i % 3 === 1 ? `RUN echo ${i} >> /log` : `LABEL n${i}="${i}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

function unbalanced(): string {
  const body = `$( "' \`${"$(".repeat(20_000)}${"'a".repeat(20_000)}`;
  return `FROM alpine:3.20\nRUN ${body}\nUSER 10001\n`;
}

/** Findings of review-level checks (runs-as-root sees every Dockerfile of a change), counted when they settle. */
let reviewFindings: Promise<number>[] = [];

function runAll(path: string, text: string, ctx: CheckContext): number {
  const file = new TextVersion(path, text);
  let n = 0;
  for (const check of checks) {
    try {
      if (check.kind === "snapshot") n += check.run(file, ctx).length;
      else if (check.kind === "review") {
        // Its work is synchronous inside the async function, so the timing includes it.
        const change: FileChange = {
          path,
          status: "added",
          families: ["docker"],
          head: file,
          hunks: [],
          added: new Map(),
          removed: new Map(),
        };
        reviewFindings.push(check.run([change], ctx).then((r) => r.length));
      }
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      n++;
    }
  }
  return n;
}

async function settledReviewFindings(): Promise<number> {
  const counts = await Promise.all(reviewFindings);
  reviewFindings = [];
  return counts.reduce((a, b) => a + b, 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<BenchLine[]> {
  const ctx: CheckContext = {
    config: configSchema.parse({ docker: { "trusted-registries": ["docker.io", "registry.example.com"] } }),
    catalog: await loadRuleCatalog(),
    mode: "diff",
    services: {},
    note: () => {},
    dependencyChange: () => {},
  };
  const files = Array.from({ length: 400 }, (_, i) => dockerfile(i));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  // The first pass over the files includes compiling the parser and checks; it is reported on its own.
  const cold = timeIt(() => files.reduce((n, f, i) => n + runAll(`cold${i}/Dockerfile`, f, ctx), 0));
  cold.result += await settledReviewFindings();
  for (let r = 0; r < 3; r++)
    for (const [i, f] of files.entries()) runAll(`warm${r}/${i}/Dockerfile`, f, ctx);

  const runs = Array.from({ length: 5 }, () =>
    timeIt(() => files.reduce((n, f, i) => n + runAll(`svc${i}/Dockerfile`, f, ctx), 0)),
  );
  await settledReviewFindings();
  const typicalMs = median(runs.map((r) => r.ms));
  const parseMs = median(
    Array.from(
      { length: 5 },
      () =>
        timeIt(() => {
          for (const f of files) parseDockerfile(f);
        }).ms,
    ),
  );
  const mbps = bytes / 1048576 / (typicalMs / 1000);

  const hostile = [
    { name: "docker: 1 MB RUN over ~15k continuation lines", text: hugeRun() },
    { name: "docker: 1 MB of ~40k one-line instructions", text: manyInstructions() },
    { name: "docker: RUN with 20k unbalanced quotes and $(", text: unbalanced() },
  ].map(({ name, text }) => {
    const { ms } = timeIt(() => runAll("hostile/Dockerfile", text, ctx));
    return boundLine(name, ms, TARGET_HOSTILE_MS);
  });

  return [
    {
      name: "docker: realistic multi-stage Dockerfiles, all 15 rules (warm, median of 5)",
      value: round(mbps),
      unit: "MB/s",
      target: `≥ ${TARGET_MB_PER_S} MB/s`,
      ok: mbps >= TARGET_MB_PER_S,
    },
    {
      name: "docker: same, first pass (cold: compilation and JIT warm-up)",
      value: round(bytes / 1048576 / (cold.ms / 1000)),
      unit: "MB/s",
    },
    {
      name: "docker: realistic Dockerfiles checked",
      value: Math.round(files.length / (typicalMs / 1000)),
      unit: "files/s",
    },
    {
      name: "docker: of which parsing alone",
      value: round(bytes / 1048576 / (parseMs / 1000)),
      unit: "MB/s",
    },
    { name: "docker: findings on the realistic Dockerfiles", value: runs[0]!.result, unit: "count" },
    ...hostile,
  ];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
