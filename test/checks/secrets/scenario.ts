// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders like ${VAR} are the test data here
import { FAKES } from "../../support/fakes.js";

/** The fake secrets of the scenario, built at test time. */
export const SCENARIO_SECRETS = {
  ghToken: FAKES["github-token"]!(),
  awsId: FAKES["aws-access-key"]!(),
  awsSecret: FAKES["aws-secret-key"]!(),
  sshKey: FAKES["openssh-private-key"]!(),
  password: FAKES["random-password"]!(),
};

const { ghToken, awsId, awsSecret, sshKey, password } = SCENARIO_SECRETS;

/** The "what it must show" change: a .env, a YAML config, a Python file and a key file. */
export function leakyChange() {
  return [
    {
      path: ".env",
      head: [
        "APP_ENV=production",
        `DATABASE_URL=postgres://app:${password}@db.internal:5432/app`,
        "API_TOKEN=${API_TOKEN}",
        "SENTRY_DSN=",
        "",
      ].join("\n"),
    },
    {
      path: "config/github.yml",
      head: [
        "github:",
        "  api: https://api.github.com",
        `  token: ${ghToken}`,
        "  fallback: ${{ secrets.GITHUB_TOKEN }}",
        "  webhook_secret: changeme",
        "",
      ].join("\n"),
    },
    {
      path: "scripts/upload.py",
      head: [
        "import boto3",
        "",
        "session = boto3.Session(",
        `    aws_access_key_id="${awsId}",`,
        `    aws_secret_access_key="${awsSecret}",`,
        ")",
        "",
      ].join("\n"),
    },
    { path: "deploy/id_ed25519", head: `${sshKey}\n` },
  ];
}
