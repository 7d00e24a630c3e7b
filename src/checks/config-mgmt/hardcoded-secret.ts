import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isSecretAssignment } from "../secrets/detector.js";
import { hashSecret } from "../secrets/scanner.js";
import { clip, finding, onModel, TOOL_NAMES } from "./common.js";
import { leafName } from "./model.js";

/**
 * A password, token or key written literally in a recipe, attribute file,
 * manifest, pillar, Vagrantfile or Packer template: readable by everyone who
 * can read the repository, and kept in its history. The secrets family's
 * detector decides which names hold secrets and which values are
 * placeholders; interpolated and templated values are unknown and skipped.
 */
const RULE = "config-mgmt/hardcoded-secret";

export const hardcodedSecret = defineCheck({
  kind: "snapshot",
  name: "config-mgmt/hardcoded-secret",
  families: ["config-mgmt"],
  rules: [RULE],
  run: onModel((model) => {
    const out: RawFinding[] = [];
    for (const s of model.settings) {
      if (s.dynamic || s.kind !== "string" || s.value === undefined) continue;
      const name = leafName(s.name);
      if (!isSecretAssignment(name, s.value)) continue;
      out.push(
        finding({
          ruleId: RULE,
          at: s,
          message: `${TOOL_NAMES[model.tool]} \`${clip(s.resource, 80)}\` writes \`${clip(name, 60)}\` as a literal secret, readable by anyone who can read the repository.`,
          anchor: `${s.resource}/${s.name}/${hashSecret(s.value).slice(0, 12)}`,
          evidence: `${clip(name, 60)}: ${redactSecret(s.value)}`,
        }),
      );
    }
    return out;
  }),
});
