import type { RawFinding } from "../../review/types.js";
import { knownBoolean } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";

/**
 * A database given a public address: reachable from the internet whenever
 * its security group lets traffic in, and found by every scanner of the
 * provider's address ranges.
 */

const RULE = "cfn/db-publicly-accessible";
const TYPES: ReadonlyMap<string, string> = new Map([
  ["AWS::RDS::DBInstance", "database instance"],
  ["AWS::Redshift::Cluster", "Redshift cluster"],
  ["AWS::DMS::ReplicationInstance", "DMS replication instance"],
]);

export const dbPubliclyAccessible = defineCheck({
  kind: "snapshot",
  name: "cfn/db-publicly-accessible",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      const what = TYPES.get(resource.type);
      if (!what || knownBoolean(resource.properties.PubliclyAccessible) !== true) continue;
      out.push(
        atProperty({
          ruleId: RULE,
          template,
          resource,
          path: ["PubliclyAccessible"],
          anchor: "PubliclyAccessible",
          message: `${resourceLabel(resource)} sets \`PubliclyAccessible: true\`: the ${what} gets a public address, reachable from the internet wherever its security group allows.`,
        }),
      );
    }
    return out;
  }),
});
