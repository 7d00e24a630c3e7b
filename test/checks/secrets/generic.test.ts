// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders like ${VAR} are the test data here
import { describe, expect, it } from "vitest";
import {
  isPlaceholderValue,
  isSecretAssignment,
  isSecretName,
  shannonEntropy,
} from "../../../src/checks/secrets/detector.js";
import { entropyThreshold, findGenericSecrets } from "../../../src/checks/secrets/generic.js";
import { isPlaceholderPassword, isPlaceholderSecret } from "../../../src/checks/secrets/placeholders.js";
import { scanLine } from "../../../src/checks/secrets/scanner.js";
import { isTestPath } from "../../../src/checks/secrets/test-paths.js";
import { FAKES } from "../../support/fakes.js";

const secret = FAKES["random-password"]!();
const generic = (line: string) => findGenericSecrets(line).map((c) => [c.name, c.secret]);

describe("secrets/generic-high-entropy", () => {
  it.each([
    [`password = "${secret}"`, "password"],
    [`DB_PASSWORD=${secret}`, "DB_PASSWORD"],
    [`  "apiKey": "${secret}",`, "apiKey"],
    [`client_secret: '${secret}'`, "client_secret"],
    [`token := "${secret}"`, "token"],
    [`self.api_key = "${secret}"`, "self.api_key"],
    [`--password=${secret}`, "password"],
    [`export SESSION_SECRET=${secret} # prod`, "SESSION_SECRET"],
  ])("finds %s", (line, name) => {
    expect(generic(line)).toEqual([[name, secret]]);
  });

  it.each([
    ["a reference to the environment", 'password = os.environ["DB_PASSWORD"]'],
    ["a function call", "password = get_password_from_vault(name)"],
    ["an attribute chain", "api_key = settings.API_KEY"],
    ["a shell variable", "TOKEN=$GITHUB_TOKEN"],
    ["a template", "password: {{ vault_db_password }}"],
    ["an Actions expression", "token: ${{ secrets.DEPLOY_TOKEN }}"],
    ["a Kubernetes reference", "password: secretKeyRef"],
    ["a placeholder", "password: changeme"],
    ["a masked value", 'api_key = "****************"'],
    ["angle brackets", "api_key: <your-api-key>"],
    ["'your' placeholder", "API_KEY=your_api_key_here"],
    ["a word", "password: correcthorsebatterystaple"],
    ["a number", "token_ttl_seconds = 86400000"],
    ["a UUID", 'tokenizationId: "2f1e9b8c-4a7d-4e6f-9c3b-1a2b3c4d5e6f"'],
    ["a path", "private_key: ./keys/dev-1.pem"],
    ["a URL", "token: https://auth.internal/oauth2/token?x=1"],
    ["a csrf token", `csrf_token = "${secret}"`],
    ["a token URL", `token_url = "${secret}"`],
    ["a public key", `public_key = "${secret}"`],
    ["a comparison, not an assignment", `if password == "${secret}":`.replace("== ", "==")],
    ["a short value", 'password = "a1B2c3"'],
    ["a low-entropy value", 'password = "aaaa1111aaaa1111"'],
    ["a YAML alias", "password: *default_password1"],
    ["optional chaining", 'url.password = credentials?.password || "";'],
    ["a private field", "privateKey: this.#state.privateKey,"],
    ["a word and a number", 'access_token: "existingtoken123",'],
    ["a value that names itself", 'api_key: "my-secret-api-key-42"'],
    ["letters and punctuation only", 'lastSignificantToken = "?InterpolationInTemplate";'],
    ["a MIME type", '"u8dsn": "message/global-delivery-status",'],
    ["prose with an ellipsis", "/** The algorithm of one integrity token: `sha512-…`, `sha256:…`. */"],
    ["a name that only ends in pass", 'const BYPASS = "docker/package-signature-bypass1";'],
  ])("ignores %s", (_name, line) => {
    expect(generic(line)).toEqual([]);
  });

  it("scales the entropy bar with the length of the value", () => {
    expect(entropyThreshold(8)).toBe(2.55);
    expect(entropyThreshold(12)).toBeCloseTo(3.047, 3);
    expect(entropyThreshold(64)).toBe(3.5);
  });

  it("gives way to a provider rule on the same value", () => {
    expect(scanLine(`api_key = "${FAKES["openai-api-key"]!()}"`).map((m) => m.ruleId)).toEqual([
      "secrets/openai-api-key",
    ]);
  });
});

describe("placeholders", () => {
  it.each([
    "xxxxxxxxxxxxxxxx",
    "${API_TOKEN}",
    "{{ .Values.token }}",
    "${{ secrets.NPM_TOKEN }}",
    "%API_TOKEN%",
    "$(cat /run/secrets/token)",
    "<token>",
    "changeme",
    "AKIAEXAMPLEEXAMPLE12",
    "abcdefghijklmnop1234",
    "my-api-key-12345678",
    "REDACTED",
  ])("%s is a placeholder", (value) => {
    expect(isPlaceholderSecret(value)).toBe(true);
  });

  it("a random value is not", () => {
    expect(isPlaceholderSecret(secret)).toBe(false);
  });

  it.each([
    ["pass", "app"],
    ["postgres", "postgres"],
    ["app", "app"],
    ["%24%7BPASSWORD%7D", "app"],
    ["$DB_PASS", "app"],
    ["********", "app"],
  ])("URL password %s (user %s) is a placeholder", (password, user) => {
    expect(isPlaceholderPassword(password, user)).toBe(true);
  });
});

describe("the shared detector other families use", () => {
  it("names that hold secrets", () => {
    for (const n of [
      "DB_PASSWORD",
      "apiKey",
      "api-key",
      "client_secret",
      "GITHUB_TOKEN",
      "'passwd'",
      "dsn",
      "DBPASS",
      "SECRET_KEY",
      "DJANGO_SECRET_KEY",
      "secret_key_base",
      "RAILS_MASTER_KEY",
    ])
      expect([n, isSecretName(n)]).toEqual([n, true]);
    for (const n of [
      "PUBLIC_KEY",
      "token_url",
      "password_file",
      "key",
      "username",
      "TOKEN_TTL",
      "BYPASS",
      "compass",
      "SECRET_KEY_ID",
      "master_key_path",
    ])
      expect([n, isSecretName(n)]).toEqual([n, false]);
  });

  it("placeholder values and secret-store references", () => {
    for (const v of [
      "",
      "xxx",
      "${X}",
      "${{ secrets.X }}",
      "{{ x }}",
      "$X",
      "<x>",
      "changeme",
      "secretKeyRef",
    ])
      expect([v, isPlaceholderValue(v)]).toEqual([v, true]);
    expect(isPlaceholderValue(secret)).toBe(false);
  });

  it("secret assignments", () => {
    expect(isSecretAssignment("DB_PASSWORD", secret)).toBe(true);
    expect(isSecretAssignment("DB_PASSWORD", "${DB_PASSWORD}")).toBe(false);
    expect(isSecretAssignment("DB_HOST", secret)).toBe(false);
    expect(isSecretAssignment("DB_PASSWORD", null)).toBe(false);
  });

  it("Shannon entropy in bits per character", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });
});

describe("test paths", () => {
  it.each([
    ["test/a.env", true],
    ["src/tests/a.py", true],
    ["src/__tests__/a.ts", true],
    ["fixtures/a.json", true],
    ["pkg/testdata/a.json", true],
    ["src/a.test.ts", true],
    ["src/a.spec.tsx", true],
    ["pkg/a_test.go", true],
    ["tests_test.md", false],
    ["src/latest.py", false],
    ["src/attestation.py", false],
    ["contest/a.env", false],
    ["src/testing.ts", false],
  ])("%s → %s", (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });
});
