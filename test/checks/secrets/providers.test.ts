// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders like ${VAR} are the test data here
import { describe, expect, it } from "vitest";
import { PROVIDER_RULES } from "../../../src/checks/secrets/providers.js";
import { SECRET_RULE_IDS, scanLine, scanText } from "../../../src/checks/secrets/scanner.js";
import { ruleCatalog } from "../../../src/review/rules.js";
import { FAKES, fakeChars } from "../../support/fakes.js";

const ids = (text: string) => scanText(text).map((m) => m.ruleId);
const fake = (kind: string, seed?: string) => FAKES[kind]!(seed);

/** One line per provider that must be found, with the rule it must be found as. */
const POSITIVES: Array<[string, string, string]> = [
  ["aws-access-key", "secrets/aws-access-key", `aws_access_key_id = ${fake("aws-access-key")}`],
  ["aws-secret-key", "secrets/aws-secret-key", `aws_secret_access_key = ${fake("aws-secret-key")}`],
  [
    "aws-secret-key (CloudFormation)",
    "secrets/aws-secret-key",
    `  SecretAccessKey: "${fake("aws-secret-key")}"`,
  ],
  ["github ghp_", "secrets/github-token", `token: ${fake("github-token")}`],
  ["github gho_", "secrets/github-token", `token: ${fake("github-oauth-token")}`],
  ["github ghs_", "secrets/github-token", `token: ${fake("github-app-token")}`],
  ["github_pat_", "secrets/github-fine-grained-token", `GH=${fake("github-fine-grained-token")}`],
  ["gitlab", "secrets/gitlab-token", `GITLAB=${fake("gitlab-token")}`],
  ["slack bot", "secrets/slack-token", `"token": "${fake("slack-bot-token")}"`],
  ["slack webhook", "secrets/slack-webhook", `url: ${fake("slack-webhook")}`],
  ["stripe", "secrets/stripe-secret-key", `new Stripe("${fake("stripe-secret-key")}")`],
  ["google api key", "secrets/gcp-api-key", `key=${fake("gcp-api-key")}`],
  ["google oauth", "secrets/gcp-oauth-client-secret", `secret: ${fake("gcp-oauth-client-secret")}`],
  ["service account", "secrets/gcp-service-account-key", `  ${fake("gcp-service-account-key-line")}`],
  ["azure storage", "secrets/azure-storage-key", `"${fake("azure-storage-connection-string")}"`],
  [
    "azure storage (keyed)",
    "secrets/azure-storage-key",
    `storage_account_key = "${fake("azure-storage-key")}"`,
  ],
  ["azure service bus", "secrets/azure-connection-string", fake("azure-service-bus-connection-string")],
  ["azure client secret", "secrets/azure-client-secret", `client_secret = "${fake("azure-client-secret")}"`],
  ["npm", "secrets/npm-token", `NPM_TOKEN=${fake("npm-token")}`],
  ["npmrc", "secrets/npmrc-auth-token", `//registry.npmjs.org/:_authToken=${fake("npmrc-auth-value")}`],
  ["yarnrc", "secrets/npmrc-auth-token", `npmAuthToken: "${fake("npmrc-auth-value")}"`],
  ["pypi", "secrets/pypi-token", `password = ${fake("pypi-token")}`],
  ["rubygems", "secrets/rubygems-api-key", `:rubygems_api_key: ${fake("rubygems-api-key")}`],
  ["twilio", "secrets/twilio-api-key", `twilio("${fake("twilio-api-key")}")`],
  ["sendgrid", "secrets/sendgrid-api-key", `SENDGRID=${fake("sendgrid-api-key")}`],
  ["openai", "secrets/openai-api-key", `OPENAI_API_KEY=${fake("openai-api-key")}`],
  ["anthropic", "secrets/anthropic-api-key", `ANTHROPIC_API_KEY=${fake("anthropic-api-key")}`],
  ["huggingface", "secrets/huggingface-token", `HF_TOKEN=${fake("huggingface-token")}`],
  ["shopify", "secrets/shopify-token", `SHOPIFY=${fake("shopify-token")}`],
  ["vault", "secrets/hashicorp-vault-token", `VAULT_TOKEN=${fake("hashicorp-vault-token")}`],
  ["digitalocean", "secrets/digitalocean-token", `token = "${fake("digitalocean-token")}"`],
  ["databricks", "secrets/databricks-token", `token = ${fake("databricks-token")}`],
  ["jwt", "secrets/jwt", `Authorization: Bearer ${fake("jwt")}`],
  [
    "url",
    "secrets/url-credentials",
    `git clone https://deploy:${fake("random-password")}@git.internal/app.git`,
  ],
  [
    "postgres",
    "secrets/database-connection-string",
    `DB=postgres://app:${fake("random-password")}@db:5432/app`,
  ],
  [
    "mongodb+srv",
    "secrets/database-connection-string",
    `mongodb+srv://app:${fake("random-password")}@c0.mongodb.net/`,
  ],
  [
    "redis without user",
    "secrets/database-connection-string",
    `redis://:${fake("random-password")}@cache:6379/0`,
  ],
  [
    "ado.net",
    "secrets/database-connection-string",
    `"Server=sql;Database=app;User Id=app;Password=${fake("random-password")};"`,
  ],
  ["generic", "secrets/generic-high-entropy", `client_secret: "${fake("random-password")}"`],
  [
    "generic, a Django key",
    "secrets/generic-high-entropy",
    `DJANGO_SECRET_KEY = "${fake("random-password")}"`,
  ],
  [
    "generic, a Rails master key",
    "secrets/generic-high-entropy",
    `RAILS_MASTER_KEY=${fake("random-password")}`,
  ],
];

describe("provider rules", () => {
  it.each(POSITIVES)("finds %s", (_name, ruleId, line) => {
    expect(scanLine(line).map((m) => m.ruleId)).toEqual([ruleId]);
  });

  it("cover at least 25 providers, each in the rule catalogue", () => {
    expect(PROVIDER_RULES.length).toBeGreaterThanOrEqual(25);
    const catalogued = ruleCatalog().ids();
    for (const id of SECRET_RULE_IDS) expect(catalogued, id).toContain(id);
  });

  it("every provider rule has a positive case here", () => {
    const tested = new Set(POSITIVES.map(([, id]) => id));
    for (const id of SECRET_RULE_IDS) expect(tested.has(id) || id === "secrets/private-key", id).toBe(true);
  });

  it("label the kind of token in the match", () => {
    expect(scanLine(fake("github-app-token"))[0]!.label).toBe("GitHub App installation token");
    expect(scanLine(fake("slack-bot-token"))[0]!.label).toBe("Slack bot token");
    expect(scanLine(`x = ${fake("aws-access-key").replace(/^AKIA/, "ASIA")}`)[0]!.label).toBe(
      "AWS temporary access key id",
    );
  });

  it("give the secret's exact columns", () => {
    const token = fake("github-token");
    const [m] = scanLine(`  token: "${token}" # deploy`);
    expect([m!.column, m!.endColumn]).toEqual([11, 11 + token.length]);
  });

  it("report two secrets on one line separately, a token inside a URL once", () => {
    expect(ids(`A=${fake("github-token")} B=${fake("npm-token")}`)).toEqual([
      "secrets/github-token",
      "secrets/npm-token",
    ]);
    expect(ids(`https://x-access-token:${fake("github-app-token")}@github.com/o/r.git`)).toEqual([
      "secrets/github-token",
    ]);
  });
});

describe("audit regressions", () => {
  const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  it.each([
    ["the audit's hand-built id", ["AKIA", "QX7Z4N2LBV5K8RT3"].join("")],
    ["an id with 0, 1, 8 and 9", ["ASIA", "R9T0W1M8QZ4K7NXB"].join("")],
    [
      "a seeded id over the whole alphabet",
      `AKIA${fakeChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16, "aws-0189")}`,
    ],
  ])("finds an AWS access key id with any digit: %s", (_name, id) => {
    expect(scanLine(`aws_access_key_id = ${id}`).map((m) => m.ruleId)).toEqual(["secrets/aws-access-key"]);
  });

  it("finds a Slack token whose numeric id segments hold an ascending run", () => {
    const token = [
      "xoxb-",
      "123456789012",
      "-",
      "234567890123",
      "-",
      fakeChars(ALNUM, 24, "slack-tail"),
    ].join("");
    expect(ids(`SLACK_BOT=${token}`)).toEqual(["secrets/slack-token"]);
  });

  it("still rejects a Slack token whose random part is a keyboard run", () => {
    const token = ["xoxb-", "123456789012", "-", "234567890123", "-", "abcdefghijklmnopqrstuvwx"].join("");
    expect(ids(`SLACK_BOT=${token}`)).toEqual([]);
  });

  it("finds a database URL whose password contains 'passw' or 'secret'", () => {
    const password = ["S3cr3t", "Passw0rd9"].join("");
    expect(ids(`DATABASE_URL=postgres://admin:${password}@db.internal`)).toEqual([
      "secrets/database-connection-string",
    ]);
    expect(ids(`url: https://ci:${["x7Secret", "Q2v9"].join("")}@git.internal/app.git`)).toEqual([
      "secrets/url-credentials",
    ]);
  });

  it.each(["mysecretpassword", "db_password_1", "supersecret", "password", "${DB_PASSWORD}", "<password>"])(
    "still treats the whole-word sample password %s as a placeholder",
    (password) => {
      expect(ids(`DATABASE_URL=postgres://app:${password}@db.internal/app`)).toEqual([]);
    },
  );
});

describe("near misses are not secrets", () => {
  // Names below are not secret names, so the generic rule stays out of the way.
  const cases: Array<[string, string]> = [
    ["a token one character short", `ref: ${fake("github-token").slice(0, -1)}`],
    ["a token one character long (part of a longer word)", `ref: ${fake("github-token")}X`],
    ["a token glued to a word", `ref: my${fake("github-token")}`],
    ["a masked token", `token: ghp_${"x".repeat(36)}`],
    ["a prefix in the wrong case", `ref: GHP_${fake("github-token").slice(4)}`],
    ["AWS's documented example key id", `aws_access_key_id = ${["AKIA", "IOSFODNN7", "EXAMPLE"].join("")}`],
    [
      "AWS's documented example secret",
      `aws_secret_access_key = ${["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join("")}`,
    ],
    ["an AWS-shaped id with lowercase letters", `id = ${fake("aws-access-key").slice(0, 12)}abcd0000`],
    ["a 40-char value with no mention of AWS", `CACHE_SEED = "${fake("aws-secret-key")}"`],
    ["Stripe test keys", `STRIPE=${["sk", "_test_"].join("")}${fake("stripe-secret-key").slice(8)}`],
    ["a Twilio-shaped run of one hex kind", `x = SK${"0123".repeat(8).replace(/[0-3]/g, "7")}`],
    ["a JWT whose header is not JSON", `t = eyJ${"A".repeat(20)}.eyJ${"B".repeat(20)}.${"C".repeat(20)}`],
    ["a URL with a port, not a password", "see https://host.internal:8443/path@v2 for details"],
    ["a URL password placeholder", "https://user:${PASSWORD}@host.internal/"],
    ["a URL with user = password", "amqp://guest:guest@localhost:5672/"],
    ["a URL on a documentation domain", "new URL('https://abc:xyz1@example.com/path')"],
    ["a URL password that says it is one", 'new Redis("redis://:authpassword@127.0.0.1:6380/4")'],
    ["a local database default", "postgres://postgres:postgres@localhost:5432/app"],
    ["a database URL with a template", "mysql://root:<password>@db/app"],
    ["an SSH remote (no password)", "git@github.com:owner/repo.git"],
    [
      "a Slack webhook from the docs",
      "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ],
    ["a private key header without a body", "-----BEGIN RSA PRIVATE KEY-----"],
    [
      "a private key with an elided body",
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
    ],
    [
      "a public key",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
    ],
  ];
  it.each(cases)("%s", (_name, text) => {
    expect(ids(text)).toEqual([]);
  });
});

describe("private keys", () => {
  it.each([
    ["rsa-private-key", "RSA private key"],
    ["ec-private-key", "EC private key"],
    ["pkcs8-private-key", "private key"],
    ["openssh-private-key", "OPENSSH private key"],
    ["pgp-private-key", "PGP private key"],
  ])("finds a %s block on its header line", (kind, label) => {
    const key = fake(kind);
    const matches = scanText(`before\n${key}\nafter ${fake("github-token")}\n`);
    expect(matches.map((m) => [m.ruleId, m.line, m.endLine, m.label])).toEqual([
      ["secrets/private-key", 2, 1 + key.split("\n").length, label],
      [
        "secrets/github-token",
        2 + key.split("\n").length,
        undefined,
        "GitHub personal access token (classic)",
      ],
    ]);
  });

  it("finds a key written on one line with escaped newlines", () => {
    const key = fake("rsa-private-key").replace(/\n/g, "\\n");
    expect(ids(`const KEY = "${key}";`)).toEqual(["secrets/private-key"]);
  });

  it("finds a key indented in YAML and one built by string concatenation", () => {
    const yaml = fake("openssh-private-key")
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n");
    expect(ids(`tls.key: |\n${yaml}\n`)).toEqual(["secrets/private-key"]);
    const js = fake("rsa-private-key")
      .split("\n")
      .map((l) => `  "${l}\\n" +`)
      .join("\n");
    expect(ids(`const key =\n${js}\n  "";`)).toEqual(["secrets/private-key"]);
  });

  it("rejects a body that does not start like that kind of key", () => {
    const wrongMagic = fake("openssh-private-key").replace("b3BlbnNzaC1rZXktdjE", "QUFBQUFBQUFBQUFBQUFB");
    expect(ids(wrongMagic)).toEqual([]);
  });

  it("hashes the body, so the same key in another form is the same secret", () => {
    const key = fake("rsa-private-key");
    const [a] = scanText(key);
    const [b] = scanText(`"${key.replace(/\n/g, "\\n")}"`);
    expect(a!.hash).toBe(b!.hash);
  });

  it("reports the service account file's key once, as the service account rule", () => {
    expect(ids(`{\n  ${fake("gcp-service-account-key-line")}\n}`)).toEqual([
      "secrets/gcp-service-account-key",
    ]);
  });
});
