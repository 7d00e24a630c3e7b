import { dockerfileOf } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction, quote } from "./findings.js";
import { commandPosition, commandText, type RunInvocation, runCommands } from "./run-commands.js";

/**
 * A world-writable file or directory lets any process in the container —
 * whatever user it runs as — replace code or configuration that something
 * more privileged later executes.
 */

const RULE = "docker/world-writable-permissions";

/**
 * Whether a chmod-style mode grants write to "others". A sticky directory
 * (`1777`, like `/tmp`) is the conventional shared scratch space and passes.
 */
export function isWorldWritable(mode: string): boolean {
  const m = mode.trim();
  if (/^[0-7]{3,4}$/.test(m)) {
    const digits = m.padStart(4, "0");
    if ((Number(digits[0]) & 1) === 1) return false;
    return (Number(digits[3]) & 2) === 2;
  }
  for (const clause of m.split(",")) {
    const c = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!c) continue;
    const [, who = "", op, perms = ""] = c;
    if (op === "-" || !perms.includes("w")) continue;
    if (who.includes("o") || who.includes("a")) return !perms.includes("t");
  }
  return false;
}

function modeArgument(inv: RunInvocation): string | undefined {
  const args = inv.args.map((a) => a.value);
  if (inv.program === "chmod") {
    for (const a of args) {
      if (a.startsWith("--")) continue;
      if (/^-[RrfvcH]+$/.test(a)) continue;
      return a;
    }
    return undefined;
  }
  if (inv.program === "mkdir" || inv.program === "install") {
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      if (a === "-m" || a === "--mode") return args[k + 1];
      if (a.startsWith("--mode=")) return a.slice("--mode=".length);
      if (/^-[a-zA-Z]*m$/.test(a)) return args[k + 1];
    }
  }
  return undefined;
}

export const worldWritable = defineCheck({
  kind: "snapshot",
  name: "docker/permissions",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    for (const inv of runCommands(file).invocations) {
      const mode = modeArgument(inv);
      if (!mode || !isWorldWritable(mode)) continue;
      const text = commandText(inv.site, inv.command);
      out.push({
        ruleId: RULE,
        ...commandPosition(inv.site, inv.command),
        message: `${quote(text)} makes files writable by every user in the container (mode \`${mode}\`); give ownership to the user that needs it (\`chown app\`) and use \`755\`/\`644\` or tighter.`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }
    const model = dockerfileOf(file);
    for (const instruction of model.instructions) {
      if (instruction.keyword !== "COPY" && instruction.keyword !== "ADD") continue;
      const chmod = instruction.flags.find((f) => f.name === "chmod")?.value;
      if (!chmod || !isWorldWritable(chmod)) continue;
      out.push(
        atInstruction(
          RULE,
          instruction,
          `${quote(instruction.normalized)} copies files as writable by every user in the container (\`--chmod=${chmod}\`); use \`--chown=app\` with \`--chmod=755\`/\`644\` or tighter.`,
          anchor(model.stageKey(instruction.stage), instruction.normalized),
        ),
      );
    }
    return out;
  },
});
