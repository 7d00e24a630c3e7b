import type { ShellInvocation, ShellReading, ShellSite, ShellSource } from "./reading.js";

/**
 * `curl … | sh` runs whatever the server returns, unreviewed and unverified:
 * a compromised host, CDN or DNS answer owns the machine that runs it.
 * `bash <(curl …)` and `sh -c "$(curl …)"` are the same thing.
 */

const DOWNLOADERS = new Set(["curl", "wget"]);
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "fish", "busybox"]);
const INTERPRETER = /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|pwsh|powershell)$/;
const EVALUATORS = new Set(["source", ".", "eval"]);
const SUBSTITUTED_DOWNLOAD = /(<\(|\$\(|`)\s*(sudo\s+)?(curl|wget)\b/;

export function isInterpreter(program: string): boolean {
  return SHELLS.has(program) || INTERPRETER.test(program);
}

/** An interpreter reading its program from stdin: no `-c`/`-e` code and no script file argument. */
export function readsProgramFromStdin(inv: Pick<ShellInvocation, "program" | "args">): boolean {
  const shell = SHELLS.has(inv.program);
  const args = inv.args;
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!.value;
    if (a === "-" || a === "-s" || (shell && /^-[a-z]*s[a-z]*$/.test(a))) return true;
    if (a === "--") return shell;
    if (/^-[a-zA-Z]*[cCeE]$/.test(a) || a === "--command" || a === "--eval") return false;
    // `python -m json.tool`, `php -r '…'`: a module or inline code runs, the download is its input.
    if (!shell && (a === "-m" || a === "-r")) return false;
    if (a === "-o" || a === "+o" || a === "-W" || a === "-X") {
      k++;
      continue;
    }
    if (a.startsWith("-") || a.startsWith("+")) continue;
    return false;
  }
  return true;
}

const PLAIN_HTTP = /(^|[\s"'=(])http:\/\//i;

export interface RemoteScript<X extends object = object> {
  site: ShellSite<X>;
  /** The command the finding sits on: the download, or the interpreter running `$(curl …)`. */
  culprit: ShellInvocation<X>;
  /** The program that runs the download (`bash`, `python3`, `eval`, …). */
  runs: string;
  /** The URL is plain `http://`: anyone on the network path chooses what runs. */
  plainHttp: boolean;
  line: number;
  column: number;
}

/** Every pipeline of the reading that runs a downloaded script, once per pipeline. */
export function remoteScriptToShell<X extends object>(
  reading: Pick<ShellReading<X>, "pipelines" | "invocations">,
): Array<RemoteScript<X>> {
  const out: Array<RemoteScript<X>> = [];
  // Most scripts neither download nor substitute: nothing below can match, so skip grouping them.
  if (
    !reading.invocations.some((inv) => DOWNLOADERS.has(inv.program) || inv.args.some((a) => a.substitution))
  )
    return out;
  const byPipeline = new Map<object, Array<ShellInvocation<X>>>();
  for (const inv of reading.invocations) {
    const list = byPipeline.get(inv.site.pipeline) ?? [];
    list.push(inv);
    byPipeline.set(inv.site.pipeline, list);
  }
  for (const site of reading.pipelines) {
    const list = byPipeline.get(site.pipeline) ?? [];
    const download = list.find((inv) => DOWNLOADERS.has(inv.program));
    const runner = download
      ? list.find(
          (inv) => inv.index > download.index && isInterpreter(inv.program) && readsProgramFromStdin(inv),
        )
      : undefined;
    const substituted = list.find(
      (inv) =>
        (isInterpreter(inv.program) || EVALUATORS.has(inv.program)) &&
        inv.args.some((a) => a.substitution && SUBSTITUTED_DOWNLOAD.test(a.value)),
    );
    const culprit = download && runner ? download : substituted;
    if (!culprit) continue;
    const runs = runner ? runner.program : (substituted?.program ?? "a shell");
    out.push({
      site,
      culprit,
      runs,
      plainHttp: culprit.args.some((a) => PLAIN_HTTP.test(a.value)),
      ...site.source.position(culprit.command.start),
    });
  }
  return out;
}

/**
 * PowerShell's forms, read per line: `iwr … | iex`, `irm … | Invoke-Expression`,
 * `iex ((New-Object Net.WebClient).DownloadString('…'))`, `iex (irm …)`. The
 * POSIX reading does not apply (parentheses are expressions there, not
 * subshells), and these are one-line idioms, so a bounded per-line pattern
 * says it without a PowerShell grammar.
 */
const PS_DOWNLOAD = String.raw`(?:\biwr|\birm|\bInvoke-WebRequest|\bInvoke-RestMethod|\bcurl|\bwget|\.DownloadString|\.DownloadData)\b`;
const PS_RUN = String.raw`(?:\biex|\bInvoke-Expression)\b`;
const PS_PIPED = new RegExp(String.raw`${PS_DOWNLOAD}[^|\n]{0,1000}\|\s*(?:&\s*)?${PS_RUN}`, "i");
const PS_WRAPPED = new RegExp(String.raw`${PS_RUN}[\s(]{0,20}[^\n]{0,400}?${PS_DOWNLOAD}`, "i");
const MAX_LINE = 4_096;
const PS_RUNNER_NAMED = /iex|invoke-expression/i;

export interface PowerShellRemoteScript {
  /** The line, trimmed. */
  text: string;
  plainHttp: boolean;
  /** Offset of the line's first non-blank character in the source's text. */
  offset: number;
  line: number;
  column: number;
}

export function powershellRemoteScripts(source: ShellSource): PowerShellRemoteScript[] {
  const out: PowerShellRemoteScript[] = [];
  // A line can only match if the script names the runner somewhere: one search instead of a split.
  if (!PS_RUNNER_NAMED.test(source.text)) return out;
  let offset = 0;
  for (const raw of source.text.split("\n")) {
    const start = offset;
    offset += raw.length + 1;
    const head = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    const text = head.trim();
    if (text.startsWith("#") || !PS_RUNNER_NAMED.test(text)) continue;
    if (!PS_PIPED.test(text) && !PS_WRAPPED.test(text)) continue;
    const at = start + (head.length - head.trimStart().length);
    out.push({ text, plainHttp: PLAIN_HTTP.test(text), offset: at, ...source.position(at) });
  }
  return out;
}
