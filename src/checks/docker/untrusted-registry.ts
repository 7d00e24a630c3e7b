import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { baseImageUses, imageColumn, isTrusted, normalizeTrusted, registryOf } from "./base-image.js";
import { atInstruction, onePerDockerInstruction } from "./findings.js";

/** `FROM` a registry outside `docker.trusted-registries` (only when that list is set). */
export const untrustedRegistry = defineCheck({
  kind: "snapshot",
  name: "docker/untrusted-registry",
  families: ["docker"],
  rules: ["docker/untrusted-registry"],
  merge: onePerDockerInstruction,
  run(file, ctx) {
    const trusted = ctx.config.docker["trusted-registries"].map(normalizeTrusted);
    if (trusted.length === 0) return [];
    const out: RawFinding[] = [];
    for (const { stage, ref, key, written, resolvedNote } of baseImageUses(file)) {
      if (isTrusted(ref, trusted)) continue;
      out.push(
        atInstruction(
          "docker/untrusted-registry",
          stage.from,
          `${written}${resolvedNote} pulls from \`${registryOf(ref)}\`, which is not in docker.trusted-registries (${trusted.join(", ")}); use an image from a trusted registry or add this one to the list on purpose.`,
          key,
          imageColumn(stage),
        ),
      );
    }
    return out;
  },
});
