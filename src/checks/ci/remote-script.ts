import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { powershellRemoteScripts, remoteScriptToShell } from "../shell/remote-script.js";
import { ciFinding, quoteCommand } from "./common.js";
import { shellReadingOf } from "./facts.js";
import { ciFacts } from "./model.js";

/**
 * `curl … | bash` in a pipeline step runs whatever the server sends, on a
 * runner that holds the pipeline's credentials. The shared shell reading
 * (src/checks/shell/) decides what is a pipe to a shell, as for Dockerfiles
 * and workflows.
 */
const RULE = "ci/remote-script-pipe-to-shell";

export const remoteScriptPipeToShell = defineCheck({
  kind: "snapshot",
  name: "ci/remote-script-pipe-to-shell",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (!facts) return [];
    const out: RawFinding[] = [];
    for (const script of facts.scripts) {
      const lines = new Set<number>();
      const report = (at: { line: number; column: number }, text: string, plain: boolean) => {
        if (lines.has(at.line)) return;
        lines.add(at.line);
        out.push(
          ciFinding({
            ruleId: RULE,
            at,
            severity: plain ? "high" : undefined,
            message: plain
              ? `${quoteCommand(text)} (${facts.flavor}, ${script.scope}) runs a script downloaded over plain HTTP: anyone on the network path chooses what runs on the runner, with the pipeline's credentials.`
              : `${quoteCommand(text)} (${facts.flavor}, ${script.scope}) runs a downloaded script unverified, with the pipeline's credentials: whoever controls that URL controls the runner.`,
            anchor: `${facts.flavor}/${script.scope}/pipe:${text}`,
          }),
        );
      };
      if (script.shell === "posix")
        for (const r of remoteScriptToShell(shellReadingOf(script))) report(r, r.site.text, r.plainHttp);
      for (const r of powershellRemoteScripts(script.source)) report(r, r.text, r.plainHttp);
    }
    return out;
  },
});
