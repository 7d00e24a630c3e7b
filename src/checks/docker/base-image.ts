import { dockerfileOf, type ImageRef, type Stage } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction } from "./findings.js";

/**
 * What a build starts from. A tag like `latest` (or none) moves whenever the
 * publisher pushes, so the same Dockerfile builds different software from one
 * day to the next; only a digest fixes the bytes. Registries outside the
 * team's allow-list are a supply-chain choice a reviewer should see.
 */

const UNPINNED = "docker/unpinned-base-image";
const NO_DIGEST = "docker/base-image-not-digest-pinned";
const UNTRUSTED = "docker/untrusted-registry";

export const baseImage = defineCheck({
  kind: "snapshot",
  name: "docker/base-image",
  families: ["docker"],
  rules: [UNPINNED, NO_DIGEST, UNTRUSTED],
  merge: onePerDockerInstruction,
  run(file, ctx) {
    const model = dockerfileOf(file);
    const trusted = ctx.config.docker["trusted-registries"].map(normalizeTrusted);
    const out: RawFinding[] = [];
    for (const stage of model.stages) {
      if (stage.base.kind !== "image") continue;
      const { ref, viaArg } = stage.base;
      const key = anchor(model.stageKey(stage.index), "FROM", ref.text);
      const written = `\`FROM ${stage.from.words[0] ?? ""}\``;
      const resolvedNote = viaArg ? ` (\`${ref.text}\` through its ARG default)` : "";

      if (!ref.digest && (!ref.tag || ref.tag === "latest")) {
        const what = ref.tag
          ? `${written}${resolvedNote} uses the moving \`latest\` tag`
          : `${written}${resolvedNote} has no tag, so it means \`latest\``;
        out.push(
          atInstruction(
            UNPINNED,
            stage.from,
            `${what} and can change under you at any build; pin a version tag (and ideally a digest): \`FROM ${repoOf(ref)}:<version>@sha256:…\`.`,
            key,
            {
              ...imageColumn(stage),
              fix: `Pin a version tag (and ideally a digest): \`FROM ${repoOf(ref)}:<version>@sha256:…\`.`,
            },
          ),
        );
      }
      if (!ref.digest) {
        out.push(
          atInstruction(
            NO_DIGEST,
            stage.from,
            `${written}${resolvedNote} is not pinned to a digest, so a re-pushed tag silently changes what you build; append \`@sha256:<digest>\` (a bot such as Renovate or Dependabot keeps it current).`,
            key,
            {
              ...imageColumn(stage),
              fix: `Append the tested image's digest: \`FROM ${ref.text}@sha256:<digest>\`.`,
            },
          ),
        );
      }
      if (trusted.length > 0 && !isTrusted(ref, trusted)) {
        out.push(
          atInstruction(
            UNTRUSTED,
            stage.from,
            `${written}${resolvedNote} pulls from \`${registryOf(ref)}\`, which is not in docker.trusted-registries (${trusted.join(", ")}); use an image from a trusted registry or add this one to the list on purpose.`,
            key,
            imageColumn(stage),
          ),
        );
      }
    }
    return out;
  },
});

function imageColumn(stage: Stage): Partial<RawFinding> {
  const at = stage.from.positions[0];
  return at && at.line === stage.from.line ? { column: at.column } : {};
}

function repoOf(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}

const DOCKER_HUB_ALIASES = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

export function registryOf(ref: ImageRef): string {
  const registry = ref.registry?.toLowerCase();
  return !registry || DOCKER_HUB_ALIASES.has(registry) ? "docker.io" : registry;
}

function normalizeTrusted(entry: string): string {
  const e = entry
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  const [host, ...rest] = e.split("/");
  const h = DOCKER_HUB_ALIASES.has(host!) ? "docker.io" : host!;
  return [h, ...rest].join("/");
}

/** An entry is a registry host (`ghcr.io`) or a path prefix on one (`ghcr.io/acme`). */
function isTrusted(ref: ImageRef, trusted: readonly string[]): boolean {
  const registry = registryOf(ref);
  const repository = ref.repository.toLowerCase();
  // Docker Hub's official images live under `library/`: `node` is `docker.io/library/node`.
  const path = registry === "docker.io" && !repository.includes("/") ? `library/${repository}` : repository;
  const full = `${registry}/${path}`;
  return trusted.some((t) => (t.includes("/") ? full === t || full.startsWith(`${t}/`) : registry === t));
}
