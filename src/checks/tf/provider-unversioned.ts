import type { RawFinding } from "../../review/types.js";
import { isCloudObject, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import type { TfModule } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Providers required without a version constraint
 * (`required_providers { aws = { source = "hashicorp/aws" } }`): `terraform
 * init` then takes the newest release of a plug-in that holds the cloud
 * credentials. The lock file pins what was chosen, but a constraint is what
 * a reviewer and an upgrade read.
 */
export const providerUnversioned = defineCheck({
  kind: "review",
  name: "tf/provider-unversioned",
  families: ["tf"],
  rules: ["tf/provider-unversioned"],
  run: onModules((mod) => check(mod)),
});

function check(mod: TfModule): RawFinding[] {
  const out: RawFinding[] = [];
  for (const settings of mod.settings) {
    for (const required of settings.blocks("required_providers")) {
      for (const a of required.block.body.attributes) {
        const attr = required.attr(a.name)!;
        const value = attr.value;
        if (!isCloudObject(value)) continue;
        if (value.version !== undefined) continue;
        const source = knownString(value.source) ?? a.name;
        out.push(
          tfFinding(
            "tf/provider-unversioned",
            attr.loc,
            `required_providers.${a.name}:${source}`,
            `The provider ${a.name} (${source}) has no version constraint: any release may be installed.`,
          ),
        );
      }
    }
  }
  return out;
}
