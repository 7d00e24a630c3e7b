import { describe, expect, it } from "vitest";
import { isLiteralText, literalSecret, UNKNOWN } from "../../../src/checks/cloud/index.js";

describe("literal secrets", () => {
  it("reports a literal under a secret name, redacted", () => {
    const found = literalSecret("MasterUserPassword", "S3cr3t-Pa55w0rd-9f8e7d");
    expect(found?.evidence).toBe("MasterUserPassword=S3cr…(22 chars)");
    expect(found?.evidence).not.toContain("Pa55w0rd");
    expect(found?.digest).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is silent on unknowns, interpolation, dynamic references, placeholders and other names", () => {
    expect(literalSecret("MasterUserPassword", UNKNOWN)).toBeUndefined();
    expect(literalSecret("Password", `\${DbPassword}`)).toBeUndefined();
    expect(literalSecret("Password", `pre-\${AWS::StackName}-x`)).toBeUndefined();
    expect(
      literalSecret("MasterUserPassword", "{{resolve:secretsmanager:db:SecretString:password}}"),
    ).toBeUndefined();
    expect(literalSecret("Password", "changeme")).toBeUndefined();
    expect(literalSecret("Password", "<your-password>")).toBeUndefined();
    expect(literalSecret("BucketName", "S3cr3t-Pa55w0rd-9f8e7d")).toBeUndefined();
    expect(literalSecret("PasswordLength", 32)).toBeUndefined();
  });

  it("knows literal text from references", () => {
    expect(isLiteralText("abc")).toBe(true);
    expect(isLiteralText(`\${X}`)).toBe(false);
    expect(isLiteralText(UNKNOWN)).toBe(false);
  });
});
