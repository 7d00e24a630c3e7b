import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { stringOf, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

const TYPES = ["aws_instance", "aws_launch_template", "aws_launch_configuration"];

/**
 * Instances and launch templates that still answer IMDSv1 (`http_tokens`
 * not `required`): a server-side request forgery then reads the instance's
 * credentials. Reported on `http_tokens = "optional"`, or on the header of
 * an added instance without `metadata_options` (the EC2 default allows v1).
 */
export const awsImdsv1Enabled = defineCheck({
  kind: "review",
  name: "tf/aws-imdsv1-enabled",
  families: ["tf"],
  rules: ["tf/aws-imdsv1-enabled"],
  run: onModules((mod) => mod.resourcesOf(...TYPES).flatMap(check)),
});

function check(r: TfResource): RawFinding[] {
  const options = r.blocks("metadata_options");
  if (options.length === 0) {
    if (r.dynamic("metadata_options")) return [];
    return [
      {
        ...tfFinding(
          "tf/aws-imdsv1-enabled",
          r.loc,
          `${r.address}:metadata_options:missing`,
          `${r.address} has no metadata_options: the instance metadata service answers IMDSv1 requests unless the AMI says otherwise.`,
        ),
        // Left to the AMI's default (Amazon Linux 2023 requires IMDSv2): not blocking by itself.
        severity: "medium",
      },
    ];
  }
  return options.flatMap((o) => {
    if (stringOf(o.attr("http_endpoint"))?.trim() === "disabled") return [];
    const tokens = o.attr("http_tokens");
    if (!tokens) {
      return [
        {
          ...tfFinding(
            "tf/aws-imdsv1-enabled",
            { path: o.path, line: o.line },
            `${r.address}:http_tokens:missing`,
            `${r.address} does not set http_tokens = "required": IMDSv1 stays on unless the AMI says otherwise.`,
          ),
          severity: "medium",
        },
      ];
    }
    return stringOf(tokens)?.trim() === "optional"
      ? [
          tfFinding(
            "tf/aws-imdsv1-enabled",
            tokens.loc,
            `${r.address}:http_tokens:optional`,
            `${r.address} sets http_tokens = "optional": IMDSv1 stays on.`,
          ),
        ]
      : [];
  });
}
