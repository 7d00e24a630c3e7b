import { describe, expect, it } from "vitest";
import {
  type CloudValue,
  hasRestrictingCondition,
  isAnyPrincipal,
  isUnscopedGitHubSub,
  resourcePolicyIssues,
  trustPolicyIssues,
  UNKNOWN,
} from "../../../src/checks/cloud/index.js";

describe("public principal", () => {
  it('reports Principal "*" and {AWS: "*"} at the principal', () => {
    const doc = {
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
        { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] }, Action: "sqs:SendMessage" },
      ],
    };
    const issues = resourcePolicyIssues(doc, ["Properties", "PolicyDocument"]);
    expect(issues.map((i) => [i.kind, i.path])).toEqual([
      ["public-principal", ["Properties", "PolicyDocument", "Statement", 0, "Principal"]],
      ["public-principal", ["Properties", "PolicyDocument", "Statement", 1, "Principal", "AWS", 1]],
    ]);
    expect(issues[0]?.detail).toBe(
      'statement 1 allows Principal "*" to s3:GetObject without a condition on the caller',
    );
  });

  it("reports Allow with NotPrincipal", () => {
    const doc = {
      Statement: { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*" },
    };
    expect(resourcePolicyIssues(doc)[0]?.detail).toContain("NotPrincipal");
  });

  it("does not report Deny, a named principal, or a restricting condition", () => {
    const docs = [
      {
        Statement: {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      },
      { Statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*" } },
      {
        Statement: {
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
        },
      },
      {
        Statement: {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
        },
      },
      {
        Statement: {
          Effect: "Allow",
          Principal: "*",
          Action: "sns:Publish",
          Condition: { ArnLike: { "AWS:SourceArn": UNKNOWN } },
        },
      },
      { Statement: { Effect: "Allow", Principal: UNKNOWN, Action: "s3:*" } },
    ];
    for (const doc of docs) expect(resourcePolicyIssues(doc)).toEqual([]);
  });

  it("does not take a wildcard or an open network as a restriction", () => {
    expect(hasRestrictingCondition({ StringLike: { "aws:SourceArn": "*" } })).toBe(false);
    expect(hasRestrictingCondition({ IpAddress: { "aws:SourceIp": ["0.0.0.0/0", "::/0"] } })).toBe(false);
    expect(hasRestrictingCondition({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } })).toBe(true);
    expect(hasRestrictingCondition({ Null: { "aws:SourceArn": "false" } })).toBe(false);
    expect(hasRestrictingCondition({ Bool: { "aws:SecureTransport": "true" } })).toBe(false);
    expect(hasRestrictingCondition({ Bool: { "aws:PrincipalIsAWSService": "true" } })).toBe(true);
    expect(hasRestrictingCondition(UNKNOWN)).toBe(true);
  });

  it("isAnyPrincipal reads a plain principal value", () => {
    expect(isAnyPrincipal("*")).toBe(true);
    expect(isAnyPrincipal({ AWS: "*" })).toBe(true);
    expect(isAnyPrincipal("s3.amazonaws.com")).toBe(false);
    expect(isAnyPrincipal(UNKNOWN)).toBe(false);
  });
});

describe("trust policies", () => {
  const trust = (statement: CloudValue) =>
    trustPolicyIssues({ Statement: [statement] }, ["AssumeRolePolicyDocument"]);

  it("reports any principal", () => {
    const [issue] = trust({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
    expect(issue?.kind).toBe("trust-any-principal");
    expect(issue?.path).toEqual(["AssumeRolePolicyDocument", "Statement", 0, "Principal", "AWS"]);
    expect(issue?.detail).toBe("statement 1 lets any AWS principal assume the role");
  });

  it("reports GitHub OIDC without a sub condition at the principal", () => {
    const [issue] = trust({
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
    });
    expect(issue?.kind).toBe("github-oidc-unscoped");
    expect(issue?.path).toEqual(["AssumeRolePolicyDocument", "Statement", 0, "Principal"]);
  });

  it("reports a wildcard-only sub at the condition", () => {
    const [issue] = trust({
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringLike: { "token.actions.githubusercontent.com:sub": ["repo:*"] } },
    });
    expect(issue?.path).toEqual([
      "AssumeRolePolicyDocument",
      "Statement",
      0,
      "Condition",
      "StringLike",
      "token.actions.githubusercontent.com:sub",
      0,
    ]);
    expect(issue?.detail).toContain('"repo:*"');
  });

  it("accepts an org-scoped or unknown sub, and named principals", () => {
    const github = { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" };
    const sub = (v: CloudValue) => ({
      Effect: "Allow",
      Principal: github,
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringLike: { "token.actions.githubusercontent.com:sub": v } },
    });
    expect(trust(sub("repo:my-org/*"))).toEqual([]);
    expect(trust(sub("repo:my-org/app:ref:refs/heads/main"))).toEqual([]);
    expect(trust(sub(UNKNOWN))).toEqual([]);
    expect(
      trust({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
    ).toEqual([]);
    expect(
      trust({
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
      }),
    ).toEqual([]);
  });

  it("tells scoped from unscoped sub patterns", () => {
    for (const v of ["*", "repo:*", "repo:*/app:*", "repo:my*/app:*", "?epo:x/y"])
      expect(isUnscopedGitHubSub(v)).toBe(true);
    for (const v of ["repo:org/*", "repo:org/app:environment:prod", "repository_owner_id:123"])
      expect(isUnscopedGitHubSub(v)).toBe(false);
  });
});
