import { dockerfileOf, type ImageRef } from "../../formats/dockerfile.js";
import type { FileVersion } from "../types.js";
import type { BaseUser } from "./base-users.js";
import { rootness, type SiblingLookup, userAt } from "./user-at.js";

/**
 * Base images built by another Dockerfile of the same change. Repositories
 * that build their own base images lay them out by image name and tag —
 * dotnet-docker's `src/runtime-deps/8.0/jammy-chiseled/amd64/Dockerfile`
 * builds `…/dotnet/runtime-deps:8.0.x-jammy-chiseled-amd64`, which
 * `src/runtime/8.0/jammy-chiseled/amd64/Dockerfile` uses as
 * `FROM $REPO:8.0.x-jammy-chiseled-amd64`. A Dockerfile is taken to build
 * `name:tag` when one of its directories is the image's last name component
 * and every directory below that is a word of the tag (an architecture
 * directory may be missing from a multi-arch tag). When several such files
 * disagree, or none says, the lookup answers nothing and the caller falls
 * back to what it knows of the published image.
 *
 * Only files in the change are visible (the engine reads nothing else), so a
 * base that did not change is judged by the published image alone.
 */

export type { SiblingLookup };

const ARCHES = new Set([
  "amd64",
  "arm64",
  "arm64v8",
  "arm32",
  "arm32v7",
  "arm",
  "x64",
  "x86",
  "s390x",
  "ppc64le",
]);
const MAX_DEPTH = 4;

export function siblingLookup(files: ReadonlyArray<{ path: string; file: FileVersion }>): {
  forFile(path: string): SiblingLookup;
} {
  // Files by directory name, so a lookup only looks at files under a directory named like the image.
  const byDirectory = new Map<string, Array<{ path: string; file: FileVersion }>>();
  for (const entry of files) {
    for (const dir of new Set(entry.path.toLowerCase().split("/").slice(0, -1))) {
      const list = byDirectory.get(dir);
      if (list) list.push(entry);
      else byDirectory.set(dir, [entry]);
    }
  }
  const resolve = (ref: ImageRef, visiting: ReadonlySet<string>): BaseUser | undefined => {
    if (visiting.size > MAX_DEPTH || !ref.tag) return undefined;
    const candidates = byDirectory.get(ref.repository.toLowerCase().split("/").pop()!) ?? [];
    const verdicts = new Set<string>();
    let answer: BaseUser | undefined;
    for (const { path, file } of candidates) {
      if (visiting.has(path) || !builds(path, ref)) continue;
      const model = dockerfileOf(file);
      const final = model.stages[model.stages.length - 1];
      if (!final) continue;
      const next = new Set([...visiting, path]);
      const at = userAt(model, final, undefined, (r) => resolve(r, next));
      const verdict = rootness(at);
      verdicts.add(verdict);
      if (verdict === "unknown") continue;
      const user = at.kind === "instruction" ? (at.user ?? at.instruction.args) : "";
      answer =
        verdict === "root"
          ? { kind: "root", source: `the image \`${path}\` builds in this change runs as root` }
          : { kind: "nonroot", user, source: `the image \`${path}\` builds in this change sets a user` };
    }
    return verdicts.size === 1 ? answer : undefined;
  };
  return { forFile: (path) => (ref) => resolve(ref, new Set([path])) };
}

/** Whether the Dockerfile at `path` is laid out as the build of `ref`. */
export function builds(path: string, ref: ImageRef): boolean {
  if (!ref.tag) return false;
  const name = ref.repository.toLowerCase().split("/").pop()!;
  const dirs = path.toLowerCase().split("/").slice(0, -1);
  const at = dirs.lastIndexOf(name);
  if (at < 0) return false;
  const tag = ref.tag.toLowerCase();
  const tagHasArch = tag.split(/[-_.]/).some((w) => ARCHES.has(w));
  return dirs.slice(at + 1).every((dir) => hasWord(tag, dir) || (ARCHES.has(dir) && !tagHasArch));
}

/** `dir` occurs in `tag` between word boundaries (`-`, `_`, `.` or an end). */
function hasWord(tag: string, dir: string): boolean {
  for (let i = tag.indexOf(dir); i >= 0; i = tag.indexOf(dir, i + 1)) {
    const before = i === 0 || /[-_.]/.test(tag[i - 1]!);
    const end = i + dir.length;
    const after = end === tag.length || /[-_.]/.test(tag[end]!);
    if (before && after) return true;
  }
  return false;
}
