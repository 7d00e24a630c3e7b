import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { stringOf, type TfResource } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/** TLS policies that still accept TLS 1.0 or 1.1. */
const OLD_TLS =
  /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-|TLS-1-1-|TLS13-1-1-|TLS13-1-0-)|^ELBSecurityPolicy-FS-2018-06$|^ELBSecurityPolicy-FS-1-1-/;

/**
 * Load balancer listeners that serve plain HTTP without redirecting to HTTPS,
 * and HTTPS/TLS listeners on a policy that still accepts TLS 1.0 or 1.1.
 */
export const awsPlaintextListener = defineCheck({
  kind: "review",
  name: "tf/aws-plaintext-listener",
  families: ["tf"],
  rules: ["tf/aws-plaintext-listener"],
  run: onModules((mod) => mod.resourcesOf("aws_lb_listener", "aws_alb_listener").flatMap(check)),
});

function check(r: TfResource): RawFinding[] {
  const protocol = stringOf(r.attr("protocol"))?.trim().toUpperCase();
  if (protocol === "HTTP") {
    const actions = r.blocks("default_action");
    if (r.dynamic("default_action")) return [];
    const types = actions.map((a) => stringOf(a.attr("type")));
    // A redirect (to HTTPS) or a fixed response serves no content in clear text.
    if (types.some((t) => t === undefined || t === "redirect" || t === "fixed-response")) return [];
    const at = r.attr("protocol")!;
    return [
      tfFinding(
        "tf/aws-plaintext-listener",
        at.loc,
        `${r.address}:protocol:HTTP`,
        `${r.address} serves HTTP in clear text without redirecting to HTTPS.`,
      ),
    ];
  }
  const policy = r.attr("ssl_policy");
  const name = stringOf(policy)?.trim();
  if (policy && name && OLD_TLS.test(name))
    return [
      tfFinding(
        "tf/aws-plaintext-listener",
        policy.loc,
        `${r.address}:ssl_policy:${name}`,
        `${r.address} uses ${name}, which still accepts TLS 1.0/1.1.`,
      ),
    ];
  return [];
}
