import {
  type DockerfileModel,
  type DockerInstruction,
  dockerfileOf,
  type MappedText,
  normalizeSpace,
} from "../../formats/dockerfile.js";
import {
  type Invocation,
  invocation,
  type Pipeline,
  parseShell,
  type SimpleCommand,
  type Word,
} from "../../formats/shell/commands.js";
import type { FileVersion } from "../types.js";

/**
 * Every shell command a Dockerfile's RUN instructions execute, with its stage
 * and source position — read once per file version and shared by the checks
 * that look at commands (pipe-to-shell, TLS, signatures, sudo, chmod, …).
 */

export interface RunPipeline {
  instruction: DockerInstruction;
  stageKey: string;
  pipeline: Pipeline;
  source: MappedText;
  /** The pipeline's own text, whitespace collapsed: its identity in anchors. */
  text: string;
}

export interface RunInvocation extends Invocation {
  site: RunPipeline;
  /** Position in `site.pipeline.commands`. */
  index: number;
}

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
  const out: RunCommands = { pipelines: [], invocations: [], texts: [] };
  for (const stage of model.stages) {
    let posix = true;
    const stageKey = model.stageKey(stage.index);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "SHELL" && instruction.json?.[0]) {
        posix = !NON_POSIX_SHELLS.test(instruction.json[0].split(/[\\/]/).pop() ?? "");
      }
      if (instruction.keyword !== "RUN" || !posix) continue;
      const script = model.runScript(instruction);
      const sources = [script.command, ...script.scripts];
      for (const source of sources) addSource(out, instruction, stageKey, source, 0);
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

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "su"]);
const MAX_SHELL_NESTING = 3;

function addSource(
  out: RunCommands,
  instruction: DockerInstruction,
  stageKey: string,
  source: MappedText,
  depth: number,
): void {
  out.texts.push({ instruction, stageKey, source });
  for (const pipeline of parseShell(source.text)) {
    const site: RunPipeline = {
      instruction,
      stageKey,
      pipeline,
      source,
      text: normalizeSpace(source.text.slice(pipeline.start, pipeline.end)),
    };
    out.pipelines.push(site);
    pipeline.commands.forEach((command, index) => {
      const inv = invocation(command);
      if (!inv) return;
      // A plain literal rather than a spread: this runs for every command of every RUN.
      out.invocations.push({
        program: inv.program,
        args: inv.args,
        env: inv.env,
        sudo: inv.sudo,
        command: inv.command,
        site,
        index,
      });
      const script = depth < MAX_SHELL_NESTING ? shellCommandArgument(inv) : undefined;
      if (script) {
        // `sh -c '…'`: the quoted script runs too. Its positions all map to the argument's start.
        const at = source.position(script.start);
        addSource(out, instruction, stageKey, { text: script.value, position: () => at }, depth + 1);
      }
    });
  }
}

/** The script of `sh -c '…'`, `bash -ec "…"`, `su app -c '…'`. */
function shellCommandArgument(inv: Invocation): Word | undefined {
  if (!SHELLS.has(inv.program)) return undefined;
  const k = inv.args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.value) || a.value === "--command");
  return k >= 0 ? inv.args[k + 1] : undefined;
}

/** The text of one simple command, whitespace collapsed (for anchors). */
export function commandText(site: RunPipeline, command: SimpleCommand): string {
  return normalizeSpace(site.source.text.slice(command.start, command.end));
}

/** Source line and column of a simple command's first character. */
export function commandPosition(site: RunPipeline, command: SimpleCommand): { line: number; column: number } {
  return site.source.position(command.start);
}
