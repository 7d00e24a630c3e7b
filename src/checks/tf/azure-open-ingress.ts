import type { RawFinding } from "../../review/types.js";
import { describeExposure, isOpenCidr, type PortExposure, rangesExposure } from "../cloud/network.js";
import { type CloudValue, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import type { Loc } from "./evaluate.js";
import { type Attr, stringOf, type TfBlockView, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Azure network security group rules that allow inbound traffic from anywhere
 * (`*`, `Internet`, `Any`, `0.0.0.0/0`, `::/0`) to an administration or
 * database port, or to every port: `azurerm_network_security_rule` and the
 * inline `security_rule` blocks of `azurerm_network_security_group`.
 * Unknown prefixes or ports are never reported.
 */

const RULE = "tf/azure-open-ingress";

export const azureOpenIngress = defineCheck({
  kind: "review",
  name: "tf/azure-open-ingress",
  families: ["tf"],
  rules: [RULE],
  run: onModules((mod) => [
    ...mod.resourcesOf("azurerm_network_security_rule").flatMap((r) => nsgRule(r, r)),
    ...mod
      .resourcesOf("azurerm_network_security_group")
      .flatMap((r) => r.blocks("security_rule").flatMap((b) => nsgRule(r, b))),
  ]),
});

/** Sources that mean the whole internet in an NSG rule. */
export function isAnySource(value: CloudValue): boolean {
  const text = knownString(value)?.trim().toLowerCase();
  return text === "*" || text === "internet" || text === "any" || isOpenCidr(value);
}

function listOf(a: Attr | undefined): CloudValue[] {
  if (!a) return [];
  return Array.isArray(a.value) ? (a.value as CloudValue[]) : [a.value];
}

function openSource(r: TfResource, b: TfBlockView): { source: string; loc: Loc } | undefined {
  for (const name of ["source_address_prefix", "source_address_prefixes"]) {
    const a = b.attr(name);
    const items = listOf(a);
    const i = items.findIndex(isAnySource);
    if (a && i >= 0)
      return {
        source: knownString(items[i])!.trim(),
        loc: r.mod.evaluator.locate(a.value, Array.isArray(a.value) ? [i] : [], a.loc),
      };
  }
  return undefined;
}

function exposure(b: TfBlockView): PortExposure | undefined {
  const protocol = stringOf(b.attr("protocol"))?.toLowerCase();
  if (protocol === undefined || protocol === "icmp" || protocol === "ah" || protocol === "esp")
    return undefined;
  const ranges = [...listOf(b.attr("destination_port_range")), ...listOf(b.attr("destination_port_ranges"))];
  return ranges.length === 0 ? undefined : rangesExposure(ranges);
}

function nsgRule(r: TfResource, b: TfBlockView): RawFinding[] {
  if (stringOf(b.attr("direction"))?.toLowerCase() !== "inbound") return [];
  if (stringOf(b.attr("access"))?.toLowerCase() !== "allow") return [];
  const source = openSource(r, b);
  if (!source) return [];
  const open = exposure(b);
  if (!open) return [];
  const name = stringOf(b.attr("name")) ?? String(b.line);
  const text = describeExposure(open);
  return [
    tfFinding(
      RULE,
      source.loc,
      `${r.address}:${name}:${source.source}:${text}`,
      `${r.address}: security rule \`${name}\` lets ${source.source} (the whole internet) reach ${text}.`,
    ),
  ];
}
