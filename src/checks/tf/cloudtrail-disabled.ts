import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isFalse, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * CloudTrail trails that stop recording or record less than an investigation
 * needs: logging turned off, a single region, no log file validation
 * (`enable_log_file_validation` defaults to false).
 */
export const awsCloudtrailDisabled = defineCheck({
  kind: "review",
  name: "tf/aws-cloudtrail-disabled",
  families: ["tf"],
  rules: ["tf/aws-cloudtrail-disabled"],
  run: onModules((mod) => mod.resourcesOf("aws_cloudtrail").flatMap(check)),
});

function check(r: TfResource): RawFinding[] {
  const out: RawFinding[] = [];
  const logging = r.attr("enable_logging");
  if (logging && isFalse(logging))
    out.push(
      tfFinding(
        "tf/aws-cloudtrail-disabled",
        logging.loc,
        `${r.address}:enable_logging`,
        `${r.address} stops logging (enable_logging = false).`,
      ),
    );
  const multi = r.attr("is_multi_region_trail");
  if (multi && isFalse(multi))
    out.push(
      tfFinding(
        "tf/aws-cloudtrail-disabled",
        multi.loc,
        `${r.address}:is_multi_region_trail`,
        `${r.address} records one region only: activity in the others goes unseen.`,
      ),
    );
  const validation = r.attr("enable_log_file_validation");
  if (!validation || isFalse(validation)) {
    out.push(
      tfFinding(
        "tf/aws-cloudtrail-disabled",
        validation ? validation.loc : r.loc,
        `${r.address}:enable_log_file_validation`,
        `${r.address} does not validate its log files: a deleted or altered log goes unnoticed.`,
      ),
    );
  }
  return out;
}
