import { memoOn } from "../../formats/memo.js";
import { scalarPosition } from "../../formats/yaml.js";
import { readShell, type ShellReading } from "../shell/index.js";
import type { AnsibleFile, Task } from "./model.js";

/**
 * The shell a task runs (`shell`, `command`, `raw`, by short or collection
 * name, free-form or `cmd:`), read once with the shared shell reader so
 * `curl | sh`, `curl -k` and plain-HTTP downloads mean what they mean in a
 * Dockerfile or a workflow. `script` (a local file) and the Windows modules
 * are not POSIX shell and are not read.
 */
const POSIX_MODULES = new Set(["shell", "command", "raw"]);

export interface TaskShell {
  task: Task;
  reading: ShellReading<{ task: Task }>;
}

const SHELLS = Symbol("ansible task shells");

/** Read once per model (kept on it: formats/memo.ts says why), shared by the rules that look at shell. */
export function taskShells(model: AnsibleFile): TaskShell[] {
  return memoOn(model, SHELLS, () => readTaskShells(model));
}

function readTaskShells(model: AnsibleFile): TaskShell[] {
  const out: TaskShell[] = [];
  for (const task of model.tasks) {
    const command = task.command;
    if (!command || !POSIX_MODULES.has(task.module)) continue;
    const reading = readShell(
      {
        text: command.text,
        position: (at) => scalarPosition(model.src, command.scalar, command.offset + at),
      },
      { task },
    );
    out.push({ task, reading });
  }
  return out;
}
