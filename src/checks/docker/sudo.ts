import type { RawFinding } from "../../review/types.js";
import type { SnapshotCheck } from "../types.js";
import { anchor, quote } from "./findings.js";
import { commandPosition, commandText, runCommands } from "./run-commands.js";

/**
 * RUN already executes as the current USER; `sudo` inside it means the image
 * ships sudo and a sudoers rule, so anything that later runs as that user can
 * become root again. Switch with `USER root` … `USER app` around the step.
 */

const RULE = "docker/sudo-in-run";

export const sudoInRun: SnapshotCheck = {
  kind: "snapshot",
  name: "docker/sudo",
  families: ["docker"],
  rules: [RULE],
  run(file) {
    const out: RawFinding[] = [];
    for (const inv of runCommands(file).invocations) {
      if (!inv.sudo) continue;
      const text = commandText(inv.site, inv.command);
      out.push({
        ruleId: RULE,
        ...commandPosition(inv.site, inv.command),
        message: `${quote(text)} uses \`sudo\`, which keeps a path back to root open in the image for whatever runs as this user; run the step under \`USER root\` and switch back to the unprivileged user afterwards.`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }
    return out;
  },
};
