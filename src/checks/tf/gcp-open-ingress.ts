import type { RawFinding } from "../../review/types.js";
import { describeExposure, isOpenCidr, type PortExposure, rangesExposure } from "../cloud/network.js";
import { type CloudValue, knownString } from "../cloud/value.js";
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
  return items.length === 0 ? { allPorts: true, ports: [] } : rangesExposure(items);
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
  // Several `allow` blocks add up: their port lists are one exposure.
  const exposures = r.blocks("allow").map(allowExposure);
  const exposure =
    exposures.find((e) => e?.allPorts) ??
    rangesExposure(exposures.flatMap((e) => (e ? e.ports.map((p) => String(p.port)) : [])));
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
