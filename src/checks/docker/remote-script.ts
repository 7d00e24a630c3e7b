import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, onePerDockerInstruction, quote } from "./findings.js";
import { commandPosition, type RunInvocation, runCommands } from "./run-commands.js";

/**
 * `curl … | sh` runs whatever the server returns at build time, unreviewed and
 * unverified: a compromised host, CDN or DNS answer owns the build and the
 * image. `bash <(curl …)` and `sh -c "$(curl …)"` are the same thing.
 */

const RULE = "docker/remote-script-pipe-to-shell";

const DOWNLOADERS = new Set(["curl", "wget"]);
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "fish", "busybox"]);
const INTERPRETER = /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|pwsh|powershell)$/;
const EVALUATORS = new Set(["source", ".", "eval"]);
const SUBSTITUTED_DOWNLOAD = /(<\(|\$\(|`)\s*(sudo\s+)?(curl|wget)\b/;

export function isInterpreter(program: string): boolean {
  return SHELLS.has(program) || INTERPRETER.test(program);
}

/** An interpreter reading its program from stdin: no `-c`/`-e` code and no script file argument. */
export function readsProgramFromStdin(inv: Pick<RunInvocation, "program" | "args">): boolean {
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

/** The download names an `http://` URL (in its arguments, or inside a substituted `$(curl …)`). */
function plainHttp(inv: RunInvocation): boolean {
  return inv.args.some((a) => PLAIN_HTTP.test(a.value));
}

export const remoteScript = defineCheck({
  kind: "snapshot",
  name: "docker/remote-script",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const { pipelines, invocations } = runCommands(file);
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    const byPipeline = new Map<object, RunInvocation[]>();
    for (const inv of invocations) {
      const list = byPipeline.get(inv.site.pipeline) ?? [];
      list.push(inv);
      byPipeline.set(inv.site.pipeline, list);
    }
    for (const site of pipelines) {
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
      const key = anchor(site.stageKey, "RUN", site.text);
      if (seen.has(`${site.instruction.line}:${key}`)) continue;
      seen.add(`${site.instruction.line}:${key}`);
      const runs = runner ? runner.program : (substituted?.program ?? "a shell");
      const plain = plainHttp(download && runner ? download : substituted!);
      out.push({
        ruleId: RULE,
        ...commandPosition(site, culprit.command),
        message: plain
          ? `${quote(site.text)} runs a script fetched over plain HTTP in \`${runs}\`, so anyone on the network path (a Wi-Fi, a proxy, a hijacked route) can replace it and run code in the build; use HTTPS, then download it to a file, check a pinned SHA-256 or signature, and run it.`
          : `${quote(site.text)} runs a script fetched from the network in \`${runs}\` without verifying it, so whoever controls that URL controls the build; download it to a file, check a pinned SHA-256 or signature, then run it.`,
        anchor: key,
        // Over HTTPS the publisher must be compromised; over HTTP anyone in between can do it.
        ...(plain ? { severity: "high" as const } : {}),
      });
    }
    return out;
  },
});
