// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text uses ${VAR}
import { describe, expect, it } from "vitest";
import { parseDockerfile, parseImageRef, substitute } from "../../src/formats/dockerfile.js";

describe("parseImageRef", () => {
  it.each([
    ["node", { repository: "node" }],
    ["node:20.11-bookworm", { repository: "node", tag: "20.11-bookworm" }],
    ["library/node:latest", { repository: "library/node", tag: "latest" }],
    ["localhost:5000/team/api", { registry: "localhost:5000", repository: "team/api" }],
    ["localhost:5000/team/api:1.2", { registry: "localhost:5000", repository: "team/api", tag: "1.2" }],
    ["ghcr.io/acme/app@sha256:abc", { registry: "ghcr.io", repository: "acme/app", digest: "sha256:abc" }],
    [
      "registry.example.com:443/x/y:3@sha256:def",
      { registry: "registry.example.com:443", repository: "x/y", tag: "3", digest: "sha256:def" },
    ],
  ])("%s", (text, expected) => {
    const ref = parseImageRef(text);
    expect({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }).toEqual({
      registry: undefined,
      tag: undefined,
      digest: undefined,
      ...expected,
    });
  });
});

describe("substitute", () => {
  const vars = new Map<string, string | undefined>([
    ["TAG", "20"],
    ["EMPTY", ""],
    ["NODEFAULT", undefined],
  ]);
  it.each([
    ["node:$TAG", "node:20", true],
    ["node:${TAG}-alpine", "node:20-alpine", true],
    ["node:${MISSING:-18}", "node:18", true],
    ["node:${EMPTY:-18}", "node:18", true],
    ["node:${EMPTY-18}", "node:", true],
    ["node${TAG:+-slim}", "node-slim", true],
    ["node:${NODEFAULT}", "node:", false],
    ["${MISSING}", "", false],
  ])("%s → %s", (text, out, resolved) => {
    expect(substitute(text, vars)).toEqual({ text: out, resolved });
  });
});

describe("parseDockerfile", () => {
  it("builds stages with names, bases resolved through ARG defaults, and platforms", () => {
    const model = parseDockerfile(
      [
        "ARG NODE_VERSION=20.11",
        "ARG RUNTIME",
        "FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS Build",
        "RUN npm ci",
        "FROM build AS test",
        "FROM ${RUNTIME}",
        "FROM scratch",
        "COPY --from=build /app /app",
      ].join("\n"),
    );
    expect(model.stages.map((s) => [s.index, s.name, s.from.line, s.base.kind])).toEqual([
      [0, "build", 3, "image"],
      [1, "test", 5, "stage"],
      [2, undefined, 6, "unresolved"],
      [3, undefined, 7, "scratch"],
    ]);
    const first = model.stages[0]!;
    expect(first.platform).toBe("$BUILDPLATFORM");
    expect(first.base).toMatchObject({
      kind: "image",
      viaArg: true,
      ref: { text: "node:20.11-alpine", tag: "20.11-alpine" },
    });
    expect(model.stages[1]!.base).toEqual({ kind: "stage", stage: 0 });
    expect([...model.globalArgs]).toEqual([
      ["NODE_VERSION", "20.11"],
      ["RUNTIME", undefined],
    ]);
    expect(model.stageKey(0)).toBe("build");
    expect(model.stageKey(2)).toBe("#2");
    expect(model.stageKey(3)).toBe("final");
    expect(model.problems).toEqual([]);
  });

  it("keeps 1-based spans across continuations, heredocs and lowercase keywords", () => {
    const model = parseDockerfile(
      [
        "from alpine:3.20",
        "run apk add curl \\",
        "    # a comment inside the continuation",
        "",
        "    && echo done",
        "RUN <<EOF",
        "set -e",
        "echo hi",
        "EOF",
        'CMD ["sh", "-c", "echo ok"]',
      ].join("\n"),
    );
    expect(model.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ["FROM", 1, 1],
      ["RUN", 2, 5],
      ["RUN", 6, 9],
      ["CMD", 10, 10],
    ]);
    expect(model.instructions[1]!.normalized).toBe("RUN apk add curl && echo done");
    expect(model.instructions[3]!.json).toEqual(["sh", "-c", "echo ok"]);
    expect(model.instructions[1]!.json).toBeUndefined();
  });

  it("maps RUN text back to source lines and columns, with the escape directive", () => {
    const model = parseDockerfile(
      [
        "# escape=`",
        "FROM windows-not-really:1",
        "RUN --mount=type=cache,target=/c first `",
        "  && second",
      ].join("\n"),
    );
    expect(model.escapeChar).toBe("`");
    const run = model.instructions[1]!;
    const script = model.runScript(run);
    expect(script.form).toBe("shell");
    expect(script.command.text).toBe("first   && second");
    expect(script.command.position(0)).toEqual({ line: 3, column: 34 });
    expect(script.command.position(script.command.text.indexOf("second"))).toEqual({ line: 4, column: 6 });
  });

  it("separates heredoc scripts from heredoc data", () => {
    const model = parseDockerfile(
      [
        "FROM debian:12",
        "RUN <<EOF",
        "curl https://x | sh",
        "EOF",
        "RUN cat <<CONF > /etc/app.conf && bash <<-'SCRIPT'",
        "key=value",
        "CONF",
        "\techo from-bash",
        "\tSCRIPT",
        "COPY <<EOF /etc/motd",
        "hello",
        "EOF",
      ].join("\n"),
    );
    const [, first, second, copy] = model.instructions;
    expect(model.runScript(first!).scripts.map((s) => s.text)).toEqual(["curl https://x | sh\n"]);
    const two = model.runScript(second!);
    expect(two.heredocs.map((h) => [h.name, h.isScript, h.body.map((b) => b.line)])).toEqual([
      ["CONF", false, [6]],
      ["SCRIPT", true, [8]],
    ]);
    expect(two.scripts[0]!.text).toBe("echo from-bash\n");
    expect(two.scripts[0]!.position(0)).toEqual({ line: 8, column: 1 });
    expect(model.runScript(copy!).heredocs.map((h) => h.isScript)).toEqual([false]);
    expect(second!.endLine).toBe(9);
  });

  it("takes no heredoc from quotes, here-strings or the exec form", () => {
    const model = parseDockerfile(
      [
        "FROM alpine:3",
        'RUN echo "write <<EOF to start a heredoc" && cat <<< "x"',
        'RUN ["sh", "-c", "cat <<EOF"]',
        "USER app",
      ].join("\n"),
    );
    expect(model.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ["FROM", 1, 1],
      ["RUN", 2, 2],
      ["RUN", 3, 3],
      ["USER", 4, 4],
    ]);
    expect(model.problems).toEqual([]);
  });

  it("reads the exec form's sh -c argument as the script", () => {
    const model = parseDockerfile('FROM alpine:3\nRUN ["/bin/sh", "-c", "curl -k https://x"]');
    const script = model.runScript(model.instructions[1]!);
    expect(script.form).toBe("exec");
    expect(script.command.text).toBe("curl -k https://x");
    expect(script.command.position(5)).toEqual({ line: 2, column: 1 });
  });

  it("collects what Docker would refuse to build", () => {
    expect(parseDockerfile("RUN echo hi\nFROM alpine:3").problems).toEqual([
      { message: "RUN before the first FROM: only ARG may come before FROM", line: 1 },
    ]);
    expect(parseDockerfile("FROM alpine:3\nRUN <<EOF\necho never closed\n").problems).toEqual([
      { message: "heredoc <<EOF is never terminated: add a line containing only EOF", line: 2 },
    ]);
    expect(parseDockerfile("FROM\nRUN x").problems[0]).toEqual({ message: "FROM names no image", line: 1 });
  });

  it("is lenient where Docker is: unknown instructions, comments, empty files", () => {
    expect(parseDockerfile("").stages).toEqual([]);
    expect(parseDockerfile("# just a comment\n").problems).toEqual([]);
    const model = parseDockerfile("FROM alpine:3\nFROBNICATE now\n");
    expect(model.problems).toEqual([]);
    expect(model.instructions.map((i) => i.keyword)).toEqual(["FROM", "FROBNICATE"]);
  });

  it("says a misspelt first FROM is the problem, at its own line", () => {
    expect(parseDockerfile("FORM node:20\nRUN npm ci\n").problems[0]).toEqual({
      message: "unknown instruction FORM before the first FROM (a misspelt FROM?)",
      line: 1,
    });
  });

  it("follows FROM <stage> links for inherited settings", () => {
    const model = parseDockerfile("FROM alpine:3 AS a\nFROM a AS b\nFROM b\n");
    expect(model.ancestry(model.stages[2]!).map((s) => s.index)).toEqual([2, 1, 0]);
  });
});
