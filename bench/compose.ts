import { parseAllDocuments } from "yaml";
import { checks } from "../src/checks/compose/checks.generated.js";
import type { CheckContext } from "../src/checks/types.js";
import { configSchema } from "../src/review/config.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import { boundLine, runSnapshotChecks, timeIt } from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * Compose checks on synthetic but realistic files — an anchor of defaults
 * merged into most services, `extends`, every port and volume syntax, a few
 * problems — against the cost to beat: `yaml`'s `parseAllDocuments` on the
 * same files. Then hostile shapes: thousands of services merging one anchor
 * (each alias used to walk the whole document) and a long `extends` chain.
 */

const TARGET_RATIO = 1.2;
const TARGET_HOSTILE_MS = 2_000;

function composeFile(n: number): string {
  const tag = n % 6 === 0 ? "latest" : `1.${n % 20}.${n % 7}`;
  const bind = n % 4 === 0 ? "" : "127.0.0.1:";
  return `name: app-${n}

x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: json-file
    options:
      max-size: "10m"
      max-file: "3"
  networks: [backend]
  security_opt:
    - no-new-privileges:true

x-healthcheck: &healthcheck
  interval: 10s
  timeout: 3s
  retries: 5

services:
  api:
    <<: *defaults
    image: registry.example.com/team/api:${tag}
    build:
      context: ./api
      args:
        NODE_ENV: production
    environment:
      DATABASE_URL: postgres://app:\${POSTGRES_PASSWORD}@db:5432/app
      REDIS_URL: redis://cache:6379/0
      LOG_LEVEL: info
      API_TOKEN: \${API_TOKEN}
    ports:
      - "8080:8080"
      - target: 9090
        published: "9090"
        host_ip: 127.0.0.1
        protocol: tcp
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
    healthcheck:
      <<: *healthcheck
      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]
  worker:
    extends: api
    command: ["node", "worker.js"]
    ports: []
    cap_add: [NET_BIND_SERVICE${n % 9 === 0 ? ", SYS_ADMIN" : ""}]
  db:
    <<: *defaults
    image: postgres:16.${n % 5}
    environment:
      - POSTGRES_USER=app
      - POSTGRES_PASSWORD=\${POSTGRES_PASSWORD:?set it}
      - POSTGRES_DB=app
    ports:
      - "${bind}5432:5432"
    volumes:
      - db-data:/var/lib/postgresql/data
      - ./initdb:/docker-entrypoint-initdb.d:ro
    healthcheck:
      <<: *healthcheck
      test: ["CMD-SHELL", "pg_isready -U app"]
  cache:
    <<: *defaults
    image: redis:7.${n % 4}-alpine
    command: ["redis-server", "--appendonly", "yes"]
    ports:
      - "127.0.0.1:6379:6379"
    volumes:
      - type: volume
        source: cache-data
        target: /data
  proxy:
    <<: *defaults
    image: traefik:v3.${n % 3}
    ports:
      - "80:80"
      - "443:443"
    volumes:
      - ./traefik.yml:/etc/traefik/traefik.yml:ro${n % 7 === 0 ? "\n      - /var/run/docker.sock:/var/run/docker.sock:ro" : ""}
${n % 11 === 0 ? "    privileged: true\n" : ""}
volumes:
  db-data: {}
  cache-data: {}

networks:
  backend: {}
`;
}

function manyMergedServices(): string {
  const lines = [
    "x-d: &d {restart: always, cap_add: [NET_BIND_SERVICE], ports: ['127.0.0.1:5432:5432']}",
    "services:",
  ];
  for (let i = 0; i < 1_000; i++) lines.push(`  s${i}: {<<: *d, image: "registry.example.com/s:${i}"}`);
  return `${lines.join("\n")}\n`;
}

function longExtendsChains(): string {
  const lines = ["services:", "  s0: {image: nginx:1.27, privileged: true}"];
  for (let i = 1; i < 1_000; i++) lines.push(`  s${i}: {extends: s${i - 1}}`);
  return `${lines.join("\n")}\n`;
}

function runAll(path: string, text: string, ctx: CheckContext): number {
  return runSnapshotChecks(checks, path, text, ctx);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<BenchLine[]> {
  const ctx: CheckContext = {
    config: configSchema.parse({}),
    catalog: await loadRuleCatalog(),
    mode: "diff",
    services: {},
    note: () => {},
    dependencyChange: () => {},
  };
  const files = Array.from({ length: 500 }, (_, i) => composeFile(i));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  const mb = bytes / 1048576;
  const checkAll = () => files.reduce((n, f, i) => n + runAll(`s${i}/docker-compose.yml`, f, ctx), 0);
  const parseAll = () => {
    for (const f of files) parseAllDocuments(f);
  };
  // Warm both paths before measuring: the first pass compiles the parser and the checks.
  const cold = timeIt(checkAll);
  for (let r = 0; r < 2; r++) {
    checkAll();
    parseAll();
  }
  // Interleaved, so a busy neighbour on the machine weighs on both alike.
  const checkRuns: number[] = [];
  const parseRuns: number[] = [];
  let findings = 0;
  for (let r = 0; r < 7; r++) {
    const c = timeIt(checkAll);
    checkRuns.push(c.ms);
    findings = c.result;
    parseRuns.push(timeIt(parseAll).ms);
  }
  const checkMs = median(checkRuns);
  const parseMs = median(parseRuns);
  const ratio = checkMs / parseMs;

  const hostile = [
    { name: "compose: 1,000 services (the bound) merging one anchor", text: manyMergedServices() },
    { name: "compose: extends chains over 1,000 services", text: longExtendsChains() },
  ].map(({ name, text }) => {
    const { ms } = timeIt(() => runAll("hostile/docker-compose.yml", text, ctx));
    return boundLine(name, ms, TARGET_HOSTILE_MS);
  });

  return [
    {
      name: `compose: ${files.length} realistic files, all ${checks.length - 1} rules (warm, median of 7)`,
      value: round(mb / (checkMs / 1000)),
      unit: "MB/s",
    },
    {
      name: "compose: same files, yaml parseAllDocuments alone",
      value: round(mb / (parseMs / 1000)),
      unit: "MB/s",
    },
    {
      name: "compose: family time / parseAllDocuments time (×100)",
      value: Math.round(ratio * 100),
      unit: "count",
      target: `≤ ${TARGET_RATIO * 100}`,
      ok: ratio <= TARGET_RATIO,
    },
    { name: "compose: first pass (cold)", value: round(mb / (cold.ms / 1000)), unit: "MB/s" },
    { name: "compose: findings on the realistic files", value: findings, unit: "count" },
    ...hostile,
  ];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
