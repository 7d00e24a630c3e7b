import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { commandText } from "../shell/reading.js";
import {
  tlsVerificationDisabled as insecureCommands,
  tlsConfigSettings,
  tlsEnvDisables,
} from "../shell/tls.js";
import { ciFinding, quoteCommand } from "./common.js";
import { shellReadingOf } from "./facts.js";
import { ciFacts } from "./model.js";

/**
 * Certificate checks turned off in a pipeline step (`curl -k`, `git -c
 * http.sslVerify=false`, `npm config set strict-ssl false`, …) or in a
 * GitLab variable (`GIT_SSL_NO_VERIFY: "true"`): a man in the middle serves
 * the runner anything. What counts is the shared shell reading's.
 */
const RULE = "ci/tls-verification-disabled";

export const tlsVerificationDisabled = defineCheck({
  kind: "snapshot",
  name: "ci/tls-verification-disabled",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (!facts) return [];
    const out: RawFinding[] = [];
    for (const script of facts.scripts) {
      if (script.shell !== "posix") continue;
      const reading = shellReadingOf(script);
      const lines = new Set<number>();
      for (const c of insecureCommands(reading)) {
        const text = commandText(c.invocation.site, c.invocation.command);
        lines.add(c.line);
        out.push(
          ciFinding({
            ruleId: RULE,
            at: c,
            message: `${quoteCommand(text)} (${facts.flavor}, ${script.scope}) turns off TLS certificate verification (\`${c.reason}\`): anyone on the network path can answer in the server's place.`,
            anchor: `${facts.flavor}/${script.scope}/tls:${text}`,
          }),
        );
      }
      for (const source of reading.sources) {
        for (const s of tlsConfigSettings(source)) {
          if (lines.has(s.line)) continue;
          lines.add(s.line);
          out.push(
            ciFinding({
              ruleId: RULE,
              at: s,
              message: `\`${s.text}\` (${facts.flavor}, ${script.scope}) turns off TLS certificate verification for a download tool: a man in the middle can serve anything.`,
              anchor: `${facts.flavor}/${script.scope}/tls:${s.text}`,
            }),
          );
        }
      }
    }
    for (const v of facts.variables) {
      if (!tlsEnvDisables(v.name, v.value)) continue;
      out.push(
        ciFinding({
          ruleId: RULE,
          at: v,
          message: `\`${v.name}: ${v.value}\` (${facts.flavor}, ${v.scope}) turns off TLS certificate verification for every command of ${v.scope === "global" ? "the pipeline" : "the job"}.`,
          anchor: `${facts.flavor}/${v.scope}/variables/${v.name}`,
        }),
      );
    }
    return out;
  },
});
