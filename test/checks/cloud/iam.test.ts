import { describe, expect, it } from "vitest";
import {
  actionPatternMatches,
  type CloudValue,
  identityPolicyIssues,
  isAdministratorAccessArn,
  parsePolicyText,
  policyStatements,
  privilegeEscalationIssues,
  UNKNOWN,
  unknownValue,
  wildcardAdminIssues,
} from "../../../src/checks/cloud/index.js";

const admin = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
    { Sid: "Admin", Effect: "Allow", Action: ["s3:*", "*"], Resource: "*" },
  ],
};

describe("policyStatements", () => {
  it("reads an array of statements with their paths", () => {
    const s = policyStatements(admin, ["Properties", "PolicyDocument"]);
    expect(s.map((x) => [x.index, x.sid, x.effect, x.path])).toEqual([
      [0, "Read", "Allow", ["Properties", "PolicyDocument", "Statement", 0]],
      [1, "Admin", "Allow", ["Properties", "PolicyDocument", "Statement", 1]],
    ]);
  });

  it("reads a single statement object and lower-case keys", () => {
    const s = policyStatements({ statement: { effect: "allow", action: "*", resource: "*" } });
    expect(s).toHaveLength(1);
    expect(s[0]?.effect).toBe("Allow");
    expect(s[0]?.path).toEqual(["statement"]);
    expect(s[0]?.action?.path).toEqual(["statement", "action"]);
  });

  it("parses a JSON string document and ignores what is not JSON", () => {
    expect(policyStatements(JSON.stringify(admin))).toHaveLength(2);
    expect(policyStatements("not json")).toEqual([]);
    expect(parsePolicyText("x".repeat(1_000_001))).toBeUndefined();
    expect(policyStatements(UNKNOWN)).toEqual([]);
  });

  it("treats an unknown Effect as neither Allow nor Deny", () => {
    expect(
      policyStatements({ Statement: [{ Effect: UNKNOWN, Action: "*", Resource: "*" }] })[0]?.effect,
    ).toBe(undefined);
  });
});

describe("wildcard admin", () => {
  it("reports Action * on Resource * at the * item", () => {
    const issues = wildcardAdminIssues(policyStatements(admin));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(["Statement", 1, "Action", 1]);
    expect(issues[0]?.detail).toBe('statement "Admin" allows Action "*" on Resource "*"');
  });

  it("reports *:* and NotResource", () => {
    const doc = { Statement: { Effect: "Allow", Action: "*:*", NotResource: "arn:aws:s3:::b" } };
    expect(wildcardAdminIssues(policyStatements(doc))[0]?.detail).toContain("every resource (NotResource)");
  });

  it("does not report Deny, a specific resource, a service wildcard or an unknown", () => {
    const docs = [
      { Statement: { Effect: "Deny", Action: "*", Resource: "*" } },
      { Statement: { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" } },
      { Statement: { Effect: "Allow", Action: "s3:*", Resource: "*" } },
      { Statement: { Effect: "Allow", Action: unknownValue("!Ref Actions"), Resource: "*" } },
      { Statement: { Effect: "Allow", Action: "*", Resource: UNKNOWN } },
    ];
    for (const doc of docs) expect(wildcardAdminIssues(policyStatements(doc))).toEqual([]);
  });
});

describe("privilege escalation", () => {
  const issues = (statement: CloudValue) =>
    privilegeEscalationIssues(policyStatements({ Statement: statement }));

  it("reports iam:PassRole on *", () => {
    const [issue] = issues({ Effect: "Allow", Action: ["ec2:RunInstances", "iam:PassRole"], Resource: "*" });
    expect(issue?.actions).toEqual(["iam:PassRole"]);
    expect(issue?.path).toEqual(["Statement", "Action", 1]);
    expect(issue?.detail).toBe("statement 1 allows iam:PassRole on every resource");
  });

  it("expands iam:*Policy* and iam:* patterns", () => {
    expect(issues({ Effect: "Allow", Action: "iam:*Policy*", Resource: "*" })[0]?.actions).toEqual([
      "iam:CreatePolicyVersion",
      "iam:SetDefaultPolicyVersion",
      "iam:AttachUserPolicy",
      "iam:AttachGroupPolicy",
      "iam:AttachRolePolicy",
      "iam:PutUserPolicy",
      "iam:PutGroupPolicy",
      "iam:PutRolePolicy",
      "iam:UpdateAssumeRolePolicy",
    ]);
    expect(issues({ Effect: "Allow", Action: "IAM:*", Resource: "*" })[0]?.detail).toContain("and 15 more");
  });

  it("reports a wildcard of IAM resources and Action * on it", () => {
    const [issue] = issues({ Effect: "Allow", Action: "*", Resource: "arn:aws:iam::123456789012:role/*" });
    expect(issue?.detail).toContain("on a wildcard of IAM resources");
  });

  it("reads NotAction as everything not excluded", () => {
    expect(issues({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })).toEqual([]);
    expect(issues({ Effect: "Allow", NotAction: "s3:*", Resource: "*" })[0]?.actions).toContain(
      "iam:PassRole",
    );
    expect(issues({ Effect: "Allow", NotAction: ["s3:*", UNKNOWN], Resource: "*" })).toEqual([]);
  });

  it("does not report a specific resource, an IAM condition, Deny, or full admin", () => {
    expect(issues({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/app" })).toEqual(
      [],
    );
    expect(
      issues({
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      }),
    ).toEqual([]);
    expect(issues({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" })).toEqual([]);
    expect(issues({ Effect: "Allow", Action: "*", Resource: "*" })).toEqual([]);
    expect(issues({ Effect: "Allow", Action: "iam:CreateAccessKey", Resource: UNKNOWN })).toEqual([]);
  });

  it("identityPolicyIssues combines both", () => {
    const doc = {
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "*" },
      ],
    };
    expect(identityPolicyIssues(doc).map((i) => i.kind)).toEqual(["wildcard-admin", "privilege-escalation"]);
  });
});

describe("actions and managed policies", () => {
  it("matches IAM globs case-insensitively, without blowing up", () => {
    expect(actionPatternMatches("iam:Put*Policy", "iam:PutRolePolicy")).toBe(true);
    expect(actionPatternMatches("iam:?assRole", "iam:PassRole")).toBe(true);
    expect(actionPatternMatches("s3:*", "iam:PassRole")).toBe(false);
    expect(actionPatternMatches(`${"*a".repeat(100)}b`, "a".repeat(200))).toBe(false);
  });

  it("recognises AdministratorAccess in every partition", () => {
    expect(isAdministratorAccessArn("arn:aws:iam::aws:policy/AdministratorAccess")).toBe(true);
    expect(isAdministratorAccessArn("arn:aws-us-gov:iam::aws:policy/AdministratorAccess")).toBe(true);
    expect(isAdministratorAccessArn("arn:aws:iam::aws:policy/ReadOnlyAccess")).toBe(false);
    expect(isAdministratorAccessArn("arn:aws:iam::123456789012:policy/AdministratorAccess")).toBe(false);
    expect(isAdministratorAccessArn(UNKNOWN)).toBe(false);
  });
});
