import { normalizeSpace } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, onePerDockerInstruction, quote } from "./findings.js";
import { BYPASS, bypassFlag, CONFIG_SETTINGS } from "./package-managers.js";
import { commandPosition, commandText, runCommands } from "./run-commands.js";

export const packageSignatureBypass = defineCheck({
  kind: "snapshot",
  name: "docker/package-signatures",
  families: ["docker"],
  rules: [BYPASS],
  merge: onePerDockerInstruction,
  run(file) {
    const { invocations, texts } = runCommands(file);
    const out: RawFinding[] = [];
    const lines = new Set<number>();
    for (const inv of invocations) {
      const flag = bypassFlag(inv);
      if (!flag) continue;
      const text = commandText(inv.site, inv.command);
      const position = commandPosition(inv.site, inv.command);
      lines.add(position.line);
      out.push({
        ruleId: BYPASS,
        ...position,
        message: `${quote(text)} installs packages without checking their signatures (\`${flag}\`), so a tampered or spoofed package is accepted; remove the flag and import the repository's signing key instead.`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }
    for (const t of texts) {
      for (const m of t.source.text.matchAll(CONFIG_SETTINGS)) {
        const position = t.source.position(m.index);
        if (lines.has(position.line)) continue;
        lines.add(position.line);
        out.push({
          ruleId: BYPASS,
          ...position,
          message: `\`${m[0]}\` configures a package repository whose signatures are not checked, so a tampered package is accepted; remove it and import the repository's signing key instead.`,
          anchor: anchor(t.stageKey, "RUN", normalizeSpace(file.lines[position.line - 1] ?? m[0])),
        });
      }
    }
    return out;
  },
});
