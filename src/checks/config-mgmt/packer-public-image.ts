import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, finding, onModel } from "./common.js";
import { isFalse } from "./model.js";

/**
 * `ami_groups = ["all"]` (or `snapshot_groups`) publishes the image to every
 * AWS account: whatever the build baked in — keys, internal code, config —
 * is anyone's to launch and read. `encrypt_boot = false` leaves its volumes
 * unencrypted on an explicit decision.
 */
const RULE = "config-mgmt/packer-public-image";

export const packerPublicImage = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/packer-public-image",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    if (model.tool !== "packer") return out;
    for (const s of model.settings) {
      if (
        (s.name === "ami_groups" || s.name === "snapshot_groups") &&
        s.items?.some((i) => i.toLowerCase() === "all")
      ) {
        out.push(
          finding({
            ruleId: RULE,
            at: s,
            message: `Packer \`${clip(s.resource, 80)}\` sets \`${s.name} = ["all"]\`: the image is public to every AWS account, with whatever the build baked into it.`,
            anchor: `${s.resource}/${s.name}`,
          }),
        );
      } else if (s.name === "encrypt_boot" && isFalse(s)) {
        out.push(
          finding({
            ruleId: RULE,
            at: s,
            severity: "medium",
            message: `Packer \`${clip(s.resource, 80)}\` sets \`encrypt_boot = false\`: the image's volumes and snapshots are stored unencrypted.`,
            fix: "Set `encrypt_boot = true` (with `kms_key_id` for a customer-managed key).",
            anchor: `${s.resource}/encrypt_boot`,
          }),
        );
      }
    }
    return out;
  }),
});
