import type { RawFinding } from "../../review/types.js";
import { type CloudObject, isCloudObject, knownString } from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";

/**
 * Instances that answer IMDSv1: a server-side request forgery in any app on
 * the instance then reads the role's credentials from 169.254.169.254. Only
 * `HttpTokens: required` turns v1 off; left out, it defaults to `optional`.
 */

const RULE = "cfn/imdsv1-enabled";

export const imdsv1Enabled = defineCheck({
  kind: "snapshot",
  name: "cfn/imdsv1-enabled",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      const p = resource.properties;
      if (resource.type === "AWS::EC2::LaunchTemplate") {
        if (!isCloudObject(p.LaunchTemplateData)) continue;
        out.push(...metadata(template, resource, p.LaunchTemplateData, ["LaunchTemplateData"]));
      } else if (resource.type === "AWS::AutoScaling::LaunchConfiguration") {
        out.push(...metadata(template, resource, p, []));
      }
    }
    return out;
  }),
});

function metadata(
  template: CfnTemplate,
  resource: CfnResource,
  holder: CloudObject,
  at: ReadonlyArray<string>,
): RawFinding[] {
  const options = holder.MetadataOptions;
  if (options !== undefined && !isCloudObject(options)) return [];
  const tokens = isCloudObject(options) ? options.HttpTokens : undefined;
  const endpoint = isCloudObject(options) ? knownString(options.HttpEndpoint) : undefined;
  if (endpoint?.toLowerCase() === "disabled") return [];
  if (tokens === undefined) {
    const where = isCloudObject(options) ? [...at, "MetadataOptions"] : undefined;
    return [
      atProperty({
        ruleId: RULE,
        template,
        resource,
        path: where,
        anchor: "MetadataOptions.HttpTokens",
        message: `${resourceLabel(resource)} does not set \`MetadataOptions.HttpTokens: required\`, so its instances answer IMDSv1 and any SSRF can read the instance role's credentials.`,
      }),
    ];
  }
  const value = knownString(tokens);
  if (value === undefined || value.toLowerCase() === "required") return [];
  return [
    atProperty({
      ruleId: RULE,
      template,
      resource,
      path: [...at, "MetadataOptions", "HttpTokens"],
      anchor: "MetadataOptions.HttpTokens",
      message: `${resourceLabel(resource)} sets \`HttpTokens: ${value}\`, so its instances answer IMDSv1 and any SSRF can read the instance role's credentials; use \`required\`.`,
    }),
  ];
}
