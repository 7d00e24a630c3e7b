import { parseImageRef } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { repoOf } from "../docker/base-image.js";
import { ciFinding } from "./common.js";
import { ciFacts } from "./model.js";

/**
 * A job image with no tag or `latest` runs whatever was pushed last: the
 * pipeline changes, and a compromised push runs with the pipeline's
 * credentials, without a change in the repository. The reference is read by
 * the docker family's image-reference parser; a reference built from
 * variables (`$CI_REGISTRY_IMAGE`, `${{ parameters.image }}`) is unknown and
 * left alone.
 */
const RULE = "ci/unpinned-image";

export const unpinnedImage = defineCheck({
  kind: "snapshot",
  name: "ci/unpinned-image",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (!facts) return [];
    const out: RawFinding[] = [];
    for (const image of facts.images) {
      const text = image.text.trim();
      if (!text || /[$%{}<>]/.test(text) || /\s/.test(text)) continue;
      const ref = parseImageRef(text);
      if (ref.digest || (ref.tag && ref.tag !== "latest")) continue;
      const what = ref.tag ? "uses the moving `latest` tag" : "has no tag, so it means `latest`";
      out.push(
        ciFinding({
          ruleId: RULE,
          at: image,
          message: `The image \`${text}\` (${facts.flavor}, ${image.scope}) ${what}: the job runs whatever was pushed last, with the pipeline's credentials.`,
          fix: `Pin a version tag and ideally a digest: \`${repoOf(ref)}:<version>@sha256:…\`.`,
          anchor: `${facts.flavor}/${image.scope}/image:${text}`,
        }),
      );
    }
    return out;
  },
});
