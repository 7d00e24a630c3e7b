import type { RawFinding } from "../../review/types.js";
import { clip, type FindingSpec, finding } from "../finding.js";
import type { CheckContext, FileVersion } from "../types.js";
import { type AnsibleFile, loadAnsible } from "./model.js";

// Shared with the other families (../finding.ts); re-exported so this family's checks import one place.
export { clip, type FindingSpec, finding };

/**
 * Adapts a rule over one parsed Ansible file to a snapshot check's `run`.
 * Files that do not parse yield nothing here: `ansible/parse` reports them
 * once as `meta/parse-error`. `ansible.cfg` is INI and has its own checks.
 */
export function onAnsible(
  run: (model: AnsibleFile, ctx: CheckContext) => RawFinding[],
): (file: FileVersion, ctx: CheckContext) => RawFinding[] {
  return (file, ctx) => {
    const { model } = loadAnsible(file);
    return model ? run(model, ctx) : [];
  };
}

/** How a task is named in messages: its `name:`, else its module. */
export function taskLabel(task: { name?: string; moduleKey: string }): string {
  return task.name ? `task \`${clip(task.name, 80)}\`` : `\`${task.moduleKey}\` task`;
}
