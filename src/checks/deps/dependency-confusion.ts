import { hostOf } from "../../formats/lockfiles/text.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip } from "./describe.js";
import { newRegistrySettings } from "./registry-settings.js";
import { PUBLIC_REGISTRY_HOSTS } from "./sources.js";

function isPublicRegistry(value: string): boolean {
  const host = hostOf(value);
  return /^https:\/\//i.test(value) && host !== undefined && PUBLIC_REGISTRY_HOSTS.includes(host);
}

/**
 * Dependency confusion (CVE-2018-20225): when an installer consults several
 * indexes it takes the highest version from any of them, so anyone who
 * publishes an internal package name on the public index wins. New extra
 * indexes, new or switched registries, and hosts whose TLS errors are ignored
 * all change who can serve the project's packages.
 */
export const dependencyConfusion = defineCheck({
  kind: "change",
  name: "deps/dependency-confusion",
  families: ["deps"],
  rules: ["deps/dependency-confusion"],
  run(change) {
    const out: RawFinding[] = [];
    for (const s of newRegistrySettings(change)) {
      const value = clip(s.value, 160);
      let message: string | undefined;
      switch (s.kind) {
        case "extra-registry":
          message = `Adds \`${value}\` as an additional package index: the installer takes the highest version from any index, so a public package with an internal name wins (dependency confusion). Use one index that proxies the others, or scope internal packages to it.`;
          break;
        case "trusted-host":
          message = `Trusts \`${value}\` without TLS verification: packages from it can be swapped in transit.`;
          break;
        case "registry":
          // Pointing at the public registry itself (`registry=https://registry.npmjs.org/`) adds no one.
          if (isPublicRegistry(s.value)) break;
          message = `Sets the package registry to \`${value}\`: every package is now resolved there. Make sure it is the organisation's registry and that it does not fall back to the public one for internal names.`;
          break;
        case "scoped-registry":
          message = `Routes the \`${s.scope ?? "?"}\` scope to \`${value}\`: check the registry is yours and that the scope is registered on the public registry too.`;
          break;
        default:
          break;
      }
      if (!message) continue;
      out.push({
        ruleId: "deps/dependency-confusion",
        line: s.line,
        message,
        anchor: `${s.kind}:${s.scope ?? ""}:${clip(s.value, 300)}`,
      });
    }
    return out;
  },
});
