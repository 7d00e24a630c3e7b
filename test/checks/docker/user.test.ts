// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text uses ${VAR}
import { describe, expect, it } from "vitest";
import { baseOsOf, baseUserOf } from "../../../src/checks/docker/base-users.js";
import { builds } from "../../../src/checks/docker/siblings.js";
import { parseImageRef } from "../../../src/formats/dockerfile.js";
import { runReview } from "../../../src/review/engine.js";
import { memoryChangeSet } from "../../../src/review/memory.js";
import { config } from "../../support/review.js";
import { reviewDocker } from "./support.js";

/**
 * Which user a container runs as: the base-image table, local stages, bases
 * built by another Dockerfile of the same change, and the severities the
 * policy gives (medium for root, low for "cannot tell").
 */

/** Through the real engine with every family's checks and the real catalogue, as a new user would run it. */
async function realReview(files: Array<{ path: string; base?: string | null; head: string }>) {
  return runReview(memoryChangeSet(files), { config: config({}) });
}

const rootFindings = async (head: string, path = "Dockerfile") =>
  (await realReview([{ path, head }])).findings
    .filter((f) => f.ruleId === "docker/runs-as-root")
    .map((f) => [f.line, f.severity] as const);

describe("what the issue must show (real engine)", () => {
  it.each([
    ['FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n'],
    ["FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled\nCOPY app /app\n"],
    ["FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe C:/app/\n"],
  ])("a new Dockerfile %j gets no runs-as-root", async (head) => {
    expect(await rootFindings(head)).toEqual([]);
  });

  it("sudo after USER root is not reported; one RUN with three sudo gets one finding", async () => {
    const head = [
      "FROM ubuntu:24.04",
      "RUN useradd --uid 10001 app",
      "USER app",
      "RUN sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*",
      "USER root",
      "RUN sudo mkdir /data",
      "USER app",
      "",
    ].join("\n");
    const review = await realReview([{ path: "Dockerfile", head }]);
    const sudo = review.findings.filter((f) => f.ruleId === "docker/sudo-in-run");
    expect(sudo.map((f) => [f.line, f.severity])).toEqual([[4, "medium"]]);
    expect(sudo[0]!.message).toBe(
      "`sudo apt-get update` (and 2 more `sudo` commands in this RUN) uses `sudo` while the step runs as `app` (`USER` on line 3), so the image keeps a sudoers path back to root for whatever runs as that user; put `USER root` before this RUN, drop `sudo`, and `USER app` right after it.",
    );
  });

  it("the sudo fix does not ask for what the file already does", async () => {
    const head = "FROM ubuntu:24.04\nUSER app\nRUN sudo apt-get update\nUSER app\n";
    const review = await realReview([{ path: "Dockerfile", head }]);
    const [sudo] = review.findings.filter((f) => f.ruleId === "docker/sudo-in-run");
    expect(sudo!.fix).toBe(
      "Put `USER root` before this RUN and drop `sudo` (the `USER app` on line 4 already switches back).",
    );
  });
});

describe("docker/runs-as-root: the base image's user", () => {
  it.each([
    // Known non-root bases.
    ["FROM gcr.io/distroless/base-debian12:debug-nonroot", []],
    ["FROM gcr.io/distroless/static-debian12:nonroot-arm64", []],
    ["FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled-extra", []],
    ["FROM mcr.microsoft.com/dotnet/runtime:8.0-azurelinux3.0-distroless", []],
    ["FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", []],
    ["ARG REPO=mcr.microsoft.com/dotnet/runtime-deps\nFROM $REPO:8.0-jammy-chiseled", []],
    ["FROM cgr.dev/chainguard/static:latest", []],
    ["FROM bitnami/nginx:1.27", []],
    ["FROM nginxinc/nginx-unprivileged:1.27-alpine", []],
    ["FROM registry.access.redhat.com/ubi9/nodejs-20:latest", []],
    ["FROM docker:27-dind-rootless", []],
    // Known root bases: medium.
    ["FROM node:20-alpine", [[1, "medium"]]],
    ["FROM docker.io/library/python:3.12-slim", [[1, "medium"]]],
    ["FROM gcr.io/distroless/static-debian12", [[1, "medium"]]],
    ["FROM gcr.io/distroless/static-debian12:debug", [[1, "medium"]]],
    ["FROM mcr.microsoft.com/dotnet/aspnet:8.0", [[1, "medium"]]],
    ["FROM mcr.microsoft.com/windows/servercore:ltsc2022", [[1, "medium"]]],
    ["FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4", [[1, "medium"]]],
    ["FROM scratch\nCOPY app /app", [[1, "medium"]]],
    ["FROM debian:12\nUSER app\nUSER root", [[3, "medium"]]],
    ["FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerAdministrator", [[2, "medium"]]],
    // Unknowable: low.
    ["ARG BASE_IMAGE\nFROM ${BASE_IMAGE}", [[2, "low"]]],
    ["FROM us-docker.pkg.dev/cloud-tpu-images/jax-ai-image/tpu:jax0.7.2-rev1", [[1, "low"]]],
    ["FROM bitnami/minideb:bookworm", [[1, "low"]]],
    ["FROM cgr.dev/chainguard/python:latest-dev", [[1, "low"]]],
    ["FROM rayproject/ray:2.9.0", [[1, "low"]]],
    // A USER in the file decides, whatever the base.
    ["FROM us-docker.pkg.dev/x/y:1\nUSER 10001", []],
    // A local stage passes its last USER (or its base's user) on.
    ["FROM python:3.12-slim AS base\nUSER 10001\nFROM base AS final\nCOPY . /app", []],
    ["FROM gcr.io/distroless/static-debian12:nonroot AS base\nFROM base", []],
    ["FROM node:20 AS base\nFROM base AS final\nCOPY . /app", [[2, "medium"]]],
  ])("%s → %j", async (text, expected) => {
    expect(await rootFindings(`${text}\n`)).toEqual(expected);
  });

  it("fix texts fit the base", async () => {
    const fix = async (from: string) =>
      (await realReview([{ path: "Dockerfile", head: `${from}\n` }])).findings.find(
        (f) => f.ruleId === "docker/runs-as-root",
      )?.fix;
    expect(await fix("FROM alpine:3.20")).toBe(
      "Add `RUN adduser -D -u 10001 app` (BusyBox has no `useradd`) then `USER 10001`.",
    );
    expect(await fix("FROM node:20-alpine")).toContain("adduser -D -u 10001");
    expect(await fix("FROM python:3.12-slim-bookworm")).toBe(
      "Add `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`.",
    );
    expect(await fix("FROM mcr.microsoft.com/windows/servercore:ltsc2022")).toBe(
      "Add `USER ContainerUser` (the built-in unprivileged account).",
    );
    expect(await fix("FROM gcr.io/distroless/static-debian12")).toBe(
      "Use the `:nonroot` tag (`FROM gcr.io/distroless/static-debian12:nonroot`), or add `USER 65532`.",
    );
    expect(await fix("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator")).toBe(
      "Switch back to `USER ContainerUser` after the steps that need it.",
    );
    expect(await fix("FROM debian:12\nUSER app\nRUN x\nUSER root")).toBe(
      "Switch back to `USER app` (line 2) after the steps that need root.",
    );
    expect(await fix("ARG B\nFROM $B")).toBe(
      "Say which user runs the container: add `USER 10001` (a numeric UID needs no account; create one with `useradd`, or `adduser -D` on Alpine, if the application needs a home).",
    );
  });

  it("says it cannot tell, at low, when the base is a variable without a default", async () => {
    const review = await realReview([{ path: "Dockerfile", head: "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n" }]);
    const [finding] = review.findings.filter((f) => f.ruleId === "docker/runs-as-root");
    expect(finding!.severity).toBe("low");
    expect(finding!.message).toMatch(
      /^Cannot tell which user the base image runs as: `FROM \$\{BASE_IMAGE\}` names a build argument without a default/,
    );
    expect(review.verdict.conclusion).toBe("success");
  });

  it("a rules: setting raises it again", async () => {
    const review = await runReview(memoryChangeSet([{ path: "Dockerfile", head: "ARG B\nFROM $B\n" }]), {
      config: config({ rules: { "docker/runs-as-root": "high" } }),
    });
    expect(review.findings.filter((f) => f.ruleId === "docker/runs-as-root").map((f) => f.severity)).toEqual([
      "high",
    ]);
  });
});

describe("docker/runs-as-root: a base built in the same change", () => {
  const deps = (user: string) =>
    `FROM ubuntu:22.04\nENV APP_UID=1654\nRUN useradd --uid $APP_UID app\n${user}\n`;
  const runtime =
    "ARG REPO=registry.example.com/dotnet/runtime-deps\nFROM $REPO:8.0.1-jammy-amd64\nCOPY dotnet /usr/share/dotnet\n";

  it("follows FROM $REPO:tag to the Dockerfile that builds it, when the change has both", async () => {
    const review = await reviewDocker([
      { path: "src/runtime-deps/8.0/jammy/amd64/Dockerfile", head: deps("USER $APP_UID") },
      { path: "src/runtime/8.0/jammy/amd64/Dockerfile", head: runtime },
    ]);
    expect(review.findings.filter((f) => f.ruleId === "docker/runs-as-root")).toEqual([]);
  });

  it("follows a chain of them (aspnet → runtime → runtime-deps)", async () => {
    const aspnet = "ARG REPO=registry.example.com/dotnet/runtime\nFROM $REPO:8.0.1-jammy-amd64\nCOPY x /x\n";
    const review = await reviewDocker([
      { path: "src/runtime-deps/8.0/jammy/amd64/Dockerfile", head: deps("USER $APP_UID") },
      { path: "src/runtime/8.0/jammy/amd64/Dockerfile", head: runtime },
      { path: "src/aspnet/8.0/jammy/amd64/Dockerfile", head: aspnet },
    ]);
    expect(review.findings.filter((f) => f.ruleId === "docker/runs-as-root")).toEqual([]);
  });

  it("reports root at medium when that Dockerfile runs as root", async () => {
    const review = await reviewDocker([
      { path: "src/runtime-deps/8.0/jammy/amd64/Dockerfile", head: deps("USER root") },
      { path: "src/runtime/8.0/jammy/amd64/Dockerfile", head: runtime },
    ]);
    expect(
      review.findings
        .filter((f) => f.ruleId === "docker/runs-as-root")
        .map((f) => [f.path, f.line, f.severity]),
    ).toEqual([
      ["src/runtime-deps/8.0/jammy/amd64/Dockerfile", 4, "medium"],
      ["src/runtime/8.0/jammy/amd64/Dockerfile", 2, "medium"],
    ]);
  });

  it("cannot tell (low) when the base's Dockerfile is not in the change", async () => {
    const review = await reviewDocker([{ path: "src/runtime/8.0/jammy/amd64/Dockerfile", head: runtime }]);
    expect(review.findings.filter((f) => f.ruleId === "docker/runs-as-root").map((f) => f.severity)).toEqual([
      "low",
    ]);
  });

  it.each([
    [
      "src/runtime-deps/8.0/jammy-chiseled/amd64/Dockerfile",
      "x/dotnet/runtime-deps:8.0.1-jammy-chiseled-amd64",
      true,
    ],
    [
      "src/runtime-deps/8.0/jammy-chiseled/amd64/Dockerfile",
      "x/dotnet/runtime-deps:8.0.1-jammy-chiseled",
      true,
    ],
    [
      "src/runtime-deps/8.0/jammy-chiseled/arm64v8/Dockerfile",
      "x/dotnet/runtime-deps:8.0.1-jammy-chiseled-amd64",
      false,
    ],
    ["src/runtime-deps/8.0/jammy/amd64/Dockerfile", "x/dotnet/runtime-deps:8.0.1-jammy-chiseled-amd64", true],
    ["src/runtime-deps/8.0/jammy/amd64/Dockerfile", "x/dotnet/runtime-deps:8.0.1-noble-amd64", false],
    ["src/runtime-deps/9.0/jammy/amd64/Dockerfile", "x/dotnet/runtime-deps:8.0.1-jammy-amd64", false],
    ["images/base/Dockerfile", "ghcr.io/acme/base:1.2", true],
    ["images/base/Dockerfile", "ghcr.io/acme/other:1.2", false],
    ["images/base/Dockerfile", "ghcr.io/acme/base", false],
  ])("builds(%s, %s) = %s", (path, ref, expected) => {
    expect(builds(path, parseImageRef(ref))).toBe(expected);
  });

  it("anchors do not move when unrelated lines change", async () => {
    const base = 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "s.js"]\n';
    const head = 'FROM node:20\nLABEL team=web\nWORKDIR /srv\nCOPY . .\nRUN npm ci\nCMD ["node", "s.js"]\n';
    const review = await reviewDocker([{ path: "Dockerfile", base, head }]);
    expect(review.findings).toEqual([]);
  });

  it("a base that becomes knowable as root is new; one that stays unknown is not", async () => {
    const was = "FROM registry.example.com/app/base:1\nCOPY . /app\n";
    const toRoot = await reviewDocker([
      { path: "Dockerfile", base: was, head: "FROM debian:12.6\nCOPY . /app\n" },
    ]);
    expect(toRoot.findings.filter((f) => f.ruleId === "docker/runs-as-root").map((f) => f.severity)).toEqual([
      "medium",
    ]);
    const stays = await reviewDocker([
      { path: "Dockerfile", base: was, head: "FROM registry.example.com/app/base:2\nCOPY . /app\n" },
    ]);
    expect(stays.findings.filter((f) => f.ruleId === "docker/runs-as-root")).toEqual([]);
  });
});

describe("base-image table", () => {
  it.each([
    ["alpine:3.20", "alpine"],
    ["busybox:1.36", "busybox"],
    ["node:20", "debian"],
    ["node:20-alpine3.20", "alpine"],
    ["python:3.12-slim", "debian"],
    ["golang:1.22-windowsservercore-ltsc2022", "windows"],
    ["mcr.microsoft.com/windows/nanoserver:ltsc2022", "windows"],
    ["gcr.io/distroless/static-debian12", "distroless"],
    ["rockylinux:9", "rhel"],
    ["registry.access.redhat.com/ubi9/ubi-minimal:9.4", "unknown"],
    ["ghcr.io/acme/app:1", "unknown"],
  ])("baseOsOf(%s) = %s", (ref, os) => {
    expect(baseOsOf(parseImageRef(ref))).toBe(os);
  });

  it.each([
    ["gcr.io/distroless/static:nonroot", "nonroot"],
    ["gcr.io/distroless/static:latest", "root"],
    ["mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim", "root"],
    ["mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled", "nonroot"],
    ["mcr.microsoft.com/windows/nanoserver:ltsc2022", "nonroot"],
    ["mcr.microsoft.com/windows/servercore:ltsc2022", "root"],
    ["mcr.microsoft.com/powershell:lts", "unknown"],
    ["cgr.dev/chainguard/node:latest", "nonroot"],
    ["cgr.dev/chainguard/wolfi-base:latest", "unknown"],
    ["bitnami/redis:7.2", "nonroot"],
    ["bitnami/node:20", "unknown"],
    ["memcached:1.6", "unknown"],
    ["public.ecr.aws/docker/library/node:20", "root"],
    ["docker:27-dind", "root"],
  ])("baseUserOf(%s) = %s", (ref, kind) => {
    expect(baseUserOf(parseImageRef(ref)).kind).toBe(kind);
  });
});
