import { registerFake } from "./fake-secrets.js";

/**
 * Registers the fake secret kinds used by rule examples and tests (see
 * fake-secrets.ts). Every fake is assembled here at run time from a seeded
 * pseudo-random generator: format-valid (so the detector must find it) but
 * never a literal in the repository (so no scanner or push protection trips on
 * the project itself, and no fake is anybody's real credential).
 */

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}-_`;
const HEX = "0123456789abcdef";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

/** mulberry32: tiny, deterministic, good enough to look random to an entropy test. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** `n` characters of `charset`, the same for the same `seed` (so examples are stable). */
export function fakeChars(charset: string, n: number, seed: string): string {
  const next = generator(seedOf(seed));
  let out = "";
  for (let i = 0; i < n; i++) out += charset[Math.floor(next() * charset.length)];
  return out;
}

/** Joins parts so that no credential-shaped literal appears in the source. */
const j = (...parts: string[]) => parts.join("");

function pemBody(seed: string, magic: string, chars: number): string[] {
  const body = magic + fakeChars(BASE64, chars - magic.length, seed);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return lines;
}

function pem(label: string, seed: string, magic: string, chars = 640): string {
  const dashes = "-----";
  return [
    j(dashes, "BEGIN ", label, dashes),
    ...pemBody(seed, magic, chars),
    j(dashes, "END ", label, dashes),
  ].join("\n");
}

function base64Url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

export const FAKES: Record<string, (seed?: string) => string> = {
  "aws-access-key": (s = "aws-id") => j("AK", "IA", fakeChars(UPPER32, 16, s)),
  "aws-secret-key": (s = "aws-secret") => fakeChars(BASE64, 40, s),
  "github-token": (s = "ghp") => j("gh", "p_", fakeChars(ALNUM, 36, s)),
  "github-oauth-token": (s = "gho") => j("gh", "o_", fakeChars(ALNUM, 36, s)),
  "github-app-token": (s = "ghs") => j("gh", "s_", fakeChars(ALNUM, 36, s)),
  "github-fine-grained-token": (s = "github-pat") =>
    j("github", "_pat_", fakeChars(ALNUM, 22, s), "_", fakeChars(ALNUM, 59, `${s}2`)),
  "gitlab-token": (s = "glpat") => j("gl", "pat-", fakeChars(URLSAFE, 20, s)),
  "slack-bot-token": (s = "xoxb") =>
    j(
      "xo",
      "xb-",
      fakeChars(DIGITS, 12, s),
      "-",
      fakeChars(DIGITS, 13, `${s}2`),
      "-",
      fakeChars(ALNUM, 24, `${s}3`),
    ),
  "slack-webhook": (s = "slack-hook") =>
    j(
      "https://hooks.",
      "slack.com/services/T",
      fakeChars(UPPER32, 10, s),
      "/B",
      fakeChars(UPPER32, 10, `${s}2`),
      "/",
      fakeChars(ALNUM, 24, `${s}3`),
    ),
  "stripe-secret-key": (s = "stripe") => j("sk", "_live_", fakeChars(ALNUM, 24, s)),
  "gcp-api-key": (s = "gcp-api") => j("AI", "za", fakeChars(URLSAFE, 35, s)),
  "gcp-oauth-client-secret": (s = "gocspx") => j("GOC", "SPX-", fakeChars(URLSAFE, 28, s)),
  "gcp-service-account-key-line": (s = "gcp-sa") => {
    const body = pemBody(s, "MII", 1600).join("\\n");
    return j(
      '"private_key": "',
      "-----BEGIN ",
      "PRIVATE KEY-----\\n",
      body,
      "\\n-----END ",
      'PRIVATE KEY-----\\n",',
    );
  },
  "azure-storage-key": (s = "azure-storage") => j(fakeChars(BASE64, 86, s), "=="),
  "azure-storage-connection-string": (s = "azure-conn") =>
    j(
      "DefaultEndpointsProtocol=https;AccountName=tollgatefake;Account",
      "Key=",
      fakeChars(BASE64, 86, s),
      "==;EndpointSuffix=core.windows.net",
    ),
  "azure-service-bus-connection-string": (s = "azure-sb") =>
    j(
      "Endpoint=sb://tollgate-fake.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;Shared",
      "AccessKey=",
      fakeChars(BASE64, 43, s),
      "=",
    ),
  "azure-client-secret": (s = "azure-ad") =>
    j(fakeChars(ALNUM, 3, s), "8Q", "~", fakeChars(URLSAFE, 34, `${s}2`)),
  "npm-token": (s = "npm") => j("np", "m_", fakeChars(ALNUM, 36, s)),
  "npmrc-auth-value": (s = "npmrc") => fakeChars(BASE64, 44, s),
  "pypi-token": (s = "pypi") => j("pypi-", "AgEIcHlwaS5vcmc", fakeChars(URLSAFE, 70, s)),
  "rubygems-api-key": (s = "rubygems") => j("rubygems", "_", fakeChars(HEX, 48, s)),
  "twilio-api-key": (s = "twilio") => j("S", "K", fakeChars(HEX, 32, s)),
  "sendgrid-api-key": (s = "sendgrid") =>
    j("S", "G.", fakeChars(URLSAFE, 22, s), ".", fakeChars(URLSAFE, 43, `${s}2`)),
  "openai-api-key": (s = "openai") =>
    j("sk-", "proj-", fakeChars(URLSAFE, 74, s), "T3Blbk", "FJ", fakeChars(URLSAFE, 74, `${s}2`)),
  "anthropic-api-key": (s = "anthropic") => j("sk-", "ant-", "api03-", fakeChars(URLSAFE, 93, s), "AA"),
  "huggingface-token": (s = "hf") => j("h", "f_", fakeChars(LETTERS, 34, s)),
  "shopify-token": (s = "shopify") => j("shp", "at_", fakeChars(HEX, 32, s)),
  "hashicorp-vault-token": (s = "vault") => j("hv", "s.", fakeChars(URLSAFE, 95, s)),
  "digitalocean-token": (s = "do") => j("do", "p_v1_", fakeChars(HEX, 64, s)),
  "databricks-token": (s = "databricks") => j("da", "pi", fakeChars(HEX, 32, s)),
  jwt: (s = "jwt") =>
    j(
      base64Url('{"alg":"HS256","typ":"JWT"}'),
      ".",
      base64Url(`{"sub":"${fakeChars(ALNUM, 12, s)}","iat":1700000000}`),
      ".",
      fakeChars(URLSAFE, 43, `${s}2`),
    ),
  "random-password": (s = "password") => j(fakeChars(LETTERS, 1, s), fakeChars(`${ALNUM}!^*+-`, 19, `${s}2`)),
  "rsa-private-key": (s = "rsa") => pem(j("RSA ", "PRIVATE KEY"), s, "MIIE"),
  "ec-private-key": (s = "ec") => pem(j("EC ", "PRIVATE KEY"), s, "MHcC", 220),
  "pkcs8-private-key": (s = "pkcs8") => pem(j("PRIVATE", " KEY"), s, "MIIE"),
  "openssh-private-key": (s = "openssh") => pem(j("OPENSSH ", "PRIVATE KEY"), s, "b3BlbnNzaC1rZXktdjE"),
  "pgp-private-key": (s = "pgp") => pem(j("PGP ", "PRIVATE KEY BLOCK"), s, "lQdGBF"),
};

for (const [kind, make] of Object.entries(FAKES)) registerFake(kind, () => make());
