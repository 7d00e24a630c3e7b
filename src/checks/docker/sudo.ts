import { type DockerInstruction, dockerfileOf } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, onePerDockerInstruction, quote } from "./findings.js";
import { commandText, type RunInvocation, runCommands } from "./run-commands.js";
import { rootness, type UserAt, userAt } from "./user-at.js";

/**
 * RUN already executes as the current USER; `sudo` inside it by a non-root
 * user means the image ships sudo and a sudoers rule, so anything that later
 * runs as that user can become root again. When the step already runs as root
 * (after `USER root`, or with no USER on a base that runs as root) sudo is a
 * no-op, not a way back to root, and nothing is reported. One finding per RUN.
 */

const RULE = "docker/sudo-in-run";
const INSTALLS_SUDO =
  /\b(apt-get|apt|apk|yum|dnf|microdnf|tdnf|zypper)\b[^;&|\n]*\b(install|add|in)\b[^;&|\n]*\bsudo\b/;

export const sudoInRun = defineCheck({
  kind: "snapshot",
  name: "docker/sudo",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const { invocations, texts } = runCommands(file);
    const byRun = new Map<DockerInstruction, RunInvocation[]>();
    for (const inv of invocations) {
      if (!inv.sudo) continue;
      const list = byRun.get(inv.site.instruction);
      if (list) list.push(inv);
      else byRun.set(inv.site.instruction, [inv]);
    }
    if (byRun.size === 0) return [];
    const model = dockerfileOf(file);
    const installsSudo = texts.find((t) => INSTALLS_SUDO.test(t.source.text))?.instruction;
    const out: RawFinding[] = [];
    for (const [run, list] of byRun) {
      const stage = model.stages[run.stage];
      if (!stage) continue;
      const at = userAt(model, stage, run);
      if (rootness(at) === "root") continue;
      const first = list[0]!;
      const texts = list.map((inv) => commandText(inv.site, inv.command));
      const more =
        list.length > 1
          ? ` (and ${list.length - 1} more \`sudo\` command${list.length > 2 ? "s" : ""} in this RUN)`
          : "";
      const fix = fixFor(at, stage.instructions, run);
      const ship =
        installsSudo && installsSudo !== run
          ? `, and drop the \`sudo\` package installed on line ${installsSudo.line}`
          : "";
      out.push({
        ruleId: RULE,
        ...first.site.source.position(first.command.start),
        message: `${quote(texts[0]!)}${more} uses \`sudo\` while the step runs as ${who(at)}, so the image keeps a sudoers path back to root for whatever runs as that user; ${fix}${ship}.`,
        fix: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}${ship}.`,
        // The sudo commands themselves, not the whole RUN: editing another command of the step is not new.
        anchor: anchor(first.site.stageKey, "RUN", "sudo", ...texts),
      });
    }
    return out;
  },
});

function who(at: UserAt): string {
  switch (at.kind) {
    case "instruction":
      return at.user !== undefined
        ? `\`${at.user}\` (\`USER\` on line ${at.instruction.line})`
        : `the user set on line ${at.instruction.line}`;
    case "base":
      return at.base.kind === "nonroot"
        ? `\`${at.base.user}\`, the base image's user`
        : "whichever user the base image sets (no `USER` before it)";
    default:
      return "an unknown user";
  }
}

/** Never tells the file to do what it already does. */
function fixFor(at: UserAt, instructions: readonly DockerInstruction[], run: DockerInstruction): string {
  const after = instructions.find((i) => i.line > run.line);
  const back =
    at.kind === "instruction"
      ? `USER ${at.instruction.args}`
      : at.kind === "base" && at.base.kind === "nonroot"
        ? `USER ${at.base.user}`
        : undefined;
  const alreadyBack = after?.keyword === "USER" && back !== undefined && `USER ${after.args}` === back;
  if (!back)
    return "if the step needs root, put `USER root` before this RUN, drop `sudo`, and switch to an unprivileged user after it";
  if (alreadyBack)
    return `put \`USER root\` before this RUN and drop \`sudo\` (the \`${back}\` on line ${after!.line} already switches back)`;
  return `put \`USER root\` before this RUN, drop \`sudo\`, and \`${back}\` right after it`;
}
