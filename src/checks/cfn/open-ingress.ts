import type { RawFinding } from "../../review/types.js";
import {
  type CloudObject,
  type CloudValue,
  describeExposure,
  exposedPorts,
  isCloudObject,
  isOpenCidr,
  itemsOf,
  knownBoolean,
  knownString,
  type PortExposure,
  type ValuePath,
} from "../cloud/index.js";
import { defineCheck } from "../define.js";
import { atProperty, onTemplate, resourceLabel } from "./findings.js";
import type { CfnResource, CfnTemplate } from "./model.js";

/**
 * Ingress from the whole internet (`0.0.0.0/0`, `::/0`) to remote
 * administration or database ports, or to every port: security group inline
 * rules, `AWS::EC2::SecurityGroupIngress` and network ACL entries.
 */

const RULE = "cfn/open-ingress";

export const openIngress = defineCheck({
  kind: "snapshot",
  name: "cfn/open-ingress",
  families: ["cfn"],
  rules: [RULE],
  run: onTemplate((template) => {
    const out: RawFinding[] = [];
    for (const resource of template.resources) {
      const p = resource.properties;
      if (resource.type === "AWS::EC2::SecurityGroup") {
        for (const item of itemsOf(p.SecurityGroupIngress, ["SecurityGroupIngress"])) {
          if (isCloudObject(item.value)) out.push(...ingressRule(template, resource, item.value, item.path));
        }
      } else if (resource.type === "AWS::EC2::SecurityGroupIngress") {
        out.push(...ingressRule(template, resource, p, []));
      } else if (resource.type === "AWS::EC2::NetworkAclEntry") {
        out.push(...naclEntry(template, resource));
      }
    }
    return out;
  }),
});

function openSource(rule: CloudObject): { key: string; cidr: string } | undefined {
  for (const key of ["CidrIp", "CidrIpv6"]) {
    if (isOpenCidr(rule[key])) return { key, cidr: knownString(rule[key])!.trim() };
  }
  return undefined;
}

function ingressRule(
  template: CfnTemplate,
  resource: CfnResource,
  rule: CloudObject,
  path: ValuePath,
): RawFinding[] {
  const source = openSource(rule);
  if (!source) return [];
  const exposure = exposedPorts(rule.IpProtocol, rule.FromPort, rule.ToPort);
  if (!exposure) return [];
  return [
    finding(template, resource, [...path, source.key], source.cidr, exposure, identity(rule, source.cidr)),
  ];
}

function naclEntry(template: CfnTemplate, resource: CfnResource): RawFinding[] {
  const p = resource.properties;
  if (knownBoolean(p.Egress) === true || knownString(p.RuleAction)?.toLowerCase() !== "allow") return [];
  const key = isOpenCidr(p.CidrBlock)
    ? "CidrBlock"
    : isOpenCidr(p.Ipv6CidrBlock)
      ? "Ipv6CidrBlock"
      : undefined;
  if (!key) return [];
  const range = isCloudObject(p.PortRange) ? p.PortRange : {};
  const exposure = exposedPorts(p.Protocol, range.From, range.To);
  if (!exposure) return [];
  const cidr = knownString(p[key])!.trim();
  return [
    finding(
      template,
      resource,
      [key],
      cidr,
      exposure,
      `${cidr}|${portsKey(p.Protocol, range.From, range.To)}`,
    ),
  ];
}

/** What makes a rule the same rule across edits: source, protocol and ports (not its description). */
function identity(rule: CloudObject, cidr: string): string {
  return `${cidr}|${portsKey(rule.IpProtocol, rule.FromPort, rule.ToPort)}`;
}

function portsKey(
  protocol: CloudValue | undefined,
  from: CloudValue | undefined,
  to: CloudValue | undefined,
): string {
  return `${knownString(protocol) ?? "?"}:${knownString(from) ?? "?"}-${knownString(to) ?? "?"}`;
}

function finding(
  template: CfnTemplate,
  resource: CfnResource,
  path: ValuePath,
  cidr: string,
  exposure: PortExposure,
  anchor: string,
): RawFinding {
  const what = resource.type === "AWS::EC2::NetworkAclEntry" ? "network ACL entry" : "security group";
  return atProperty({
    ruleId: RULE,
    template,
    resource,
    path,
    anchor: `ingress|${anchor}`,
    message: `${resourceLabel(resource)}: the ${what} lets ${cidr} (the whole internet) reach ${describeExposure(exposure)}.`,
  });
}
