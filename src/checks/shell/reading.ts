import {
  type Invocation,
  invocation,
  type Pipeline,
  parseShell,
  type SimpleCommand,
  type Word,
} from "../../formats/shell/commands.js";

/**
 * The one reading of shell scripts that every family shares: a script's text
 * and where it sits in its file → pipelines → invocations (the program really
 * run, after `sudo`/`env` wrappers), with `sh -c '…'` scripts read too.
 * Dockerfile `RUN`s, workflow `run:` steps, pipeline `script:` lines, Jenkins
 * `sh` steps, Ansible `shell:` tasks, Chef `execute` and Vagrant provisioners
 * all come through here, so `curl | sh` or `curl -k` means the same everywhere.
 */

/** A script and the map from its offsets to the file's 1-based lines and columns. */
export interface ShellSource {
  text: string;
  position(offset: number): { line: number; column: number };
}

/** One pipeline of a script; `X` is what the caller attaches (a Dockerfile stage, a CI job). */
export type ShellSite<X extends object = object> = X & {
  pipeline: Pipeline;
  source: ShellSource;
  /** The pipeline's own text, whitespace collapsed: its identity in anchors. */
  text: string;
};

export interface ShellInvocation<X extends object = object> extends Invocation {
  site: ShellSite<X>;
  /** Position in `site.pipeline.commands`. */
  index: number;
}

export interface ShellReading<X extends object = object> {
  pipelines: Array<ShellSite<X>>;
  invocations: Array<ShellInvocation<X>>;
  /** Every text read (the script and each `sh -c` argument), for settings written into files. */
  sources: ShellSource[];
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "su"]);
const MAX_SHELL_NESTING = 3;

export function emptyReading<X extends object = object>(): ShellReading<X> {
  return { pipelines: [], invocations: [], sources: [] };
}

/** Reads one script into `into` (a fresh reading by default), tagging each site with `context`. */
export function readShell<X extends object = object>(
  source: ShellSource,
  context: X = {} as X,
  into: ShellReading<X> = emptyReading<X>(),
): ShellReading<X> {
  addSource(into, context, source, 0);
  return into;
}

function addSource<X extends object>(
  out: ShellReading<X>,
  context: X,
  source: ShellSource,
  depth: number,
): void {
  out.sources.push(source);
  for (const pipeline of parseShell(source.text)) {
    // Object.assign rather than `{ ...context, … }`: with contexts of several shapes (a task, a script, a
    // Dockerfile stage) the spread took V8's slow path, 5 µs a pipeline against 0.2 µs (measured).
    // No context has a `pipeline`, `source` or `text` of its own.
    const site = Object.assign(
      { pipeline, source, text: normalizeSpace(source.text.slice(pipeline.start, pipeline.end)) },
      context,
    ) as ShellSite<X>;
    out.pipelines.push(site);
    pipeline.commands.forEach((command, index) => {
      const inv = invocation(command);
      if (!inv) return;
      // A plain literal rather than a spread: this runs for every command of every script.
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
        addSource(out, context, { text: script.value, position: () => at }, depth + 1);
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

/**
 * A script that is one contiguous stretch of its file (a Groovy string, a Ruby
 * heredoc, a YAML plain or quoted scalar on one line): `offset` is where its
 * first character sits in `fileText`. Line starts are computed once per file
 * by the caller's `lineStarts` and shared, so many scripts stay linear.
 */
export function sourceInFile(text: string, offset: number, lineStarts: readonly number[]): ShellSource {
  return { text, position: (at) => positionIn(lineStarts, offset + at) };
}

/** Offsets where each line of `fileText` starts (line 1 at index 0). */
export function lineStartsOf(fileText: string): number[] {
  const starts = [0];
  for (let i = fileText.indexOf("\n"); i >= 0; i = fileText.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a file offset. */
export function positionIn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

/** The text of one simple command, whitespace collapsed (for anchors). */
export function commandText(site: ShellSite, command: SimpleCommand): string {
  return normalizeSpace(site.source.text.slice(command.start, command.end));
}

/** Source line and column of a simple command's first character. */
export function commandPosition(site: ShellSite, command: SimpleCommand): { line: number; column: number } {
  return site.source.position(command.start);
}

export function normalizeSpace(s: string): string {
  // Most texts are already single-spaced: testing first spares rebuilding them (the replace rewrote every
  // space, a twentieth of reviewing a Jenkinsfile).
  return SPACING_TO_COLLAPSE.test(s) ? s.replace(/\s+/g, " ").trim() : s.trim();
}

/** Whitespace that `normalizeSpace` changes: a run of two, or any whitespace but a plain space. */
const SPACING_TO_COLLAPSE = /[^\S ]| {2}/;
