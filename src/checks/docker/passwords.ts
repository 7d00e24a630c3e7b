import type { Word } from "../../formats/shell/commands.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, digestOf, onePerDockerInstruction } from "./findings.js";
import { commandPosition, type RunInvocation, runCommands } from "./run-commands.js";

/**
 * A password written into a RUN line is in the Dockerfile, in the image
 * history and identical in every container built from it: whoever reads any
 * of them can log in as that account.
 */

const RULE = "docker/hardcoded-password-change";
const FEEDERS = new Set(["echo", "printf"]);

/** A word that is literal text rather than a variable or substitution. */
function isLiteral(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && !/^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|\(.*\))$/.test(v);
}

function fedText(feeder: RunInvocation): Word | undefined {
  return feeder.args.find((a) => !/^-[neE]+$/.test(a.value));
}

/** The literal password a command sets, or undefined. */
export function hardcodedPassword(inv: RunInvocation, previous?: RunInvocation): string | undefined {
  if (inv.program === "chpasswd") {
    const hereString = inv.command.redirects.find((r) => r.op === "<<<")?.target;
    const fed = hereString ?? (previous && FEEDERS.has(previous.program) ? fedText(previous) : undefined);
    if (!fed) return undefined;
    const firstPair = fed.value.split(/\\n|\n/)[0] ?? "";
    const colon = firstPair.indexOf(":");
    if (colon < 0) return undefined;
    const password = firstPair.slice(colon + 1);
    return isLiteral(password) ? password : undefined;
  }
  if (inv.program === "passwd") {
    const hereString = inv.command.redirects.find((r) => r.op === "<<<")?.target;
    const fed = hereString ?? (previous && FEEDERS.has(previous.program) ? fedText(previous) : undefined);
    if (!fed) return undefined;
    const password = fed.value.split(/\\n|\n/)[0] ?? "";
    return isLiteral(password) ? password : undefined;
  }
  if (inv.program === "useradd" || inv.program === "usermod" || inv.program === "adduser") {
    const args = inv.args.map((a) => a.value);
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      const value =
        a === "-p" || a === "--password"
          ? args[k + 1]
          : a.startsWith("--password=")
            ? a.slice(11)
            : undefined;
      if (value !== undefined && isLiteral(value)) return value;
    }
  }
  return undefined;
}

export const hardcodedPasswordChange = defineCheck({
  kind: "snapshot",
  name: "docker/passwords",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const out: RawFinding[] = [];
    const invocations = runCommands(file).invocations;
    invocations.forEach((inv, i) => {
      const prev = invocations[i - 1];
      const previous = prev && prev.site === inv.site && prev.index === inv.index - 1 ? prev : undefined;
      const password = hardcodedPassword(inv, previous);
      if (password === undefined) return;
      const start = previous ?? inv;
      out.push({
        ruleId: RULE,
        ...commandPosition(start.site, start.command),
        message: `\`${inv.program}\` sets a password written literally in the Dockerfile, so it is in the image history and the same in every container; do not give the account a password (use \`USER\` and key-based access), or set it at run time from a secret.`,
        anchor: anchor(inv.site.stageKey, "RUN", inv.program, digestOf(inv.site.text)),
        evidence: redactSecret(password),
      });
    });
    return out;
  },
});
