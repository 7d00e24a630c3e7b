/**
 * The shared definition of "looks like a secret", used by every family
 * (ARG/ENV in Dockerfiles, env values in workflows and manifests, …) so that
 * one detector decides. Signatures here are relied on by other families.
 */

const SECRET_NAME =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credential|auth[_-]?key|session[_-]?key|signing[_-]?key|encryption[_-]?key|connection[_-]?string|dsn|secret[_-]?key(?:[_-]?base)?|master[_-]?key)$/i;

const NOT_SECRET_NAME =
  /(public[_-]?key|_url|_uri|_path|_file|_dir|_name|_id|_type|_version|_length|_ttl|_timeout|_count)$/i;

/** English words that end in "pass" without being one (`BYPASS`, `compass`). */
const PASS_WORD = /(?:by|com|encom|sur|over|under|tres)pass$/i;

/** A variable, key or argument name that conventionally holds a secret (`DB_PASSWORD`, `apiKey`, `token`). */
export function isSecretName(name: string): boolean {
  const n = name.trim().replace(/^["']|["']$/g, "");
  if (NOT_SECRET_NAME.test(n) || PASS_WORD.test(n)) return false;
  return SECRET_NAME.test(n);
}

const PLACEHOLDER =
  /^(|x+|\*+|\.+|-+|changeme|change_me|changeit|example|sample|dummy|placeholder|redacted|todo|tbd|none|null|nil|true|false|undefined|your[_-].*|<[^>]*>|\[[^\]]*\]|\$\{\{.*\}\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{.*\}\}|%[A-Za-z_]+%|\$\([^)]*\))$/i;

/** A value that is a placeholder or a reference to a secret store rather than a secret itself. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, "");
  if (PLACEHOLDER.test(v)) return true;
  if (/secretKeyRef|secrets\.[A-Za-z_]|vault:|arn:aws:secretsmanager|ssm:/i.test(v)) return true;
  return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A literal assigned to a secret-named key that is not a placeholder: the
 * signal for `docker/secret-in-build`, `k8s/literal-secret-in-env`,
 * `compose/hardcoded-secret-env` and friends.
 */
export function isSecretAssignment(name: string, value: string | undefined | null): boolean {
  if (!isSecretName(name)) return false;
  if (value == null) return false;
  const v = value.trim().replace(/^["']|["']$/g, "");
  if (v.length < 4) return false;
  return !isPlaceholderValue(v);
}
