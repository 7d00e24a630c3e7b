import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip } from "./describe.js";
import { newRegistrySettings } from "./registry-settings.js";

/**
 * A registry or repository reached over plain http, or a switch that turns
 * TLS checks off, lets anyone on the network path serve the build its
 * dependencies (CVE-2021-26291 made Maven block http repositories by default).
 */
export const insecureRepository = defineCheck({
  kind: "change",
  name: "deps/insecure-repository",
  families: ["deps"],
  rules: ["deps/insecure-repository"],
  run(change) {
    const out: RawFinding[] = [];
    for (const s of newRegistrySettings(change)) {
      const value = clip(s.value, 160);
      if (s.kind === "insecure-option") {
        out.push({
          ruleId: "deps/insecure-repository",
          line: s.line,
          message: `\`${value}\` turns off transport security for package downloads: a network attacker can serve any package.`,
          anchor: `option:${clip(s.value, 300)}`,
        });
      } else if (/^http:\/\//i.test(s.value) && s.kind !== "trusted-host") {
        out.push({
          ruleId: "deps/insecure-repository",
          line: s.line,
          message: `Fetches packages from \`${value}\` over plain http: anyone on the network path can replace them. Use https.`,
          anchor: `http:${s.kind}:${clip(s.value, 300)}`,
        });
      }
    }
    return out;
  },
});
