import {
  type DockerfileModel,
  type DockerInstruction,
  dockerfileOf,
  type MappedText,
} from "../../formats/dockerfile.js";
import type { SimpleCommand } from "../../formats/shell/commands.js";
import {
  emptyReading,
  readShell,
  type ShellInvocation,
  type ShellSite,
  commandPosition as shellCommandPosition,
  commandText as shellCommandText,
} from "../shell/reading.js";
import type { FileVersion } from "../types.js";

/**
 * Every shell command a Dockerfile's RUN instructions execute, with its stage
 * and source position — read once per file version (through the shared shell
 * reading, src/checks/shell/) and shared by the checks that look at commands
 * (pipe-to-shell, TLS, signatures, sudo, chmod, …).
 */

export type RunPipeline = ShellSite<{ instruction: DockerInstruction; stageKey: string }>;

export type RunInvocation = ShellInvocation<{ instruction: DockerInstruction; stageKey: string }>;

export interface RunText {
  instruction: DockerInstruction;
  stageKey: string;
  /** Command line, heredoc scripts and heredoc data of one RUN. */
  source: MappedText;
}

export interface RunCommands {
  pipelines: RunPipeline[];
  invocations: RunInvocation[];
  /** Raw texts, for settings written into files (`sslverify=0`, `[trusted=yes]`). */
  texts: RunText[];
}

const NON_POSIX_SHELLS = /^(cmd|cmd\.exe|powershell|powershell\.exe|pwsh|pwsh\.exe)$/i;

export function runCommands(file: FileVersion): RunCommands {
  return file.memo("dockerfile-run-commands", () => collect(dockerfileOf(file)));
}

function collect(model: DockerfileModel): RunCommands {
  const reading = emptyReading<{ instruction: DockerInstruction; stageKey: string }>();
  const out: RunCommands = { pipelines: reading.pipelines, invocations: reading.invocations, texts: [] };
  for (const stage of model.stages) {
    let posix = true;
    const stageKey = model.stageKey(stage.index);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "SHELL" && instruction.json?.[0]) {
        posix = !NON_POSIX_SHELLS.test(instruction.json[0].split(/[\\/]/).pop() ?? "");
      }
      if (instruction.keyword !== "RUN" || !posix) continue;
      const script = model.runScript(instruction);
      const first = reading.sources.length;
      for (const source of [script.command, ...script.scripts])
        readShell(source, { instruction, stageKey }, reading);
      for (let k = first; k < reading.sources.length; k++)
        out.texts.push({ instruction, stageKey, source: reading.sources[k]! });
      for (const heredoc of script.heredocs) {
        if (heredoc.isScript || heredoc.body.length === 0) continue;
        const text = heredoc.body.map((b) => b.text).join("\n");
        const lines = heredoc.body.map((b) => b.line);
        const starts: number[] = [];
        let at = 0;
        for (const b of heredoc.body) {
          starts.push(at);
          at += b.text.length + 1;
        }
        out.texts.push({
          instruction,
          stageKey,
          source: {
            text,
            position(offset) {
              let k = 0;
              while (k + 1 < starts.length && starts[k + 1]! <= offset) k++;
              return { line: lines[k]!, column: offset - starts[k]! + 1 };
            },
          },
        });
      }
    }
  }
  return out;
}

/** The text of one simple command, whitespace collapsed (for anchors). */
export function commandText(site: RunPipeline, command: SimpleCommand): string {
  return shellCommandText(site, command);
}

/** Source line and column of a simple command's first character. */
export function commandPosition(site: RunPipeline, command: SimpleCommand): { line: number; column: number } {
  return shellCommandPosition(site, command);
}
