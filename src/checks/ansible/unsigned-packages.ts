import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onAnsible, taskLabel } from "./common.js";
import { argBoolean, argPosition, argText, type ModuleArg, type Task } from "./model.js";

/**
 * A package installed without checking its signature is whatever the mirror,
 * a proxy or a poisoned cache served. apt's `allow_unauthenticated` and
 * `force` (which implies it), yum/dnf's `disable_gpg_check`, a repository
 * with `gpgcheck: no` and an apt source marked `[trusted=yes]` all turn the
 * check off.
 */
const RULE = "ansible/unsigned-packages";
const GPG_MODULES = new Set(["yum", "dnf", "dnf5", "package", "zypper", "zypper_repository"]);

function bypass(task: Task, arg: ModuleArg): string | undefined {
  const on = argBoolean(arg) === true;
  if (task.module === "apt" && arg.name === "allow_unauthenticated" && on)
    return "allow_unauthenticated: yes";
  if (task.module === "apt" && arg.name === "force" && on) return "force: yes";
  if (GPG_MODULES.has(task.module) && arg.name === "disable_gpg_check" && on) return "disable_gpg_check: yes";
  if (
    (task.module === "yum_repository" || task.module === "zypper_repository") &&
    arg.name === "gpgcheck" &&
    argBoolean(arg) === false
  )
    return "gpgcheck: no";
  if (
    task.module === "apt_repository" &&
    arg.name === "repo" &&
    /\[[^\]]*trusted=yes/i.test(argText(arg) ?? "")
  )
    return "[trusted=yes]";
  if (task.module === "deb822_repository" && arg.name === "trusted" && on) return "trusted: yes";
  return undefined;
}

export const unsignedPackages = defineCheck({
  kind: "snapshot",
  name: "ansible/unsigned-packages",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const task of model.tasks) {
      for (const arg of task.args) {
        const what = bypass(task, arg);
        if (!what) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, arg),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) installs packages without verifying their signatures (\`${what}\`): a mirror, proxy or attacker on the path can substitute any package.`,
            fix: "Remove the bypass and import the repository's signing key (`apt_key`/`rpm_key` with a pinned fingerprint, or `signed-by`).",
            anchor: `${task.anchor}/${arg.name}`,
          }),
        );
      }
    }
    return out;
  }),
});
