import type { RawFinding } from "../../review/types.js";
import { describeExposure, exposedPorts, isOpenCidr } from "../cloud/network.js";
import { type CloudValue, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import type { Loc } from "./evaluate.js";
import { type Attr, stringOf, type TfBlockView, type TfModule, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Security groups, security group rules and network ACLs that let the whole
 * internet (`0.0.0.0/0`, `::/0`) reach an administration or database port, or
 * every port. Unknown CIDRs or ports are never reported.
 */
export const awsOpenIngress = defineCheck({
  kind: "review",
  name: "tf/aws-open-ingress",
  families: ["tf"],
  rules: ["tf/aws-open-ingress"],
  run: onModules((mod) => [
    ...mod
      .resourcesOf("aws_security_group")
      .flatMap((r) => r.blocks("ingress").flatMap((b) => sgRule(r, b, "ingress"))),
    ...mod
      .resourcesOf("aws_security_group_rule")
      .flatMap((r) => (stringOf(r.attr("type")) === "ingress" ? sgRule(r, r, "rule") : [])),
    ...mod.resourcesOf("aws_vpc_security_group_ingress_rule").flatMap((r) => vpcIngressRule(r)),
    ...mod.resourcesOf("aws_network_acl").flatMap((r) => r.blocks("ingress").flatMap((b) => naclRule(r, b))),
    ...mod.resourcesOf("aws_network_acl_rule").flatMap((r) => (isEgress(r) ? [] : naclRule(r, r))),
  ]),
});

function isEgress(r: TfBlockView): boolean {
  const e = r.attr("egress");
  return e === undefined ? false : e.value !== false && e.value !== "false";
}

/** Each open CIDR of a list attribute, with its own line. */
function openCidrs(mod: TfModule, a: Attr | undefined): Array<{ cidr: string; loc: Loc }> {
  if (!a) return [];
  const items: CloudValue[] = Array.isArray(a.value) ? a.value : [a.value];
  const out: Array<{ cidr: string; loc: Loc }> = [];
  items.forEach((v, i) => {
    if (isOpenCidr(v))
      out.push({
        cidr: knownString(v)!.trim(),
        loc: mod.evaluator.locate(a.value, Array.isArray(a.value) ? [i] : [], a.loc),
      });
  });
  return out;
}

function report(r: TfResource, where: string, cidr: string, loc: Loc, exposure: string): RawFinding {
  return tfFinding(
    "tf/aws-open-ingress",
    loc,
    `${r.address}:${where}:${cidr}:${exposure}`,
    `${r.address} lets ${cidr} (the whole internet) reach ${exposure}.`,
  );
}

function sgRule(r: TfResource, b: TfBlockView, where: string): RawFinding[] {
  const exposure = exposedPorts(
    b.attr("protocol")?.value,
    b.attr("from_port")?.value,
    b.attr("to_port")?.value,
  );
  if (!exposure) return [];
  const text = describeExposure(exposure);
  return [...openCidrs(r.mod, b.attr("cidr_blocks")), ...openCidrs(r.mod, b.attr("ipv6_cidr_blocks"))].map(
    (c) => report(r, where, c.cidr, c.loc, text),
  );
}

function vpcIngressRule(r: TfResource): RawFinding[] {
  const exposure = exposedPorts(
    r.attr("ip_protocol")?.value,
    r.attr("from_port")?.value,
    r.attr("to_port")?.value,
  );
  if (!exposure) return [];
  const text = describeExposure(exposure);
  return [...openCidrs(r.mod, r.attr("cidr_ipv4")), ...openCidrs(r.mod, r.attr("cidr_ipv6"))].map((c) =>
    report(r, "rule", c.cidr, c.loc, text),
  );
}

function naclRule(r: TfResource, b: TfBlockView): RawFinding[] {
  const action = stringOf(b.attr("action") ?? b.attr("rule_action"))?.toLowerCase();
  if (action !== "allow") return [];
  const exposure = exposedPorts(
    b.attr("protocol")?.value,
    b.attr("from_port")?.value,
    b.attr("to_port")?.value,
  );
  if (!exposure) return [];
  const text = describeExposure(exposure);
  return [...openCidrs(r.mod, b.attr("cidr_block")), ...openCidrs(r.mod, b.attr("ipv6_cidr_block"))].map(
    (c) => report(r, "nacl", c.cidr, c.loc, text),
  );
}
