import type { RuleId } from "../../review/types.js";
import { isPlaceholderPassword } from "./placeholders.js";

/**
 * The provider rule table: one entry per credential format with an anchored,
 * linear-time pattern. Order matters: when two rules match overlapping text,
 * the earlier (more specific) one wins, so a GitHub token inside a URL is a
 * `secrets/github-token`, not `secrets/url-credentials`.
 *
 * Every pattern is built to run in linear time: a look-behind guard means a
 * match can only start at the first character of a run, and every quantifier
 * over a run is bounded, so no input makes the engine backtrack quadratically.
 */

export interface ProviderRule {
  id: RuleId;
  /** What was found, for messages ("GitHub personal access token"). */
  label: string | ((secret: string) => string);
  /**
   * Lowercase literals: the rule only runs on a line that contains one of them
   * (case-insensitively). This keyword prefilter is what makes the scan fast.
   */
  keywords: readonly string[];
  /** A cheap test the line must also pass before any pattern runs (e.g. a URL password needs an `@`). */
  requires?: (line: string) => boolean;
  /** Global regexes. The named group `secret` (or the whole match) is the credential. */
  patterns: readonly RegExp[];
  /** Skip candidates whose Shannon entropy is below this (bits per character). */
  minEntropy?: number;
  /** Further checks on a candidate, e.g. that a JWT header decodes to JSON. */
  accept?: (secret: string, match: RegExpExecArray, line: string) => boolean;
  /** The form hashed for the fingerprint, when the raw text carries noise (escaped newlines). */
  normalize?: (secret: string) => string;
  /** Placeholder test for this rule; the default is `isPlaceholderSecret`. */
  placeholder?: (secret: string, match: RegExpExecArray) => boolean;
}

const GITHUB_KINDS: Record<string, string> = {
  ghp: "GitHub personal access token (classic)",
  gho: "GitHub OAuth access token",
  ghu: "GitHub App user-to-server token",
  ghs: "GitHub App installation token",
  ghr: "GitHub refresh token",
};

const SLACK_KINDS: Record<string, string> = {
  xoxb: "Slack bot token",
  xoxp: "Slack user token",
  xoxa: "Slack workspace access token",
  xoxr: "Slack refresh token",
  xoxe: "Slack configuration token",
  xoxs: "Slack session token",
  xoxo: "Slack legacy token",
  xapp: "Slack app-level token",
};

const DATABASE_SCHEMES = new Set([
  "postgres",
  "postgresql",
  "mysql",
  "mysqlx",
  "mariadb",
  "mongodb",
  "mongodb+srv",
  "redis",
  "rediss",
  "mssql",
  "sqlserver",
  "oracle",
  "cockroachdb",
  "clickhouse",
  "couchdb",
  "neo4j",
  "neo4j+s",
  "bolt",
  "cassandra",
  "db2",
  "snowflake",
  "memcached",
  "elasticsearch",
  "amqp",
  "amqps",
]);

/** `scheme://user:password@host`, shared by the URL and database rules. */
const URL_WITH_PASSWORD =
  /(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]{1,20}):\/\/(?<user>[^\s:/@"'`<>]{0,100}):(?<secret>[^\s/@"'`<>]{1,200})@(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252})/g;

function schemeOf(match: RegExpExecArray): string {
  return (match.groups?.scheme ?? "").toLowerCase().replace(/^jdbc:/, "");
}

/** Hosts reserved for documentation (RFC 2606 / 6761): credentials there are examples. */
const DOCUMENTATION_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$/i;

/** A password that is only a port number (`host:8080@…` in odd URLs) is not a credential. */
function plausiblePassword(secret: string, match: RegExpExecArray): boolean {
  const host = (match.groups?.host ?? "").replace(/\.$/, "");
  if (/^\d{1,5}$/.test(secret)) return false;
  return host.length > 0 && !DOCUMENTATION_HOST.test(host);
}

function decodeBase64Url(s: string): string {
  try {
    return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  } catch {
    return "";
  }
}

/** Both hex digits and letters: a run of one kind is a counter or a word, not a key. */
function mixedHex(s: string): boolean {
  return /[0-9]/.test(s) && /[a-fA-F]/.test(s);
}

export const PROVIDER_RULES: readonly ProviderRule[] = [
  {
    id: "secrets/gcp-service-account-key",
    label: "Google Cloud service account private key",
    keywords: ["private_key"],
    // The JSON key file writes the PEM block on one line with escaped newlines.
    patterns: [
      /"private_key"\s{0,10}:\s{0,10}"-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\r)?\\n(?<secret>[A-Za-z0-9+/=\\]{64,12000})/g,
    ],
    normalize: (s) => s.replace(/\\[rn]/g, ""),
    placeholder: (s) => /(.)\1{15}/.test(s),
  },
  {
    id: "secrets/aws-access-key",
    label: (s) => (s.startsWith("ASIA") ? "AWS temporary access key id" : "AWS access key id"),
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    // The 16 characters after the prefix are upper-case letters and any digit: ids with 0, 1, 8 or 9 are real.
    patterns: [/(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/aws-secret-key",
    label: "AWS secret access key",
    keywords: ["secret"],
    patterns: [
      /(?<![A-Za-z0-9])(?:aws[_.-]?)?secret[_.-]?(?:access[_.-]?)?key["']?\s{0,5}(?::=|=>|=|:)\s{0,5}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    ],
    minEntropy: 4,
    // `secret_key = <40 chars>` alone could be anything; AWS names it or the line says so.
    accept: (_s, m, line) => /access/i.test(m[0]) || /aws/i.test(line),
  },
  {
    id: "secrets/github-fine-grained-token",
    label: "GitHub fine-grained personal access token",
    keywords: ["github_pat_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/github-token",
    label: (s) => GITHUB_KINDS[s.slice(0, 3)] ?? "GitHub token",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/gitlab-token",
    label: (s) => (s.startsWith("GR1348941") ? "GitLab runner registration token" : "GitLab access token"),
    keywords: [
      "glpat-",
      "gldt-",
      "glrt-",
      "glptt-",
      "glcbt-",
      "glft-",
      "glsoat-",
      "gloas-",
      "glimt-",
      "gr1348941",
    ],
    patterns: [
      /(?<![A-Za-z0-9_-])(?<secret>(?:glpat|gldt|glrt|glptt|glcbt|glft|glsoat|gloas|glimt)-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}[0-9a-z]{7})?)(?![A-Za-z0-9_.-])/g,
      /(?<![A-Za-z0-9_-])(?<secret>GR1348941[A-Za-z0-9_-]{20,50})(?![A-Za-z0-9_-])/g,
    ],
    minEntropy: 3,
  },
  {
    id: "secrets/slack-token",
    label: (s) => SLACK_KINDS[s.slice(0, 4)] ?? "Slack token",
    keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxe-", "xoxs-", "xoxo-", "xapp-"],
    patterns: [
      /(?<![A-Za-z0-9-])(?<secret>xox[abposre]-(?:\d{6,13}-){1,3}[A-Za-z0-9]{20,64})(?![A-Za-z0-9-])/g,
      /(?<![A-Za-z0-9-])(?<secret>xapp-\d-[A-Z0-9]{9,12}-\d{10,13}-[a-f0-9]{32,80})(?![A-Za-z0-9-])/g,
    ],
    minEntropy: 3,
  },
  {
    id: "secrets/slack-webhook",
    label: "Slack incoming webhook URL",
    keywords: ["hooks.slack.com"],
    patterns: [
      /hooks\.slack\.com\/(?<secret>(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{40,120})(?![A-Za-z0-9+/_-])/g,
    ],
    minEntropy: 3,
  },
  {
    id: "secrets/stripe-secret-key",
    label: (s) => (s.startsWith("rk_") ? "Stripe restricted live key" : "Stripe live secret key"),
    keywords: ["sk_live_", "rk_live_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/gcp-api-key",
    label: "Google API key",
    keywords: ["aiza"],
    patterns: [/(?<![A-Za-z0-9_-])(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g],
    minEntropy: 3.5,
  },
  {
    id: "secrets/gcp-oauth-client-secret",
    label: "Google OAuth client secret",
    keywords: ["gocspx-"],
    patterns: [/(?<![A-Za-z0-9_-])(?<secret>GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/azure-storage-key",
    label: "Azure storage account key",
    keywords: ["accountkey", "account_key", "account-key", "storage_key", "storagekey"],
    patterns: [
      /AccountKey\s{0,3}=\s{0,3}(?<secret>[A-Za-z0-9+/]{86}==)/gi,
      /(?<![A-Za-z0-9])(?:storage|account)[_-]?(?:access[_-]?)?key["']?\s{0,5}(?::=|=>|=|:)\s{0,5}["']?(?<secret>[A-Za-z0-9+/]{86}==)/gi,
    ],
    minEntropy: 4,
  },
  {
    id: "secrets/azure-connection-string",
    label: (s) => (s.length > 50 ? "Azure SAS token signature" : "Azure shared access key"),
    keywords: ["sharedaccesskey", "sig="],
    patterns: [
      /SharedAccessKey\s{0,3}=\s{0,3}(?<secret>[A-Za-z0-9+/]{43}=)/gi,
      // A SAS URL: the signature is the secret; `sv=` and `se=`/`sp=` say it is Azure's.
      /[?&]sig=(?<secret>[A-Za-z0-9%+/=]{40,120})(?![A-Za-z0-9%+/=])/g,
    ],
    minEntropy: 3.5,
    accept: (_s, m, line) => /^shared/i.test(m[0]) || /[?&]sv=/.test(line),
  },
  {
    id: "secrets/azure-client-secret",
    label: "Azure AD (Entra ID) client secret",
    keywords: ["q~"],
    patterns: [
      /(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/g,
    ],
    minEntropy: 3,
  },
  {
    id: "secrets/npm-token",
    label: "npm access token",
    keywords: ["npm_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/npmrc-auth-token",
    label: "npm registry credential (.npmrc / .yarnrc)",
    keywords: ["_auth", "_password", "npmauth"],
    patterns: [
      /(?<![A-Za-z0-9])(?:_authToken|_auth|_password)\s{0,5}=\s{0,5}["']?(?<secret>[^\s"'#;]{8,2048})/g,
      /(?<![A-Za-z0-9])npmAuth(?:Token|Ident)\s{0,5}:\s{0,5}["']?(?<secret>[^\s"'#]{8,2048})/g,
    ],
    minEntropy: 2.5,
  },
  {
    id: "secrets/pypi-token",
    label: "PyPI API token",
    keywords: ["pypi-age"],
    patterns: [/(?<![A-Za-z0-9_-])(?<secret>pypi-AgE[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/rubygems-api-key",
    label: "RubyGems API key",
    keywords: ["rubygems_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>rubygems_[a-f0-9]{48})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/twilio-api-key",
    label: "Twilio API key",
    keywords: ["sk"],
    patterns: [/(?<![A-Za-z0-9])(?<secret>SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/g],
    minEntropy: 3,
    accept: (s) => mixedHex(s.slice(2)),
  },
  {
    id: "secrets/sendgrid-api-key",
    label: "SendGrid API key",
    keywords: ["sg."],
    patterns: [/(?<![A-Za-z0-9_-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/anthropic-api-key",
    label: (s) => (s.startsWith("sk-ant-admin") ? "Anthropic admin key" : "Anthropic API key"),
    keywords: ["sk-ant-"],
    patterns: [/(?<![A-Za-z0-9_-])(?<secret>sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/openai-api-key",
    label: "OpenAI API key",
    // `T3BlbkFJ` is base64 of "OpenAI", embedded in every key format so far.
    keywords: ["t3blbkfj"],
    patterns: [
      /(?<![A-Za-z0-9_-])(?<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_-])/g,
    ],
    minEntropy: 3,
  },
  {
    id: "secrets/huggingface-token",
    label: "Hugging Face access token",
    keywords: ["hf_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>hf_[A-Za-z]{34})(?![A-Za-z0-9_])/g],
    minEntropy: 3.5,
    accept: (s) => /[a-z]/.test(s.slice(3)) && /[A-Z]/.test(s.slice(3)),
  },
  {
    id: "secrets/shopify-token",
    label: "Shopify access token",
    keywords: ["shpat_", "shpss_", "shpca_", "shppa_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/hashicorp-vault-token",
    label: (s) => (s.startsWith("hvb.") ? "HashiCorp Vault batch token" : "HashiCorp Vault service token"),
    keywords: ["hvs.", "hvb."],
    patterns: [/(?<![A-Za-z0-9_.-])(?<secret>hv[sb]\.[A-Za-z0-9_-]{90,300})(?![A-Za-z0-9_-])/g],
    minEntropy: 3.5,
  },
  {
    id: "secrets/digitalocean-token",
    label: "DigitalOcean token",
    keywords: ["dop_v1_", "doo_v1_", "dor_v1_"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>do[por]_v1_[a-f0-9]{64})(?![A-Za-z0-9_])/g],
    minEntropy: 3,
  },
  {
    id: "secrets/databricks-token",
    label: "Databricks personal access token",
    keywords: ["dapi"],
    patterns: [/(?<![A-Za-z0-9_])(?<secret>dapi[a-f0-9]{32}(?:-\d)?)(?![A-Za-z0-9_-])/g],
    minEntropy: 3,
    accept: (s) => mixedHex(s.slice(4, 36)),
  },
  {
    id: "secrets/jwt",
    label: "JSON Web Token",
    keywords: ["eyj"],
    patterns: [
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,4000}\.eyJ[A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{10,4000})(?![A-Za-z0-9_-])/g,
    ],
    minEntropy: 3,
    accept: (s) => {
      const [header, payload] = s.split(".");
      if (!decodeBase64Url(header!).includes('"alg"')) return false;
      // jwt.io's demo token is in half the tutorials on the web.
      return !decodeBase64Url(payload!).includes('"John Doe"');
    },
  },
  {
    id: "secrets/database-connection-string",
    label: "database connection string with a password",
    keywords: ["://", "password", "pwd"],
    requires: (line) => line.includes("@") || line.includes("="),
    patterns: [
      URL_WITH_PASSWORD,
      // ADO.NET / ODBC style: `Server=…;User Id=…;Password=…;`
      /(?<![A-Za-z0-9_])(?:Password|Pwd)\s{0,3}=\s{0,3}(?<secret>[^;"'\s]{4,128})(?=;|"|'|\s|$)/gi,
    ],
    accept: (s, m, line) => {
      if (m.groups?.scheme !== undefined) return DATABASE_SCHEMES.has(schemeOf(m)) && plausiblePassword(s, m);
      return /(?:server|data source|host|address|addr)\s{0,3}=/i.test(line) && !s.startsWith("$");
    },
    placeholder: (s, m) => isPlaceholderPassword(s, m.groups?.user ?? ""),
  },
  {
    id: "secrets/url-credentials",
    label: "password in a URL",
    keywords: ["://"],
    requires: (line) => line.includes("@"),
    patterns: [URL_WITH_PASSWORD],
    accept: (s, m) => !DATABASE_SCHEMES.has(schemeOf(m)) && plausiblePassword(s, m),
    placeholder: (s, m) => isPlaceholderPassword(s, m.groups?.user ?? ""),
  },
];

/** The header of a PEM or PGP private key block; the body is checked by `private-key.ts`. */
export const PRIVATE_KEY_HEADER = /-----BEGIN (?<kind>[A-Z0-9 ]{0,40}?)PRIVATE KEY(?<block> BLOCK)?-----/g;
