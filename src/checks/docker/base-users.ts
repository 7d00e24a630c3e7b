import type { ImageRef } from "../../formats/dockerfile.js";

/**
 * Which user a public base image runs as when a Dockerfile sets no `USER`,
 * and which operating system it is (so a fix can name a command that exists
 * there). Only images whose default is documented or visible in the image's
 * own Dockerfile are listed; anything else is "unknown", and the rule then
 * says it cannot tell rather than guessing "root".
 *
 * docs/docker.md carries the same table for users.
 */

export type BaseOs =
  | "alpine"
  | "busybox"
  | "debian"
  | "rhel"
  | "windows"
  | "distroless"
  | "chainguard"
  | "unknown";

export type BaseUser =
  /** The image sets an unprivileged user; `source` says how we know. */
  | { kind: "nonroot"; user: string; source: string }
  /** The image runs as root (ContainerAdministrator on Windows). */
  | { kind: "root"; source: string }
  | { kind: "unknown" };

const DOCKER_HUB = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/**
 * Docker official images whose Dockerfile sets no USER, so they run as root
 * (source: each image's Dockerfile in github.com/docker-library/*; several of
 * them — postgres, redis, mysql, mongo — start as root and drop privileges in
 * their entrypoint, but `docker exec` and any code run by the image's user is
 * still root). Official images that do set a user (memcached, haproxy,
 * elasticsearch, sonarqube, solr, …) are deliberately absent.
 */
const OFFICIAL_ROOT = new Set([
  "alpine",
  "busybox",
  "debian",
  "ubuntu",
  "fedora",
  "centos",
  "rockylinux",
  "almalinux",
  "amazonlinux",
  "oraclelinux",
  "archlinux",
  "node",
  "python",
  "pypy",
  "golang",
  "ruby",
  "php",
  "perl",
  "rust",
  "gcc",
  "buildpack-deps",
  "openjdk",
  "eclipse-temurin",
  "amazoncorretto",
  "maven",
  "nginx",
  "httpd",
  "tomcat",
  "redis",
  "postgres",
  "mysql",
  "mariadb",
  "mongo",
  "wordpress",
  "traefik",
  "caddy",
  "bash",
  "docker",
  "erlang",
  "elixir",
  "julia",
  "r-base",
  "haskell",
  "swift",
  "registry",
]);

/**
 * Bitnami images documented as "non-root container images" (their README
 * says so and their Dockerfile ends with `USER 1001`). bitnami/minideb,
 * node, python and other development images run as root and are not listed.
 */
const BITNAMI_NONROOT = new Set([
  "nginx",
  "apache",
  "redis",
  "postgresql",
  "mysql",
  "mariadb",
  "mongodb",
  "kafka",
  "rabbitmq",
  "memcached",
  "zookeeper",
  "etcd",
  "kubectl",
]);

/** Red Hat UBI language runtimes: the s2i images end with `USER 1001`, the OpenJDK ones with `USER 185` (jboss). */
const UBI_S2I = /^ubi\d+\/(nodejs|python|ruby|php|perl)-\d+(-minimal)?$/;
const UBI_OPENJDK = /^ubi\d+\/openjdk-\d+(-runtime)?$/;
/** UBI base images (`ubi9`, `ubi9/ubi`, `ubi9/ubi-minimal`, `ubi9-micro`, `ubi9/ubi-init`) set no user. */
const UBI_BASE = /^(ubi\d+(-minimal|-micro|-init)?|ubi\d+\/ubi(-minimal|-micro|-init)?)$/;

const ARCH_SUFFIX = "(-(amd64|arm64|arm|s390x|ppc64le|riscv64))?";
/** distroless tags: `nonroot`, `debug-nonroot`, `latest`/`debug` and their arch-suffixed forms (github.com/GoogleContainerTools/distroless). */
const DISTROLESS_NONROOT = new RegExp(`^(debug-)?nonroot${ARCH_SUFFIX}$`);

function isOfficial(ref: ImageRef): { name: string } | undefined {
  const registry = ref.registry?.toLowerCase();
  const repo = ref.repository.toLowerCase();
  // public.ecr.aws/docker/library mirrors the official images unchanged.
  if (registry === "public.ecr.aws" && repo.startsWith("docker/library/")) return { name: repo.slice(15) };
  if (registry && !DOCKER_HUB.has(registry)) return undefined;
  if (repo.startsWith("library/")) return { name: repo.slice(8) };
  return repo.includes("/") ? undefined : { name: repo };
}

/** Tag words split on `-`, `_` and `.`: `8.0-jammy-chiseled-extra` → 8, 0, jammy, chiseled, extra. */
function tagWords(ref: ImageRef): string[] {
  return (ref.tag ?? "").toLowerCase().split(/[-_.]/);
}

export function baseUserOf(ref: ImageRef): BaseUser {
  const registry = ref.registry?.toLowerCase() ?? "docker.io";
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? "latest").toLowerCase();
  const words = tagWords(ref);

  if (registry === "gcr.io" && repo.startsWith("distroless/")) {
    return DISTROLESS_NONROOT.test(tag)
      ? { kind: "nonroot", user: "65532", source: "distroless `nonroot` tags run as uid 65532" }
      : { kind: "root", source: "distroless images without a `nonroot` tag run as uid 0" };
  }
  if (registry === "mcr.microsoft.com") {
    if (repo === "windows/nanoserver")
      return {
        kind: "nonroot",
        user: "ContainerUser",
        source: "Nano Server runs as `ContainerUser` by default",
      };
    if (repo === "windows/servercore" || repo === "windows/server" || repo === "windows")
      return {
        kind: "root",
        source: "Windows Server Core images run as `ContainerAdministrator` by default",
      };
    if (repo.startsWith("dotnet/")) {
      // .NET images: chiseled (Ubuntu) and distroless (Azure Linux / CBL-Mariner) images end with
      // `USER $APP_UID` (1654 from .NET 8); Nano Server ones with `USER ContainerUser`; the others
      // (Debian, Ubuntu, Alpine, Azure Linux, Windows Server Core) set no user (dotnet/dotnet-docker src/*).
      if (words.includes("chiseled") || words.includes("distroless"))
        return {
          kind: "nonroot",
          user: "app",
          source: ".NET chiseled and distroless images run as `app` ($APP_UID)",
        };
      if (words.includes("nanoserver"))
        return {
          kind: "nonroot",
          user: "ContainerUser",
          source: ".NET Nano Server images run as `ContainerUser`",
        };
      return {
        kind: "root",
        source: ".NET images other than chiseled, distroless and Nano Server run as root",
      };
    }
    return { kind: "unknown" };
  }
  if (registry === "cgr.dev" && repo.startsWith("chainguard/")) {
    // Chainguard documents `nonroot` (65532) as its default run-as user; `-dev` variants and
    // wolfi-base are build images whose user is not documented the same way.
    if (words.includes("dev") || repo === "chainguard/wolfi-base") return { kind: "unknown" };
    return { kind: "nonroot", user: "65532", source: "Chainguard images run as `nonroot` (65532)" };
  }
  if (
    (registry === "registry.access.redhat.com" || registry === "registry.redhat.io") &&
    repo.startsWith("ubi")
  ) {
    if (UBI_S2I.test(repo))
      return { kind: "nonroot", user: "1001", source: "UBI language images run as 1001" };
    if (UBI_OPENJDK.test(repo))
      return { kind: "nonroot", user: "185", source: "UBI OpenJDK images run as 185" };
    if (UBI_BASE.test(repo)) return { kind: "root", source: "UBI base images set no user" };
    return { kind: "unknown" };
  }
  if (DOCKER_HUB.has(registry)) {
    if (repo === "nginxinc/nginx-unprivileged")
      return { kind: "nonroot", user: "101", source: "nginx-unprivileged runs as uid 101" };
    if (repo.startsWith("bitnami/") && BITNAMI_NONROOT.has(repo.slice(8)))
      return { kind: "nonroot", user: "1001", source: "Bitnami non-root images run as 1001" };
    if (repo === "nvidia/cuda") return { kind: "root", source: "nvidia/cuda sets no user" };
  }
  const official = isOfficial(ref);
  if (official) {
    if (official.name === "docker" && words.includes("rootless"))
      return { kind: "nonroot", user: "rootless", source: "docker:*-rootless runs as `rootless`" };
    if (OFFICIAL_ROOT.has(official.name))
      return { kind: "root", source: `the Docker official \`${official.name}\` image sets no user` };
  }
  // A publisher that says so in the tag (`…:nonroot`, `…-rootless`) is trusted to mean it.
  if (words.includes("nonroot") || words.includes("rootless"))
    return { kind: "nonroot", user: "nonroot", source: "the tag says it is a non-root variant" };
  return { kind: "unknown" };
}

/** Official images whose default (untagged-OS) variant is Debian-based. */
const DEBIAN_DEFAULT = new Set([
  "node",
  "python",
  "pypy",
  "golang",
  "ruby",
  "php",
  "perl",
  "rust",
  "gcc",
  "buildpack-deps",
  "nginx",
  "httpd",
  "redis",
  "postgres",
  "debian",
  "ubuntu",
  "eclipse-temurin",
]);
const DEBIAN_WORDS = new Set([
  "bookworm",
  "bullseye",
  "buster",
  "stretch",
  "trixie",
  "jammy",
  "noble",
  "focal",
  "bionic",
  "slim",
]);
const RHEL_FAMILY = new Set(["fedora", "centos", "rockylinux", "almalinux", "oraclelinux"]);

/** The base's operating system family, from its name and tag only. */
export function baseOsOf(ref: ImageRef): BaseOs {
  const registry = ref.registry?.toLowerCase() ?? "docker.io";
  const repo = ref.repository.toLowerCase();
  const words = tagWords(ref);
  const last = repo.split("/").pop()!;
  if (
    (registry === "mcr.microsoft.com" && repo.startsWith("windows")) ||
    words.some((w) => w === "nanoserver" || w === "windowsservercore" || w.startsWith("ltsc"))
  )
    return "windows";
  if (repo.startsWith("distroless/") || words.includes("distroless")) return "distroless";
  if (registry === "cgr.dev") return "chainguard";
  if (last === "alpine" || words.some((w) => w.startsWith("alpine"))) return "alpine";
  if (last === "busybox") return "busybox";
  if (words.some((w) => DEBIAN_WORDS.has(w))) return "debian";
  const official = isOfficial(ref);
  if (official && RHEL_FAMILY.has(official.name)) return "rhel";
  if (/^ubi\d+(\/ubi)?$/.test(repo) && registry.includes("redhat")) return "rhel";
  if (official && DEBIAN_DEFAULT.has(official.name)) return "debian";
  return "unknown";
}

/** How to end a stage as an unprivileged user on this OS: a command that exists there. */
export function nonRootFix(os: BaseOs, ref?: ImageRef): string {
  switch (os) {
    case "alpine":
    case "busybox":
      return "add `RUN adduser -D -u 10001 app` (BusyBox has no `useradd`) then `USER 10001`";
    case "debian":
    case "rhel":
      return "add `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`";
    case "windows":
      return "add `USER ContainerUser` (the built-in unprivileged account)";
    case "distroless":
      return ref
        ? `use the \`:nonroot\` tag (\`FROM ${ref.registry ? `${ref.registry}/` : ""}${ref.repository}:nonroot\`), or add \`USER 65532\``
        : "use the `:nonroot` tag, or add `USER 65532`";
    case "chainguard":
      return "use the image's `nonroot` user: add `USER 65532`";
    default:
      return "add `USER 10001` (a numeric UID needs no account; create one with `useradd`, or `adduser -D` on Alpine, if the application needs a home)";
  }
}
