import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { remoteScriptToShell } from "../shell/remote-script.js";
import { anchor, onePerDockerInstruction, quote } from "./findings.js";
import { runCommands } from "./run-commands.js";

/**
 * `curl … | sh` runs whatever the server returns at build time, unreviewed and
 * unverified: a compromised host, CDN or DNS answer owns the build and the
 * image. `bash <(curl …)` and `sh -c "$(curl …)"` are the same thing. What
 * counts as a pipe to a shell is the shared shell reading's (src/checks/shell/).
 */

const RULE = "docker/remote-script-pipe-to-shell";

export const remoteScript = defineCheck({
  kind: "snapshot",
  name: "docker/remote-script",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const { site, runs, plainHttp: plain, line, column } of remoteScriptToShell(runCommands(file))) {
      const key = anchor(site.stageKey, "RUN", site.text);
      if (seen.has(`${site.instruction.line}:${key}`)) continue;
      seen.add(`${site.instruction.line}:${key}`);
      out.push({
        ruleId: RULE,
        line,
        column,
        message: plain
          ? `${quote(site.text)} runs a script fetched over plain HTTP in \`${runs}\`, so anyone on the network path (a Wi-Fi, a proxy, a hijacked route) can replace it and run code in the build; use HTTPS, then download it to a file, check a pinned SHA-256 or signature, and run it.`
          : `${quote(site.text)} runs a script fetched from the network in \`${runs}\` without verifying it, so whoever controls that URL controls the build; download it to a file, check a pinned SHA-256 or signature, then run it.`,
        anchor: key,
        // Over HTTPS the publisher must be compromised; over HTTP anyone in between can do it.
        ...(plain ? { severity: "high" as const } : {}),
      });
    }
    return out;
  },
});
