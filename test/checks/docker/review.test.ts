// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text uses ${VAR}
import { describe, expect, it } from "vitest";
import { ALL_ON, findingsIn, pairs, reviewDocker } from "./support.js";

/** The docker family through the real engine: what a user sees on a pull request. */

const SERVICE = `# syntax=docker/dockerfile:1
FROM node:latest
WORKDIR /app
COPY package*.json ./
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \\
 && apt-get install -y nodejs
COPY . .
RUN npm ci --omit=dev
EXPOSE 3000
CMD ["node", "server.js"]
`;

describe("docker review", () => {
  it("reports exactly the problems of a realistic new Dockerfile, at their lines", async () => {
    expect(await findingsIn(SERVICE)).toEqual([
      ["docker/runs-as-root", 2],
      ["docker/unpinned-base-image", 2],
      ["docker/remote-script-pipe-to-shell", 5],
    ]);
  });

  it("names the problem and the fix in the message", async () => {
    const review = await reviewDocker([{ path: "Dockerfile", head: SERVICE }]);
    const byRule = Object.fromEntries(review.findings.map((f) => [f.ruleId, f]));
    expect(byRule["docker/unpinned-base-image"]!.message).toBe(
      "`FROM node:latest` uses the moving `latest` tag and can change under you at any build; pin a version tag (and ideally a digest): `FROM node:<version>@sha256:…`.",
    );
    expect(byRule["docker/unpinned-base-image"]!.column).toBe(6);
    expect(byRule["docker/unpinned-base-image"]!.fix).toBe(
      "Pin a version tag (and ideally a digest): `FROM node:<version>@sha256:…`.",
    );
    expect(byRule["docker/runs-as-root"]!.message).toContain(
      "sets no `USER` and the Docker official `node` image sets no user, so the container runs as root; add `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`.",
    );
    expect(byRule["docker/runs-as-root"]!.severity).toBe("medium");
    expect(byRule["docker/remote-script-pipe-to-shell"]!.message).toContain(
      "`curl -fsSL https://deb.nodesource.com/setup_20.x | bash -` runs a script fetched from the network in `bash`",
    );
  });

  it("does not report a problem that was already there on an unchanged line", async () => {
    const head = SERVICE.replace("EXPOSE 3000", "EXPOSE 8080");
    const review = await reviewDocker([{ path: "Dockerfile", base: SERVICE, head }]);
    expect(pairs(review)).toEqual([]);
  });

  it("does not report a bad line that only moved", async () => {
    const base = "FROM debian:12-slim\nRUN apt-get update\nRUN chmod 777 /srv\nUSER 10001\n";
    const head =
      "FROM debian:12-slim\nRUN apt-get update\nRUN mkdir -p /opt/a\nRUN mkdir -p /opt/b\nRUN mkdir -p /opt/c\nRUN chmod 777 /srv\nUSER 10001\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head }]))).toEqual([]);
  });

  it("reports a bad line that changed, and a second copy of one", async () => {
    const base = "FROM debian:12-slim\nRUN chmod 777 /srv\nUSER 10001\n";
    const changed = "FROM debian:12-slim\nRUN chmod 777 /srv /var/www\nUSER 10001\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head: changed }]))).toEqual([
      ["docker/world-writable-permissions", 2],
    ]);
    const copied = "FROM debian:12-slim\nRUN chmod 777 /srv\nUSER 10001\nRUN chmod 777 /srv\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head: copied }]))).toEqual([
      ["docker/world-writable-permissions", 4],
    ]);
  });

  it("keeps untouched commands of an edited RUN quiet and reports the edited one", async () => {
    const base =
      "FROM debian:12-slim\nRUN apt-get update \\\n && curl -k https://a.example/x -o /x\nUSER 10001\n";
    const head =
      "FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --force-yes jq \\\n && curl -k https://a.example/x -o /x\nUSER 10001\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head }]))).toEqual([
      ["docker/package-signature-bypass", 3],
    ]);
  });

  it("reports runs-as-root when a change removes the last USER", async () => {
    const base = "FROM python:3.12-slim\nCOPY app.py /app/\nUSER 10001\n";
    const head = "FROM python:3.12-slim\nCOPY app.py /app/\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head }]))).toEqual([
      ["docker/runs-as-root", 1],
    ]);
  });

  it("does not re-report base-image findings when a builder stage is added in front", async () => {
    const base = "FROM node\nCOPY . /app\nCMD node /app\n";
    const head =
      "FROM golang:1.22 AS tools\nRUN go install example.com/tool@v1.0.0\nFROM node\nCOPY . /app\nCMD node /app\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", base, head }]))).toEqual([]);
  });

  it("reviews Containerfile, *.dockerfile and Dockerfile.* but not other files", async () => {
    const head = "FROM alpine\nUSER 10001\n";
    const review = await reviewDocker([
      { path: "Containerfile", head },
      { path: "build/api.dockerfile", head },
      { path: "deploy/Dockerfile.prod", head },
      { path: "README.md", head },
    ]);
    expect(review.findings.map((f) => `${f.path}:${f.line} ${f.ruleId}`).sort()).toEqual([
      "Containerfile:1 docker/unpinned-base-image",
      "build/api.dockerfile:1 docker/unpinned-base-image",
      "deploy/Dockerfile.prod:1 docker/unpinned-base-image",
    ]);
  });

  it("reports what Docker cannot build as meta/parse-error and still checks the rest", async () => {
    const head = "FROM alpine:3.20\nEXPOSE 22\nRUN <<EOF\necho never closed\n";
    const review = await reviewDocker([{ path: "Dockerfile", head }]);
    expect(pairs(review)).toEqual([
      ["docker/runs-as-root", 1],
      ["docker/expose-ssh", 2],
      ["meta/parse-error", 3],
    ]);
    const parse = review.findings.find((f) => f.ruleId === "meta/parse-error")!;
    expect(parse.message).toBe(
      "Dockerfile could not be parsed: heredoc <<EOF is never terminated: add a line containing only EOF",
    );
  });

  it("reports an instruction before FROM as a parse error at its line", async () => {
    const review = await reviewDocker([
      { path: "Dockerfile", head: "# base\nRUN echo hi\nFROM alpine:3.20\nUSER app\n" },
    ]);
    expect(pairs(review)).toEqual([["meta/parse-error", 2]]);
  });

  it("is lenient with unknown instructions and templated files", async () => {
    const head = "FROM alpine:3.20\n{{ if .Debug }}\nFROBNICATE now\nUSER app\n";
    expect(pairs(await reviewDocker([{ path: "Dockerfile", head }]))).toEqual([]);
  });

  it("never puts a secret into findings, messages or evidence", async () => {
    const secret = "Zq8xT2vLm9PkR4wYc7Nb";
    const head = [
      "FROM alpine:3.20",
      `ARG GITHUB_TOKEN=${secret}`,
      `ENV DB_PASSWORD=${secret}`,
      `RUN echo 'root:${secret}' | chpasswd`,
      `RUN curl -k -H "Authorization: token ${secret}" https://api.example.com/x`,
      `RUN curl -u deploy:${secret} https://files.example.com/install.sh | sh`,
      "USER app",
    ].join("\n");
    const review = await reviewDocker([{ path: "Dockerfile", head }]);
    expect(pairs(review)).toEqual([
      ["docker/secret-in-build", 2],
      ["docker/secret-in-build", 3],
      ["docker/hardcoded-password-change", 4],
      ["docker/tls-verification-disabled", 5],
      ["docker/remote-script-pipe-to-shell", 6],
    ]);
    const { anchor: _a, ...withoutAnchor } = review.findings[0]!;
    const visible = JSON.stringify(review.findings.map(({ anchor: _x, ...f }) => f));
    expect(withoutAnchor.evidence).toBe("GITHUB_TOKEN=Zq8x…(20 chars)");
    expect(visible).not.toContain(secret);
    expect(visible).not.toContain(secret.slice(4));
  });

  it("gets through hostile shapes (the suite's timeout would catch quadratic work)", async () => {
    const n = 200_000;
    const hostile = [
      `# escape=${" ".repeat(n)}x`,
      `ARG BASE=${"${A:-".repeat(n / 5)}`,
      `FROM ${"${A:-".repeat(n / 5)}`,
      `RUN pip config ${"config ".repeat(n / 7)}`,
      `RUN echo ${"'a".repeat(n / 2)}`,
      `RUN curl -k ${"https://u:p@h".repeat(n / 13)}`,
      `COPY ${"a/".repeat(n / 2)}id_rsa /x`,
      "USER app",
    ].join("\n");
    const review = await reviewDocker([{ path: "Dockerfile", head: hostile }], {
      config: { "max-file-bytes": 5_000_000 },
    });
    expect(pairs(review).map(([id]) => id)).toEqual([
      "docker/tls-verification-disabled",
      "docker/secret-in-build",
    ]);
    const tls = review.findings.find((f) => f.ruleId === "docker/tls-verification-disabled")!;
    expect(tls.message.length).toBeLessThan(400);
  });

  it("stays quiet on a careful official-image-style Dockerfile", async () => {
    const head = [
      "FROM debian:bookworm-slim",
      "ENV NODE_VERSION=20.19.0 GPG_KEY=4ED778F539E3634C779C87C6D7062848A1AB005C",
      'RUN ARCH= && dpkgArch="$(dpkg --print-architecture)" \\',
      '  && case "${dpkgArch##*-}" in \\',
      "    amd64) ARCH='x64';; \\",
      "    arm64) ARCH='arm64';; \\",
      '    *) echo "unsupported architecture"; exit 1 ;; \\',
      "  esac \\",
      "  && set -ex \\",
      "  && for key in \\",
      "    C0D6248439F1D5604AAFFB4021D900FD6CCC5B1B \\",
      "  ; do \\",
      '      gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \\',
      '      gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \\',
      "  done \\",
      '  && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz" \\',
      '  && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc" \\',
      "  && gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc \\",
      '  && grep " node-v$NODE_VERSION-linux-$ARCH.tar.xz\\$" SHASUMS256.txt | sha256sum -c - \\',
      '  && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local --strip-components=1 --no-same-owner \\',
      "  && ln -s /usr/local/bin/node /usr/local/bin/nodejs \\",
      "  && node --version",
      "RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node",
      "USER node",
      'CMD ["node"]',
    ].join("\n");
    const review = await reviewDocker([{ path: "Dockerfile", head }]);
    expect(pairs(review)).toEqual([]);
    expect(review.errors).toEqual([]);
  });

  it("handles CRLF files", async () => {
    const head = "FROM node:latest\r\nRUN chmod 777 /app \\\r\n && echo ok\r\nUSER node\r\n";
    expect(await findingsIn(head)).toEqual([
      ["docker/unpinned-base-image", 1],
      ["docker/world-writable-permissions", 2],
    ]);
  });

  it("honours inline suppressions with a reason", async () => {
    const head =
      "FROM ubuntu:24.04\n# tollgate:ignore docker/expose-ssh -- this image is the bastion\nEXPOSE 22\nUSER app\n";
    const review = await reviewDocker([{ path: "Dockerfile", head }]);
    expect(pairs(review)).toEqual([]);
    expect(review.suppressed.map((f) => [f.ruleId, f.line])).toEqual([["docker/expose-ssh", 3]]);
  });

  it("leaves off-by-default rules silent until configured", async () => {
    const head = "FROM debian:12-slim\nRUN apt-get install -y curl\nUSER app\n";
    expect(await findingsIn(head)).toEqual([]);
    expect(await findingsIn(head, { config: { rules: ALL_ON } })).toEqual([
      ["docker/base-image-not-digest-pinned", 1],
      ["docker/missing-healthcheck", 1],
      ["docker/unpinned-os-packages", 2],
    ]);
  });

  it("reports a removed Dockerfile as nothing", async () => {
    const review = await reviewDocker([{ path: "Dockerfile", base: SERVICE, head: null }]);
    expect(review.findings).toEqual([]);
  });
});
