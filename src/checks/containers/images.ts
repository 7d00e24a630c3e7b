import { type ImageRef, parseImageRef } from "../../formats/dockerfile.js";

/**
 * How firmly a container image reference names its bytes. Reuses the
 * Dockerfile reader's `parseImageRef`, so `FROM`, a pod's `image:`, a
 * Compose `image:` and a Kustomize `images:` override are read alike.
 */

export type ImagePinning =
  /** `@sha256:…`: fixed bytes. */
  | { kind: "digest"; ref: ImageRef }
  /** A tag other than `latest`. */
  | { kind: "tag"; ref: ImageRef }
  /** The moving `latest` tag, written out. */
  | { kind: "latest"; ref: ImageRef }
  /** No tag and no digest, which means `latest`. */
  | { kind: "untagged"; ref: ImageRef }
  /** Decided when deployed: a template, a variable, an empty string. */
  | { kind: "unresolved"; text: string };

/** Longest reference worth reading; anything longer is not one a person wrote. */
const MAX_REFERENCE = 1_024;

/** `${TAG}`, `$(VAR)`, `{{ .Values.image }}`, `<placeholder>`: only the deploy step knows the image. */
const UNRESOLVED = /[${}<>()\s]/;

export function imagePinning(reference: string): ImagePinning {
  const text = reference.trim();
  if (text === "" || text.length > MAX_REFERENCE || UNRESOLVED.test(text))
    return { kind: "unresolved", text };
  const ref = parseImageRef(text);
  if (ref.repository === "") return { kind: "unresolved", text };
  if (ref.digest) return { kind: "digest", ref };
  if (!ref.tag) return { kind: "untagged", ref };
  return ref.tag.toLowerCase() === "latest" ? { kind: "latest", ref } : { kind: "tag", ref };
}

/** The image without tag or digest (`ghcr.io/acme/app`), for a suggested fix. */
export function imageName(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}
