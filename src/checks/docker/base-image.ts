import { dockerfileOf, type ImageRef, type Stage } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import type { FileVersion } from "../types.js";
import { anchor } from "./findings.js";

/**
 * What a build starts from. A tag like `latest` (or none) moves whenever the
 * publisher pushes, so the same Dockerfile builds different software from one
 * day to the next; only a digest fixes the bytes. Registries outside the
 * team's allow-list are a supply-chain choice a reviewer should see.
 *
 * Shared by unpinned-base-image.ts, base-image-not-digest-pinned.ts and
 * untrusted-registry.ts.
 */

/** What every base-image rule looks at: each stage's `FROM` of an image, with its anchor and how it was written. */
export interface BaseImageUse {
  stage: Stage;
  ref: ImageRef;
  /** The anchor of findings on this `FROM` (stage identity and image). */
  key: string;
  /** `` `FROM …` `` as written. */
  written: string;
  /** Says when the image came through an ARG default. */
  resolvedNote: string;
}

export function baseImageUses(file: FileVersion): BaseImageUse[] {
  const model = dockerfileOf(file);
  const out: BaseImageUse[] = [];
  for (const stage of model.stages) {
    if (stage.base.kind !== "image") continue;
    const { ref, viaArg } = stage.base;
    out.push({
      stage,
      ref,
      key: anchor(model.stageKey(stage.index), "FROM", ref.text),
      written: `\`FROM ${stage.from.words[0] ?? ""}\``,
      resolvedNote: viaArg ? ` (\`${ref.text}\` through its ARG default)` : "",
    });
  }
  return out;
}

export function imageColumn(stage: Stage): Partial<RawFinding> {
  const at = stage.from.positions[0];
  return at && at.line === stage.from.line ? { column: at.column } : {};
}

export function repoOf(ref: ImageRef): string {
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

export function normalizeTrusted(entry: string): string {
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
export function isTrusted(ref: ImageRef, trusted: readonly string[]): boolean {
  const registry = registryOf(ref);
  const repository = ref.repository.toLowerCase();
  // Docker Hub's official images live under `library/`: `node` is `docker.io/library/node`.
  const path = registry === "docker.io" && !repository.includes("/") ? `library/${repository}` : repository;
  const full = `${registry}/${path}`;
  return trusted.some((t) => (t.includes("/") ? full === t || full.startsWith(`${t}/`) : registry === t));
}
