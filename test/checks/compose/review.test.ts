// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose text uses ${VAR}
import { describe, expect, it } from "vitest";
import { findingsIn, pairs, reviewCompose } from "./support.js";

/** The compose family through the real engine: what a user sees on a pull request. */

const STACK = `name: shop
x-defaults: &defaults
  restart: unless-stopped
  cap_add:
    - SYS_ADMIN

services:
  db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: Xk29vQpLm4TzR8wn
    ports:
      - "5432:5432"
  cache:
    <<: *defaults
    image: redis
    ports:
      - "127.0.0.1:6379:6379"
  agent:
    image: registry.example.com/agent:2.1
    privileged: true
    pid: host
    security_opt: [seccomp:unconfined]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - /etc:/host/etc:ro
      - ./data:/data
`;

describe("compose review", () => {
  it("reports each problem of a realistic new file at the line that says it", async () => {
    expect(await findingsIn(STACK)).toEqual([
      ["compose/dangerous-capabilities", 5],
      ["compose/hardcoded-secret-env", 11],
      ["compose/exposed-database-port", 13],
      ["compose/unpinned-image", 16],
      ["compose/privileged", 21],
      ["compose/host-namespaces", 22],
      ["compose/unconfined-security-opt", 23],
      ["compose/docker-socket-mount", 25],
      ["compose/sensitive-host-volume", 26],
    ]);
  });

  it("names the service, the port and the fix; severities follow the policy; secrets are redacted", async () => {
    const review = await reviewCompose([{ path: "docker-compose.yml", head: STACK }]);
    const by = Object.fromEntries(review.findings.map((f) => [f.ruleId, f]));
    expect(by["compose/exposed-database-port"]!.message).toContain(
      "Service `db` publishes container port 5432 (PostgreSQL) on host port 5432 on every interface of the host",
    );
    expect(by["compose/exposed-database-port"]!.severity).toBe("medium");
    expect(by["compose/exposed-database-port"]!.fix).toBe(
      'Bind it to the host\'s loopback (`"127.0.0.1:5432:5432"`), or drop `ports:` and reach it over the Compose network.',
    );
    expect(by["compose/privileged"]!.severity).toBe("critical");
    expect(by["compose/docker-socket-mount"]!.severity).toBe("critical");
    expect(by["compose/docker-socket-mount"]!.message).toContain("`:ro` does not help");
    expect(by["compose/dangerous-capabilities"]!.message).toContain(
      "Service `cache` adds the `SYS_ADMIN` capability",
    );
    expect(by["compose/hardcoded-secret-env"]!.evidence).toBe("POSTGRES_PASSWORD=Xk29…(16 chars)");
    expect(JSON.stringify(review)).not.toContain("Xk29vQpLm4TzR8wn");
    expect(by["compose/hardcoded-secret-env"]!.anchor).not.toContain("Xk29vQpLm4TzR8wn");
  });

  it("reports nothing new when services are only reordered, moved or reformatted", async () => {
    const head = `name: shop
x-defaults: &defaults
  cap_add: [SYS_ADMIN]
  restart: unless-stopped

services:
  agent:
    security_opt:
      - "seccomp:unconfined"
    volumes: ["./data:/data", "/etc:/host/etc:ro", {type: bind, source: /var/run/docker.sock, target: /var/run/docker.sock, read_only: true}]
    pid: "host"
    privileged: true
    image: registry.example.com/agent:2.1
  cache:
    ports: ["127.0.0.1:6379:6379"]
    image: "redis"
    <<: *defaults
  db:
    ports:
      - 5432:5432
    environment:
      - POSTGRES_PASSWORD=Xk29vQpLm4TzR8wn
    image: postgres:16.4
`;
    expect(await findingsIn(head, STACK)).toEqual([]);
  });

  it("reports a value that changed: privileged false to true, a port unbound from loopback", async () => {
    const base = `services:
  db:
    image: postgres:16.4
    privileged: false
    ports: ["127.0.0.1:5432:5432"]
`;
    const head = base.replace("privileged: false", "privileged: true").replace("127.0.0.1:5432", "5432");
    expect(await findingsIn(head, base)).toEqual([
      ["compose/privileged", 4],
      ["compose/exposed-database-port", 5],
    ]);
  });

  it("reports an existing problem again when a new service inherits it", async () => {
    const base = `x-base: &base
  privileged: true
services:
  a:
    <<: *base
    image: registry.example.com/a:1
`;
    const head = `${base}  b:
    <<: *base
    image: registry.example.com/b:1
`;
    const review = await reviewCompose([{ path: "docker-compose.yml", base, head }]);
    expect(pairs(review)).toEqual([["compose/privileged", 2]]);
    expect(review.findings[0]!.message).toContain("Service `b` runs privileged");
  });

  it("does not report a database port bound to loopback, in any syntax", async () => {
    const head = `services:
  db:
    image: postgres:16.4
    ports:
      - "127.0.0.1:5432:5432"
      - "[::1]:5433:5432"
      - "::1:5434:5432"
      - 127.0.0.2:5435:5432
      - target: 6379
        published: 6379
        host_ip: 127.0.0.1
      - "\${BIND_ADDR:-127.0.0.1}:3306:3306"
      - "8080:80"
`;
    expect(await findingsIn(head)).toEqual([]);
  });

  it("resolves extends within the file and merges its lists", async () => {
    const head = `services:
  base:
    image: registry.example.com/base:1
    cap_add: [NET_ADMIN]
    environment:
      API_TOKEN: tok_live_9f8e7d6c5b4a3921
  web:
    extends:
      service: base
    cap_add: [SYS_PTRACE]
    environment:
      API_TOKEN: \${API_TOKEN}
  other:
    extends:
      file: common.yml
      service: web
    image: registry.example.com/other:1
`;
    const review = await reviewCompose([{ path: "compose.yaml", head }]);
    expect(pairs(review)).toEqual([
      ["compose/dangerous-capabilities", 4],
      ["compose/dangerous-capabilities", 4],
      ["compose/hardcoded-secret-env", 6],
      ["compose/dangerous-capabilities", 10],
    ]);
    const inherited = review.findings.find((f) => f.line === 4 && f.message.includes("`web`"));
    expect(inherited?.message).toContain("(inherited from `base` through `extends`)");
    expect(inherited?.anchor).toBe("service:web/cap_add/NET_ADMIN");
  });

  it("reads the first file format (services at the top) and multi-document files", async () => {
    const head = `web:
  image: nginx:latest
  net: host
db:
  image: mysql:8.4
  ports: ["3306:3306"]
---
services:
  x:
    image: registry.example.com/x:1
    ipc: host
`;
    expect(await findingsIn(head)).toEqual([
      ["compose/unpinned-image", 2],
      ["compose/exposed-database-port", 6],
      ["compose/host-namespaces", 11],
    ]);
  });

  it("reports invalid YAML once as a parse error at its line, and a non-mapping file", async () => {
    expect(await findingsIn("services:\n  web:\n    image: [nginx\n")).toEqual([["meta/parse-error", 4]]);
    expect(await findingsIn("- just\n- a list\n")).toEqual([["meta/parse-error", 1]]);
  });

  it("answers an alias bomb and a huge file quickly, within bounds", async () => {
    const bomb = [
      "x-a: &a [privileged, privileged, privileged, privileged, privileged, privileged, privileged, privileged, privileged]",
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `x-${i + 1}: &a${i + 1} [${Array(9)
            .fill(i === 0 ? "*a" : `*a${i}`)
            .join(", ")}]`,
      ),
      "services:",
      "  web:",
      "    image: nginx:1.27",
      "    cap_add: *a20",
      "    security_opt: *a20",
      "    environment: *a20",
    ].join("\n");
    const review = await reviewCompose([{ path: "docker-compose.yml", head: bomb }]);
    expect(pairs(review).filter(([r]) => r !== "meta/parse-error")).toEqual([]);
    const many = `services:\n${Array.from({ length: 1_200 }, (_, i) => `  s${i}: {image: nginx:1.27}\n`).join("")}`;
    const big = await reviewCompose([{ path: "docker-compose.yml", head: many }]);
    expect(big.findings.map((f) => f.message)).toEqual([expect.stringContaining("more than 1000 services")]);
  });
});

describe("compose bad input", () => {
  it("answers 100k-deep nesting and 10,000 documents with one parse error, quickly", async () => {
    const deep = `services:\n  web:\n    image: nginx:1.27\n    labels: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    const review = await reviewCompose([{ path: "docker-compose.yml", head: deep }]);
    expect(review.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ["meta/parse-error", expect.stringContaining("nested deeper than")],
    ]);
    const docs = "---\nservices: {web: {image: nginx:1.27}}\n".repeat(10_000);
    const many = await reviewCompose([{ path: "docker-compose.yml", head: docs }]);
    expect(many.findings.map((f) => f.message)).toEqual([
      expect.stringContaining("more than 100 YAML documents"),
    ]);
  });
});

describe("compose merge keys and paths", () => {
  it("merges a list of anchors, explicit keys and earlier sources winning, at the line each value is written", async () => {
    const head = `x-a: &a
  privileged: false
  cap_add: [SYS_ADMIN]
x-b: &b
  privileged: true
  network_mode: host
services:
  app:
    <<: [*a, *b]
    image: registry.example.com/app:1.0
  tool:
    <<: [*b]
    privileged: false
    image: registry.example.com/tool:1.0
`;
    const review = await reviewCompose([{ path: "compose.override.yaml", head }]);
    expect(review.findings.map((f) => [f.ruleId, f.line, f.anchor])).toEqual([
      ["compose/dangerous-capabilities", 3, "service:app/cap_add/SYS_ADMIN"],
      ["compose/host-namespaces", 6, "service:app/network_mode"],
      ["compose/host-namespaces", 6, "service:tool/network_mode"],
    ]);
  });

  it("reviews every Compose file name and nothing else", async () => {
    const file = "services:\n  s:\n    image: registry.example.com/s:1\n    privileged: true\n";
    for (const path of [
      "docker-compose.yml",
      "deploy/docker-compose.prod.yaml",
      "docker-compose-dev.yml",
      "compose.yaml",
      "compose.override.yaml",
      "ops/compose-ci.yml",
    ]) {
      const review = await reviewCompose([{ path, head: file }]);
      expect(
        review.findings.map((f) => f.ruleId),
        path,
      ).toEqual(["compose/privileged"]);
    }
    const other = await reviewCompose([{ path: "config/services.yml", head: file }]);
    expect(other.findings).toEqual([]);
  });
});
