import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { baseImageUses, imageColumn } from "./base-image.js";
import { atInstruction, onePerDockerInstruction } from "./findings.js";

/** `FROM` an image without `@sha256:`: a re-pushed tag changes what is built (off by default). */
export const baseImageNotDigestPinned = defineCheck({
  kind: "snapshot",
  name: "docker/base-image-not-digest-pinned",
  families: ["docker"],
  rules: ["docker/base-image-not-digest-pinned"],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    for (const { stage, ref, key, written, resolvedNote } of baseImageUses(file)) {
      if (ref.digest) continue;
      out.push(
        atInstruction(
          "docker/base-image-not-digest-pinned",
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
    return out;
  },
});
