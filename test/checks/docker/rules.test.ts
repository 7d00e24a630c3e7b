// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text uses ${VAR}
import { describe, expect, it } from "vitest";
import { exposesSsh } from "../../../src/checks/docker/expose.js";
import { redactCommand } from "../../../src/checks/docker/findings.js";
import { unpinnedPackages } from "../../../src/checks/docker/package-managers.js";
import { isWorldWritable } from "../../../src/checks/docker/permissions.js";
import { secretFileKind } from "../../../src/checks/docker/secrets.js";
import { invocation, parseShell } from "../../../src/formats/shell/commands.js";
import { ALL_ON, findingsIn, messagesFor, reviewDocker } from "./support.js";

/** Edge cases per rule, through the engine on an added Dockerfile. */

const lines = async (ruleId: string, body: string, config = {}) =>
  (await findingsIn(`FROM alpine:3.20\n${body}\nUSER 10001\n`, { config }))
    .filter(([id]) => id === ruleId)
    .map(([, l]) => l);

describe("docker/unpinned-base-image", () => {
  it.each([
    ["FROM node", true],
    ["FROM node:latest", true],
    ["FROM node:LATEST", false],
    ["FROM node:20", false],
    ["FROM node@sha256:aaaa", false],
    ["FROM node:latest@sha256:aaaa", false],
    ["FROM localhost:5000/app", true],
    ["FROM localhost:5000/app:1.0", false],
    ["FROM --platform=linux/amd64 node AS x", true],
    ["FROM scratch", false],
    ["ARG V=latest\nFROM node:$V", true],
    ["ARG V\nFROM node:${V}", false],
    ["ARG V\nFROM node:${V:-20}", false],
    ["FROM alpine:3 AS Base\nFROM base", false],
  ])("%s → %s", async (text, fires) => {
    const found = (await findingsIn(`${text}\nUSER 10001\n`)).filter(
      ([id]) => id === "docker/unpinned-base-image",
    );
    expect(found.length > 0).toBe(fires);
  });
});

describe("docker/untrusted-registry", () => {
  const run = (from: string, trusted: string[]) =>
    findingsIn(`${from}\nUSER 10001\n`, { config: { docker: { "trusted-registries": trusted } } }).then((f) =>
      f.filter(([id]) => id === "docker/untrusted-registry").map(([, l]) => l),
    );
  it("is silent without an allow-list", async () => {
    expect(await run("FROM quay.io/x/y:1", [])).toEqual([]);
  });
  it.each([
    ["FROM node:20", ["docker.io"], false],
    ["FROM node:20", ["docker.io/library"], false],
    ["FROM node:20", ["index.docker.io"], false],
    ["FROM bitnami/redis:7", ["docker.io/library"], true],
    ["FROM ghcr.io/acme/app:1", ["ghcr.io/acme"], false],
    ["FROM ghcr.io/acme-evil/app:1", ["ghcr.io/acme"], true],
    ["FROM GHCR.IO/acme/app:1", ["https://ghcr.io/"], false],
    ["FROM registry.example.com:5000/app:1", ["registry.example.com"], true],
    ["FROM scratch", ["ghcr.io"], false],
  ])("%s with %j → %s", async (from, trusted, fires) => {
    expect((await run(from, trusted)).length > 0).toBe(fires);
  });
});

describe("docker/runs-as-root", () => {
  it.each([
    ["FROM alpine:3\nUSER root:root", [2]],
    ["FROM alpine:3\nUSER 0", [2]],
    ["FROM alpine:3\nUSER 1000:0", []],
    ["FROM alpine:3\nUSER ${APP_UID}", []],
    ["FROM alpine:3 AS a\nUSER root\nFROM a", [2]],
    ["FROM alpine:3 AS a\nUSER app\nFROM a AS b\nFROM b", []],
    ["FROM scratch\nCOPY app /app", [1]],
    ["FROM cgr.dev/chainguard/static:latest-nonroot", []],
    ['FROM alpine:3\nUSER "root"', [2]],
    ["FROM alpine:3\nUSER 'root:root'", [2]],
    ["FROM alpine:3\nUSER 0:0", [2]],
    ["FROM alpine:3\nARG U=0\nUSER ${U}", [3]],
    ["FROM alpine:3\nARG U=root\nUSER $U:$U", [3]],
    ["ARG U=0\nFROM alpine:3\nARG U\nUSER ${U}", [4]],
    ["ARG U=0\nFROM alpine:3\nUSER ${U}", [3]],
    ["ARG U=app\nFROM alpine:3\nUSER ${U}", [3]],
    ["ARG U=app\nFROM alpine:3\nARG U\nUSER ${U}", []],
    ["FROM alpine:3\nARG U\nUSER ${U}", []],
    ["FROM alpine:3\nARG U=app\nUSER ${U:-root}", []],
    ["FROM alpine:3\nENV U=0\nARG U=app\nUSER $U", [4]],
    ["FROM alpine:3 AS a\nENV APP_USER=root\nFROM a\nUSER ${APP_USER}", [4]],
    ["FROM alpine:3\nARG U=10001\nUSER ${U}", []],
  ])("%s → %j", async (text, expected) => {
    const found = (await findingsIn(text)).filter(([id]) => id === "docker/runs-as-root").map(([, l]) => l);
    expect(found).toEqual(expected);
  });
});

describe("docker/secret-in-build", () => {
  it.each([
    ["ARG NPM_TOKEN", [2]],
    ["ARG npm_token=", [2]],
    ["ARG GITHUB_TOKEN_FILE=/run/secrets/t", []],
    ["ARG BUILD_VERSION=1.2.3", []],
    ["ENV API_KEY=changeme", []],
    ["ENV API_KEY=abcd1234efgh", [2]],
    ["ENV API_KEY ${API_KEY}", [2]],
    ["ENV PUBLIC_KEY=abcd1234efgh", []],
    ["COPY --from=build /root/.ssh/id_ed25519 /tmp/", [2]],
    ['COPY ["secrets/.env", "/app/.env"]', [2]],
    ["COPY <<EOF /app/.env\nA=1\nEOF", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/secret-in-build", body)).toEqual(expected);
  });

  it.each([
    ["id_rsa", "an SSH private key"],
    ["./home/.ssh/", "a `.ssh` directory of credentials"],
    ["~/.aws/credentials", "AWS credentials"],
    [".docker/config.json", "registry credentials"],
    [".npmrc", "a `.npmrc` credentials file"],
    [".env.production", "an environment file of secrets"],
    [".env.example", undefined],
    ["tls/server.key", "a private key or keystore"],
    ["keystore.p12", "a private key or keystore"],
    ["ca-bundle.pem", undefined],
    ["fullchain.pem", undefined],
    ["signing-public.key", undefined],
    ["app.py", undefined],
  ])("secretFileKind(%s) = %s", (path, kind) => {
    expect(secretFileKind(path)).toBe(kind);
  });
});

describe("docker/tls-verification-disabled", () => {
  it.each([
    ["RUN curl -k https://x", [2]],
    ["RUN curl -sSLk https://x", [2]],
    ["RUN curl -ok https://x", []],
    ["RUN curl --insecure https://x", [2]],
    ["RUN git -c http.sslVerify=false clone https://x", [2]],
    ["RUN git config --global http.sslverify false", [2]],
    ["RUN GIT_SSL_NO_VERIFY=1 git clone https://x", [2]],
    ["RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci", [2]],
    ["RUN yarn config set strict-ssl false", [2]],
    ["RUN pip config set global.trusted-host pypi.org", [2]],
    ["RUN helm repo add x https://x --insecure-skip-tls-verify", [2]],
    ["RUN aws s3 cp s3://b/k . --no-verify-ssl", [2]],
    ["RUN dnf --setopt=sslverify=false install -y x", [2]],
    ["RUN echo 'Acquire::https::Verify-Peer \"false\";' > /etc/apt/apt.conf.d/99x", [2]],
    ["RUN apt-get -o Acquire::https::Verify-Peer=false update", [2]],
    ["RUN sh -c 'curl -k https://x -o /x'", [2]],
    ['RUN ["/bin/bash", "-c", "wget --no-check-certificate https://x"]', [2]],
    ["ENV GIT_SSL_NO_VERIFY=false", []],
    ["ENV PIP_TRUSTED_HOST=pypi.org PYTHONHTTPSVERIFY=0", [2]],
    ["RUN echo curl -k is bad > /notes.txt", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/tls-verification-disabled", body)).toEqual(expected);
  });

  it("is not fooled by PowerShell stages", async () => {
    const body =
      'SHELL ["pwsh", "-Command"]\nRUN Invoke-WebRequest -SkipCertificateCheck https://x ; curl -k https://x';
    expect(await lines("docker/tls-verification-disabled", body)).toEqual([]);
  });
});

describe("docker/package-signature-bypass", () => {
  it.each([
    ["RUN apk add --allow-untrusted x.apk", [2]],
    ["RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y x", [2]],
    ["RUN apt install --allow-insecure-repositories x", [2]],
    ["RUN zypper --no-gpg-checks in -y x", [2]],
    ["RUN yum --setopt=gpgcheck=0 install -y x", [2]],
    ["RUN printf '[x]\\nbaseurl=https://r\\ngpgcheck=0\\n' > /etc/yum.repos.d/x.repo", [2]],
    ["RUN apt-get install -y --allow-downgrades x", []],
    ["RUN echo --nogpgcheck", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/package-signature-bypass", body)).toEqual(expected);
  });
});

describe("docker/remote-script-pipe-to-shell", () => {
  it.each([
    ["RUN curl -fsSL https://x | bash -s -- --version 1", [2]],
    ["RUN curl -fsSL https://x | gunzip | sh", [2]],
    ["RUN wget -O - https://x | sudo sh", [2]],
    ["RUN curl https://x | python3", [2]],
    ["RUN curl https://x | python3 -m json.tool", []],
    ["RUN curl https://x | node -e 'process.stdin.pipe(process.stdout)'", []],
    ["RUN curl https://x | tar -xz -C /opt", []],
    ["RUN curl https://x | bash /opt/local-script.sh", []],
    ['RUN eval "$(curl -fsSL https://x)"', [2]],
    ["RUN . <(curl -fsSL https://x)", [2]],
    ["RUN bash -c 'curl -fsSL https://x | sh'", [2]],
    ['RUN echo "$(curl -fsSL https://x/version)"', []],
    ["RUN if curl -f https://x | sh; then echo ok; fi", [2]],
    ["RUN curl -o /tmp/i.sh https://x && sh /tmp/i.sh", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/remote-script-pipe-to-shell", body)).toEqual(expected);
  });
});

describe("docker/remote-script-pipe-to-shell severity", () => {
  const severities = async (body: string) =>
    (await reviewDocker([{ path: "Dockerfile", head: `FROM alpine:3.20\n${body}\nUSER 10001\n` }])).findings
      .filter((f) => f.ruleId === "docker/remote-script-pipe-to-shell")
      .map((f) => f.severity);
  it.each([
    ["RUN curl -fsSL https://x/i.sh | sh", ["medium"]],
    ["RUN curl -fsSL http://x/i.sh | sh", ["high"]],
    ["RUN wget -qO- 'HTTP://x/i.sh' | bash", ["high"]],
    ['RUN sh -c "$(curl -fsSL http://x/i.sh)"', ["high"]],
    ["RUN curl -fsSL $URL | sh", ["medium"]],
    // One RUN, one finding: the plain-HTTP one is not hidden behind the HTTPS one.
    ["RUN curl https://a | sh && curl https://b | sh", ["medium"]],
    ["RUN curl https://a | sh && curl http://b | sh", ["high"]],
  ])("%s → %j", async (body, expected) => {
    expect(await severities(body)).toEqual(expected);
  });
});

describe("docker/add-remote-url", () => {
  it.each([
    ["ADD https://x/a.tgz /a", [2]],
    ["ADD git@github.com:acme/repo.git /src", [2]],
    ['ADD ["https://x/a.tgz", "/a"]', [2]],
    ["ADD --checksum=sha256:abc https://x/a.tgz /a", []],
    ["ADD local.tgz /a", []],
    ["COPY https-notes.txt /a", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/add-remote-url", body)).toEqual(expected);
  });
});

describe("docker/sudo-in-run", () => {
  it.each([
    ["USER app\nRUN sudo -u app npm ci", [3]],
    ["USER app\nRUN env FOO=1 sudo make install", [3]],
    ["USER app\nRUN /usr/bin/sudo true", [3]],
    ["USER app\nRUN apt-get install -y sudo=1.9", []],
    ["USER app\nRUN echo sudo", []],
    // Already root: sudo changes nothing.
    ["RUN sudo make install", []],
    ["USER app\nUSER root\nRUN sudo make install", []],
    ["USER app\nUSER 0:0\nRUN sudo make install", []],
    // One RUN, one finding, on the first sudo.
    ["USER app\nRUN sudo a && \\\n  sudo b && \\\n  sudo c", [3]],
    ["USER app\nRUN sudo a\nRUN sudo b", [3, 4]],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/sudo-in-run", body)).toEqual(expected);
  });
});

describe("docker/hardcoded-password-change", () => {
  it.each([
    ["RUN echo root:toor | chpasswd", [2]],
    ["RUN chpasswd <<< 'app:s3cret-pass'", [2]],
    ['RUN echo -e "pw1234\\npw1234" | passwd app', [2]],
    ["RUN usermod --password=$HASHED app", []],
    ["RUN echo root:${ROOT_PASSWORD} | chpasswd", []],
    ["RUN passwd -d app", []],
  ])("%s → %j", async (body, expected) => {
    expect(await lines("docker/hardcoded-password-change", body)).toEqual(expected);
  });
});

describe("docker/world-writable-permissions", () => {
  it.each([
    ["777", true],
    ["0777", true],
    ["666", true],
    ["757", true],
    ["2777", true],
    ["1777", false],
    ["775", false],
    ["0755", false],
    ["a+w", true],
    ["o+rwx", true],
    ["ugo=rwx", true],
    ["u+w,o+w", true],
    ["a+rwt", false],
    ["+w", false],
    ["g+w", false],
    ["o-w", false],
  ])("isWorldWritable(%s) = %s", (mode, expected) => {
    expect(isWorldWritable(mode)).toBe(expected);
  });

  it("reads chmod, mkdir -m, install -m and --chmod", async () => {
    const body = [
      "RUN chmod -R 777 /a",
      "RUN chmod --recursive a+w /b",
      "RUN install -m 0666 f /c",
      "ADD --chmod=777 f /d",
      "RUN chmod 755 /e && mkdir -pm 700 /f",
    ].join("\n");
    expect(await lines("docker/world-writable-permissions", body)).toEqual([2, 3, 4, 5]);
  });
});

describe("docker/expose-ssh", () => {
  it.each([
    ["22", true],
    ["22/tcp", true],
    ["22/udp", false],
    ["20-25", true],
    ["2222", false],
    ["$SSH_PORT", false],
  ])("exposesSsh(%s) = %s", (port, expected) => {
    expect(exposesSsh(port)).toBe(expected);
  });
});

describe("docker/unpinned-os-packages", () => {
  const names = (text: string) => unpinnedPackages(invocation(parseShell(text)[0]!.commands[0]!)!).names;
  it.each([
    ["apt-get install -y curl git=1:2.39", ["curl"]],
    ["apt-get -o Dpkg::Options::=--force-confold -y install curl", ["curl"]],
    ["apt-get install -y ./local.deb $EXTRA", []],
    ["apk add --no-cache -t .deps gcc musl-dev=1.2", ["gcc"]],
    ["dnf install -y nginx-1.24.0 @development epel-release", ["epel-release"]],
    ["pip install -r requirements.txt flask", []],
    ["pip3 install --no-cache-dir flask==3.0 'requests>=2' -e ./lib", ["requests>=2"]],
    ["python3 -m pip install --upgrade pip", ["pip"]],
    ["npm install -g @angular/cli@17.3.0 typescript npm@latest", ["typescript", "npm@latest"]],
    ["npm install", []],
    ["yarn global add pm2", ["pm2"]],
    ["gem install bundler -v 2.5.0", []],
    ["gem install rails", ["rails"]],
    ["go install golang.org/x/tools/gopls@latest", ["golang.org/x/tools/gopls@latest"]],
    ["go install ./cmd/...", []],
    ["apt-get update", []],
  ])("%s → %j", (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  it("reports one finding per RUN, only when turned on", async () => {
    expect(await lines("docker/unpinned-os-packages", "RUN apk add curl && apk add git")).toEqual([]);
    expect(
      await lines("docker/unpinned-os-packages", "RUN apk add curl && apk add git", { rules: ALL_ON }),
    ).toEqual([2]);
  });
});

describe("messages", () => {
  it("quote commands with credentials redacted", () => {
    expect(redactCommand("curl -u deploy:hunter2hunter2 https://x")).toBe(
      "curl -u depl…(21 chars) https://x",
    );
    expect(redactCommand("git clone https://bot:abcdEFGH1234@github.com/x")).toBe(
      "git clone https://bot:abcd…(12 chars)@github.com/x",
    );
    expect(redactCommand('curl -H "Authorization: Bearer Zq8xT2vLm9PkR4wYc7Nb" https://x')).toBe(
      'curl -H "Authorization: Bearer Zq8x…(21 chars) https://x',
    );
    expect(redactCommand("NPM_TOKEN=abcd1234efgh npm ci")).toBe("NPM_TOKEN=abcd…(12 chars) npm ci");
    expect(redactCommand("mkdir -p /app && chmod 777 /app")).toBe("mkdir -p /app && chmod 777 /app");
  });

  it("say what is wrong and how to fix it", async () => {
    expect(
      await messagesFor("docker/add-remote-url", "FROM alpine:3\nADD http://x/a.tgz /a\nUSER 1\n"),
    ).toEqual([
      [
        2,
        "`ADD http://x/a.tgz` downloads over an unencrypted connection at build time without verifying what it gets; add `--checksum=sha256:<digest>` to the ADD, or fetch it with `curl` and check a pinned SHA-256 before use.",
      ],
    ]);
    expect(await messagesFor("docker/runs-as-root", "FROM alpine:3\nARG U=0\nUSER ${U}\n")).toEqual([
      [
        3,
        "`USER ${U}` (`0` through its ARG or ENV value) is the last USER of the final stage, so the container runs as root; end with an unprivileged user after the steps that need root: add `RUN adduser -D -u 10001 app` (BusyBox has no `useradd`) then `USER 10001`.",
      ],
    ]);
    expect(await messagesFor("docker/runs-as-root", "ARG U=app\nFROM alpine:3\nUSER $U\n")).toEqual([
      [
        3,
        "`USER $U` expands to nothing (`U` is an ARG declared before the first FROM and not redeclared in this stage: add `ARG U` after the FROM) is the last USER of the final stage, so the container runs as root; end with an unprivileged user after the steps that need root: add `RUN adduser -D -u 10001 app` (BusyBox has no `useradd`) then `USER 10001`.",
      ],
    ]);
    expect(await messagesFor("docker/runs-as-root", "FROM alpine:3 AS a\nUSER root\nFROM a\n")).toEqual([
      [
        2,
        "`USER root` is the last USER of the final stage (inherited from an earlier stage), so the container runs as root; end with an unprivileged user after the steps that need root: add `RUN adduser -D -u 10001 app` (BusyBox has no `useradd`) then `USER 10001`.",
      ],
    ]);
  });
});
