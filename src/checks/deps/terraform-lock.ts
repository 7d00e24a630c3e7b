import { type HclBlock, type HclExpr, loadHcl } from "../../formats/hcl.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ParseError } from "../types.js";

/**
 * `.terraform.lock.hcl` records each provider's version and the hashes of
 * its packages, so `terraform init` installs the bytes that were reviewed.
 * Two changes deserve a reviewer's eye: a provider whose hashes are replaced
 * while its version stays (the lock now accepts other binaries — adding
 * hashes for more platforms, as `terraform providers lock` does, is not
 * reported), and a provider added from a registry host other than the
 * Terraform and OpenTofu public registries.
 */
export const terraformLock = defineCheck({
  kind: "change",
  name: "deps/terraform-lock",
  families: ["deps"],
  rules: ["deps/lockfile-integrity-changed", "deps/non-registry-source", "meta/parse-error"],
  async run(change, ctx) {
    if (!/(^|\/)\.terraform\.lock\.hcl$/.test(change.path) || !change.head) return [];
    const hcl = await loadHcl();
    let head: Map<string, LockedProvider>;
    try {
      head = providers(hcl.parse(change.head.text).blocks);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const message = `${change.path} could not be parsed: ${e.message}`;
      return [
        {
          ruleId: "meta/parse-error",
          line: Math.max(1, e.line),
          message,
          anchor: "parse-error:deps/terraform-lock",
        },
      ];
    }
    let base = new Map<string, LockedProvider>();
    if (change.base && ctx.mode === "diff") {
      try {
        base = providers(hcl.parse(change.base.text).blocks);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
      }
    }
    const out: RawFinding[] = [];
    for (const [address, now] of head) {
      const before = base.get(address);
      if (!before) {
        const host = address.split("/")[0] ?? "";
        if (address.split("/").length === 3 && !KNOWN_REGISTRIES.has(host.toLowerCase())) {
          out.push({
            ruleId: "deps/non-registry-source",
            line: now.line,
            anchor: `terraform-provider:${address}`,
            message: `The provider ${address} comes from ${host}, not the Terraform or OpenTofu registry: check that this host is one the team trusts to serve provider binaries.`,
          });
        }
        continue;
      }
      if (now.version !== before.version || before.hashes.size === 0) continue;
      const dropped = [...before.hashes].filter((h) => !now.hashes.has(h));
      if (dropped.length === 0) continue;
      out.push({
        ruleId: "deps/lockfile-integrity-changed",
        line: now.hashesLine,
        anchor: `terraform-provider:${address}@${now.version}:${[...now.hashes].sort().join(",").slice(0, 200)}`,
        message: `The hashes of ${address} ${now.version} changed without a version change (${dropped.length} of ${before.hashes.size} recorded hashes replaced or removed): the lock file now accepts other provider binaries.`,
      });
    }
    return out;
  },
});

const KNOWN_REGISTRIES = new Set(["registry.terraform.io", "registry.opentofu.org"]);

interface LockedProvider {
  line: number;
  version: string | undefined;
  hashes: Set<string>;
  hashesLine: number;
}

function providers(blocks: readonly HclBlock[]): Map<string, LockedProvider> {
  const out = new Map<string, LockedProvider>();
  for (const b of blocks) {
    if (b.type !== "provider" || !b.labels[0]) continue;
    const attr = (name: string) => b.body.attributes.find((a) => a.name === name);
    const version = literal(attr("version")?.expr);
    const hashes = attr("hashes");
    const list = hashes?.expr.kind === "tuple" ? hashes.expr.items.map(literal) : [];
    out.set(b.labels[0].toLowerCase(), {
      line: b.line,
      version,
      hashes: new Set(list.filter((h): h is string => h !== undefined)),
      hashesLine: hashes?.line ?? b.line,
    });
  }
  return out;
}

function literal(e: HclExpr | undefined): string | undefined {
  return e?.kind === "literal" && typeof e.value === "string" ? e.value : undefined;
}
