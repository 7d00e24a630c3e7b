import {
  argProperties,
  type DockerInstruction,
  dockerfileOf,
  normalizeSpace,
} from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import {
  tlsVerificationDisabled as insecureCommands,
  tlsConfigSettings,
  tlsEnvDisables,
} from "../shell/tls.js";
import { anchor, atInstruction, onePerDockerInstruction, quote } from "./findings.js";
import { commandText, runCommands } from "./run-commands.js";

/**
 * Turning off certificate checks lets anyone on the network path (a proxy, a
 * compromised mirror, a hostile Wi-Fi in CI) swap what the build downloads.
 * Set in ENV, it also stays off for the application at run time. Which
 * commands and settings do so is the shared shell reading's (src/checks/shell/).
 */

const RULE = "docker/tls-verification-disabled";

export const tlsVerificationDisabled = defineCheck({
  kind: "snapshot",
  name: "docker/tls",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const reading = runCommands(file);
    const out: RawFinding[] = [];
    const lines = new Set<number>();

    for (const { invocation: inv, reason, ...position } of insecureCommands(reading)) {
      const text = commandText(inv.site, inv.command);
      lines.add(position.line);
      out.push({
        ruleId: RULE,
        ...position,
        message: `${quote(text)} turns off TLS certificate verification (\`${reason}\`), so anyone on the network path can swap what it downloads; remove it and trust the right CA instead (copy it into the image and run \`update-ca-certificates\`).`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }

    for (const t of reading.texts) {
      for (const setting of tlsConfigSettings(t.source)) {
        const position = { line: setting.line, column: setting.column };
        if (lines.has(position.line)) continue;
        lines.add(position.line);
        out.push({
          ruleId: RULE,
          ...position,
          message: `\`${setting.text}\` turns off TLS certificate verification for a package or download tool, so a man in the middle can serve anything; remove the setting and trust the right CA instead.`,
          anchor: anchor(t.stageKey, "RUN", normalizeSpace(file.lines[position.line - 1] ?? setting.text)),
        });
      }
    }

    for (const instruction of model.instructions) {
      if (instruction.keyword === "ENV")
        out.push(...envFindings(instruction, model.stageKey(instruction.stage)));
    }
    return out;
  },
});

function envFindings(instruction: DockerInstruction, stageKey: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { name, value, line, column } of argProperties(instruction)) {
    if (value === undefined || !tlsEnvDisables(name, value)) continue;
    out.push(
      atInstruction(
        RULE,
        instruction,
        `\`ENV ${name}=${value}\` turns off TLS certificate verification for every later build step and for the application at run time; remove it and trust the right CA instead.`,
        anchor(stageKey, "ENV", name, value),
        { line, column },
      ),
    );
  }
  return out;
}
