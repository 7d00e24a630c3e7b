import type { ShellInvocation, ShellReading, ShellSource } from "./reading.js";

/**
 * Turning off certificate checks lets anyone on the network path (a proxy, a
 * compromised mirror, a hostile Wi-Fi) swap what a command downloads. The
 * ways to say it, by tool: flags (`curl -k`, `wget --no-check-certificate`,
 * `pip --trusted-host`, `git -c http.sslVerify=false`, `npm … strict-ssl
 * false`), environment variables (`NODE_TLS_REJECT_UNAUTHORIZED=0`, …) and
 * settings written into config files (`sslverify=0` in a yum repo, …).
 */

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

/** An environment variable set to this value turns TLS verification off (`NODE_TLS_REJECT_UNAUTHORIZED=0`). */
export function tlsEnvDisables(name: string, value: string): boolean {
  return Object.hasOwn(TLS_ENV, name) && TLS_ENV[name]!(value);
}

/** curl short options that take a value: a `k` after one of them is that value, not `--insecure`. */
const CURL_VALUE_OPTIONS = new Set("AbcCdDeEFHKmoPQrtTuUwxXyYz".split(""));

function curlInsecure(args: ShellInvocation["args"]): string | undefined {
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

/** Why a command disables TLS verification (`curl -k`, `GIT_SSL_NO_VERIFY=1`, …), or undefined. */
export function insecureReason(inv: Pick<ShellInvocation, "program" | "args" | "env">): string | undefined {
  for (const [name, value] of inv.env) {
    if (tlsEnvDisables(name, value)) return `${name}=${value}`;
  }
  const args = inv.args;
  if (inv.program === "curl") {
    const flag = curlInsecure(args);
    if (flag) return `curl ${flag}`;
  }
  if (inv.program === "export") {
    for (const { value: a } of args) {
      const eq = a.indexOf("=");
      if (eq > 0 && tlsEnvDisables(a.slice(0, eq), a.slice(eq + 1))) return a;
    }
  }
  // Every flag below is a long option: other words skip both tests (this runs for every command).
  for (const { value: a } of args) {
    if (a.startsWith("--") && (ANY_PROGRAM_FLAGS.test(a) || a.startsWith("--trusted-host"))) return a;
  }
  // The joined arguments matter to three programs only: not joined for every other command.
  const npm = /^(npm|yarn|pnpm)$/.test(inv.program);
  const pip = /^pip[0-9.]*$/.test(inv.program) && args[0]?.value === "config";
  if (!npm && !pip && inv.program !== "git") return undefined;
  const joined = args
    .map((a) => a.value)
    .join(" ")
    .toLowerCase();
  if (npm && /strict-ssl(=|\s+)false|enablestrictssl(=|\s+)false/.test(joined)) return "strict-ssl false";
  if (inv.program === "git" && /http\.sslverify(=|\s+)(false|0|no|off)\b/.test(joined))
    return "http.sslVerify false";
  if (pip && joined.includes("trusted-host")) return "pip trusted-host";
  return undefined;
}

export interface InsecureCommand<X extends object = object> {
  invocation: ShellInvocation<X>;
  /** What turns verification off, quoted from the command (`curl -k`, `strict-ssl false`). */
  reason: string;
  line: number;
  column: number;
}

/** Every command of the reading that turns TLS verification off, at its first character. */
export function tlsVerificationDisabled<X extends object>(
  reading: Pick<ShellReading<X>, "invocations">,
): Array<InsecureCommand<X>> {
  const out: Array<InsecureCommand<X>> = [];
  for (const inv of reading.invocations) {
    const reason = insecureReason(inv);
    if (reason) out.push({ invocation: inv, reason, ...inv.site.source.position(inv.command.start) });
  }
  return out;
}

/** Settings written into config files: yum/dnf repos, apt, wgetrc, curlrc. */
const CONFIG_SETTINGS =
  /(?:\b|(?<=\\n))sslverify\s*=\s*(?:0|false|no)\b|\bVerify-(?:Peer|Host)["']?(?:\s*=\s*|\s+)["']?false\b|\bcheck_certificate\s*=\s*off\b|\binsecure\b[^\n]{0,200}?\.curlrc\b/gi;

const CONFIG_SETTING_WORDS = /sslverify|verify-(?:peer|host)|check_certificate|insecure/i;

export interface InsecureSetting {
  /** The setting as written (`sslverify=0`). */
  text: string;
  /** Offset in the source's text. */
  offset: number;
  line: number;
  column: number;
}

/** TLS-off settings a script writes into config files (`echo sslverify=0 >> /etc/yum.conf`, heredoc data). */
export function tlsConfigSettings(source: ShellSource): InsecureSetting[] {
  const out: InsecureSetting[] = [];
  // Every setting names one of these words; most scripts hold none, and this test is ~8× cheaper than
  // the full pattern (whose leading assertions keep the engine from searching for a literal).
  if (!CONFIG_SETTING_WORDS.test(source.text)) return out;
  for (const m of source.text.matchAll(CONFIG_SETTINGS))
    out.push({ text: m[0], offset: m.index, ...source.position(m.index) });
  return out;
}
