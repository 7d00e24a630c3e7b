import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { jobAnchor, usesWithoutRef } from "./model.js";
import { isCommitSha, isFirstParty, parseUses, usesRefs } from "./uses.js";

/** A remote action referenced by a tag or branch rather than a full commit SHA. */
export const unpinnedAction = defineCheck({
  kind: "snapshot",
  name: "actions/unpinned-action",
  families: ["actions"],
  rules: ["actions/unpinned-action"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    // A Docker container action's own image (`runs.image: docker://…`).
    const image = scalarText(wf.image);
    if (wf.image && image && parseUses(image).kind === "docker" && !parseUses(image).ref) {
      out.push(
        finding({
          ruleId: "actions/unpinned-action",
          at: at(wf, wf.image),
          message: `This action runs \`${image}\`, a container image named by a movable tag: whoever can push that tag changes what every user of the action runs.`,
          fix: "Pin the image by digest: `docker://image@sha256:<digest>`.",
          anchor: `runs.image:${usesWithoutRef(image)}`,
          evidence: image,
        }),
      );
    }
    for (const u of usesRefs(wf)) {
      // The action without its tag: `@v3` → `@v4` of an action unpinned before and after is
      // not new, while a SHA pin replaced by a tag is (the base has no finding to match).
      const anchor = `${jobAnchor(u.job, u.step)}/unpinned`;
      if (u.kind === "docker" && !u.ref) {
        out.push(
          finding({
            ruleId: "actions/unpinned-action",
            at: at(wf, u.node),
            message: `\`${u.text}\` names a container image by a movable tag: whoever can push that tag changes what this job runs.`,
            fix: "Pin the image by digest: `docker://image@sha256:<digest>`.",
            anchor,
            evidence: u.text,
          }),
        );
        continue;
      }
      if (u.kind !== "remote" || isCommitSha(u.ref)) continue;
      const where = u.step ? "step" : "reusable workflow";
      const version = u.ref ?? "";
      const firstParty = isFirstParty(u.action!);
      out.push(
        finding({
          ruleId: "actions/unpinned-action",
          at: at(wf, u.node),
          severity: firstParty ? "low" : undefined,
          message: firstParty
            ? `\`${u.text}\` follows the movable ref \`${version}\`; it is published by GitHub itself, but only a commit SHA is immutable.`
            : `\`${u.text}\` follows the movable ref \`${version}\`: whoever controls or compromises ${u.action} can change the code this ${where} runs, as happened to tj-actions/changed-files in March 2025.`,
          fix: `Pin to the full commit SHA with the version as a comment: \`uses: ${u.text.split("@")[0]}@<40-hex sha> # ${version}\`.`,
          anchor,
          evidence: u.text,
        }),
      );
    }
    return out;
  }),
});
