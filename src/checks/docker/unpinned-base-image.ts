import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { baseImageUses, imageColumn, repoOf } from "./base-image.js";
import { atInstruction, onePerDockerInstruction } from "./findings.js";

/** `FROM` an image with the moving `latest` tag, or no tag at all (which means `latest`). */
export const unpinnedBaseImage = defineCheck({
  kind: "snapshot",
  name: "docker/unpinned-base-image",
  families: ["docker"],
  rules: ["docker/unpinned-base-image"],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    for (const { stage, ref, key, written, resolvedNote } of baseImageUses(file)) {
      if (ref.digest || (ref.tag && ref.tag !== "latest")) continue;
      const what = ref.tag
        ? `${written}${resolvedNote} uses the moving \`latest\` tag`
        : `${written}${resolvedNote} has no tag, so it means \`latest\``;
      out.push(
        atInstruction(
          "docker/unpinned-base-image",
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
    return out;
  },
});
