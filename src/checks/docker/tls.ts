import {
  argProperties,
  type DockerInstruction,
  dockerfileOf,
  normalizeSpace,
} from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction, quote } from "./findings.js";
import { commandPosition, commandText, type RunInvocation, runCommands } from "./run-commands.js";

/**
 * Turning off certificate checks lets anyone on the network path (a proxy, a
 * compromised mirror, a hostile Wi-Fi in CI) swap what the build downloads.
 * Set in ENV, it also stays off for the application at run time.
 */

const RULE = "docker/tls-verification-disabled";

/** Environment variables that disable verification, and when their value does so. */
const TLS_ENV: Record<string, (value: string) => boolean> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v.trim() === "0",
  GIT_SSL_NO_VERIFY: (v) => !/^(|0|false|no|off)$/i.test(v.trim()),
  PYTHONHTTPSVERIFY: (v) => v.trim() === "0",
  PIP_TRUSTED_HOST: (v) => v.trim() !== "",
  NPM_CONFIG_STRICT_SSL: (v) => /^(false|0|no)$/i.test(v.trim()),
  YARN_ENABLE_STRICT_SSL: (v) => /^(false|0|no)$/i.test(v.trim()),
  CURL_INSECURE: (v) => !/^(|0|false|no|off)$/i.test(v.trim()),
};

/** curl short options that take a value: a `k` after one of them is that value, not `--insecure`. */
const CURL_VALUE_OPTIONS = new Set("AbcCdDeEFHKmoPQrtTuUwxXyYz".split(""));

function curlInsecure(args: RunInvocation["args"]): string | undefined {
  for (const a of args) {
    const v = a.value;
    if (v === "--insecure" || v === "--proxy-insecure") return v;
    if (/^-[A-Za-z0-9#:]+$/.test(v)) {
      for (const ch of v.slice(1)) {
        if (ch === "k") return v;
        if (CURL_VALUE_OPTIONS.has(ch)) break;
      }
    }
  }
  return undefined;
}

const ANY_PROGRAM_FLAGS =
  /^--(insecure-skip-tls-verify|no-verify-ssl|tls-verify=false|tlsverify=false|no-check-certificate)\b/;

/** Why a command disables TLS verification, or undefined. */
export function insecureReason(inv: RunInvocation): string | undefined {
  for (const [name, value] of inv.env) {
    if (TLS_ENV[name]?.(value)) return `${name}=${value}`;
  }
  const args = inv.args.map((a) => a.value);
  if (inv.program === "curl") {
    const flag = curlInsecure(inv.args);
    if (flag) return `curl ${flag}`;
  }
  if (inv.program === "export") {
    for (const a of args) {
      const eq = a.indexOf("=");
      if (eq > 0 && TLS_ENV[a.slice(0, eq)]?.(a.slice(eq + 1))) return a;
    }
  }
  const flag = args.find((a) => ANY_PROGRAM_FLAGS.test(a) || a.startsWith("--trusted-host"));
  if (flag) return flag;
  const joined = args.join(" ").toLowerCase();
  if (
    /^(npm|yarn|pnpm)$/.test(inv.program) &&
    /strict-ssl(=|\s+)false|enablestrictssl(=|\s+)false/.test(joined)
  )
    return "strict-ssl false";
  if (inv.program === "git" && /http\.sslverify(=|\s+)(false|0|no|off)\b/.test(joined))
    return "http.sslVerify false";
  if (/^pip[0-9.]*$/.test(inv.program) && args[0] === "config" && joined.includes("trusted-host"))
    return "pip trusted-host";
  return undefined;
}

/** Settings written into config files: yum/dnf repos, apt, wgetrc, curlrc. */
const CONFIG_SETTINGS =
  /(?:\b|(?<=\\n))sslverify\s*=\s*(?:0|false|no)\b|\bVerify-(?:Peer|Host)["']?(?:\s*=\s*|\s+)["']?false\b|\bcheck_certificate\s*=\s*off\b|\binsecure\b[^\n]{0,200}?\.curlrc\b/gi;

export const tlsVerificationDisabled = defineCheck({
  kind: "snapshot",
  name: "docker/tls",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const { invocations, texts } = runCommands(file);
    const out: RawFinding[] = [];
    const lines = new Set<number>();

    for (const inv of invocations) {
      const reason = insecureReason(inv);
      if (!reason) continue;
      const text = commandText(inv.site, inv.command);
      const position = commandPosition(inv.site, inv.command);
      lines.add(position.line);
      out.push({
        ruleId: RULE,
        ...position,
        message: `${quote(text)} turns off TLS certificate verification (\`${reason}\`), so anyone on the network path can swap what it downloads; remove it and trust the right CA instead (copy it into the image and run \`update-ca-certificates\`).`,
        anchor: anchor(inv.site.stageKey, "RUN", text),
      });
    }

    for (const t of texts) {
      for (const m of t.source.text.matchAll(CONFIG_SETTINGS)) {
        const position = t.source.position(m.index);
        if (lines.has(position.line)) continue;
        lines.add(position.line);
        out.push({
          ruleId: RULE,
          ...position,
          message: `\`${m[0]}\` turns off TLS certificate verification for a package or download tool, so a man in the middle can serve anything; remove the setting and trust the right CA instead.`,
          anchor: anchor(t.stageKey, "RUN", normalizeSpace(file.lines[position.line - 1] ?? m[0])),
        });
      }
    }

    for (const instruction of model.instructions) {
      if (instruction.keyword === "ENV")
        out.push(...envFindings(instruction, model.stageKey(instruction.stage)));
    }
    return out;
  },
});

function envFindings(instruction: DockerInstruction, stageKey: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { name, value, line, column } of argProperties(instruction)) {
    if (value === undefined || !TLS_ENV[name]?.(value)) continue;
    out.push(
      atInstruction(
        RULE,
        instruction,
        `\`ENV ${name}=${value}\` turns off TLS certificate verification for every later build step and for the application at run time; remove it and trust the right CA instead.`,
        anchor(stageKey, "ENV", name, value),
        { line, column },
      ),
    );
  }
  return out;
}
