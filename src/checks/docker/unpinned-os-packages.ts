import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, onePerDockerInstruction, quote } from "./findings.js";
import { UNPINNED, unpinnedPackages } from "./package-managers.js";
import { commandPosition, commandText, runCommands } from "./run-commands.js";

/** An OS package install without versions (off by default): every rebuild takes what the mirror serves. */
export const unpinnedOsPackages = defineCheck({
  kind: "snapshot",
  name: "docker/unpinned-packages",
  families: ["docker"],
  rules: [UNPINNED],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    for (const inv of runCommands(file).invocations) {
      const { names, example } = unpinnedPackages(inv);
      if (names.length === 0) continue;
      const text = commandText(inv.site, inv.command);
      const shown =
        names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
      out.push({
        ruleId: UNPINNED,
        ...commandPosition(inv.site, inv.command),
        message: `${quote(text)} installs ${shown} without a version, so each rebuild takes whatever the mirror serves that day; pin versions, e.g. ${example}.`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }
    return out;
  },
});
