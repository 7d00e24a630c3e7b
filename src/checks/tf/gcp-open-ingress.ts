import type { RawFinding } from "../../review/types.js";
import {
  describeExposure,
  isOpenCidr,
  type PortExposure,
  parsePortRange,
  rangeExposure,
} from "../cloud/network.js";
import { type CloudValue, isUnknown, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import { isTrue, stringOf, type TfBlockView, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Google Cloud firewall rules that let `0.0.0.0/0` (or `::/0`) reach an
 * administration or database port, or every port: an ingress
 * `google_compute_firewall` whose `allow` blocks name such ports, or a
 * protocol without ports (every port of it), or `all`.
 */

const RULE = "tf/gcp-open-ingress";

export const gcpOpenIngress = defineCheck({
  kind: "review",
  name: "tf/gcp-open-ingress",
  families: ["tf"],
  rules: [RULE],
  run: onModules((mod) => mod.resourcesOf("google_compute_firewall").flatMap(firewall)),
});

function allowExposure(b: TfBlockView): PortExposure | undefined {
  const protocol = stringOf(b.attr("protocol"))?.toLowerCase();
  if (protocol === undefined) return undefined;
  if (protocol === "all") return { allPorts: true, ports: [] };
  if (
    protocol !== "tcp" &&
    protocol !== "udp" &&
    protocol !== "sctp" &&
    protocol !== "6" &&
    protocol !== "17"
  )
    return undefined;
  const ports = b.attr("ports");
  if (!ports) return { allPorts: true, ports: [] };
  const items: CloudValue[] = Array.isArray(ports.value) ? ports.value : [ports.value];
  if (items.length === 0) return { allPorts: true, ports: [] };
  if (items.some(isUnknown)) return undefined;
  const found = new Map<number, string>();
  for (const item of items) {
    const range = parsePortRange(knownString(item) ?? "");
    if (!range) return undefined;
    const e = rangeExposure(range);
    if (e.allPorts) return e;
    for (const p of e.ports) found.set(p.port, p.service);
  }
  if (found.size === 0) return undefined;
  return {
    allPorts: false,
    ports: [...found].sort((a, c) => a[0] - c[0]).map(([port, service]) => ({ port, service })),
  };
}

function firewall(r: TfResource): RawFinding[] {
  const direction = stringOf(r.attr("direction"))?.toUpperCase() ?? "INGRESS";
  if (direction !== "INGRESS" || isTrue(r.attr("disabled"))) return [];
  const sources = r.attr("source_ranges");
  if (!sources) return [];
  const items: CloudValue[] = Array.isArray(sources.value) ? sources.value : [sources.value];
  const i = items.findIndex((v) => isOpenCidr(v));
  if (i < 0) return [];
  const cidr = knownString(items[i])!.trim();
  const loc = r.mod.evaluator.locate(sources.value, Array.isArray(sources.value) ? [i] : [], sources.loc);
  const out: RawFinding[] = [];
  const exposures = r.blocks("allow").map(allowExposure);
  const all = exposures.find((e) => e?.allPorts);
  const ports = new Map<number, string>();
  for (const e of exposures) for (const p of e?.ports ?? []) ports.set(p.port, p.service);
  const exposure: PortExposure | undefined = all
    ? all
    : ports.size > 0
      ? {
          allPorts: false,
          ports: [...ports].sort((a, c) => a[0] - c[0]).map(([port, service]) => ({ port, service })),
        }
      : undefined;
  if (!exposure) return out;
  const text = describeExposure(exposure);
  out.push(
    tfFinding(
      RULE,
      loc,
      `${r.address}:${cidr}:${text}`,
      `${r.address} lets ${cidr} (the whole internet) reach ${text}.`,
    ),
  );
  return out;
}
