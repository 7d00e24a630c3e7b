// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation text uses ${…}
import { describe, expect, it } from "vitest";
import { familiesFromContent } from "../../../src/review/families.js";
import "../../support/fakes.js";
import { expandFakes } from "../../support/fake-secrets.js";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

/** The cfn family through the real engine: detection, positions, what is new. */

const cfg = config();
const review = (files: Parameters<typeof reviewFiles>[0], mode: "diff" | "scan" = "diff") =>
  reviewFiles(files, { config: cfg, mode });

const BUCKET = `  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }
`;
const POLICY = `  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: PublicRead
            Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "arn:\${AWS::Partition}:s3:::\${Site}/*"
`;
const SG = `  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;
const DB = `  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      PubliclyAccessible: true
`;
const HEADER = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n`;

describe("cfn review", () => {
  it("reports a public bucket policy written with !Sub at the Principal's line", async () => {
    const r = await review([{ path: "infra/site.yaml", base: null, head: HEADER + BUCKET + POLICY }]);
    expect(ruleLines(r)).toEqual([["cfn/public-policy-principal", 18]]);
    const f = r.findings[0]!;
    expect(f.severity).toBe("critical");
    expect(f.message).toContain("`SitePolicy` (AWS::S3::BucketPolicy)");
    expect(f.message).toContain('statement "PublicRead" allows Principal "*" to s3:GetObject');
    expect(r.verdict.conclusion).toBe("failure");
  });

  it("reordering resources and reformatting an existing template is not new", async () => {
    const base = HEADER + BUCKET + POLICY + SG + DB;
    const flowSg = `  AdminSg:
    Type: "AWS::EC2::SecurityGroup"
    Properties:
      GroupDescription: admin   # reviewed
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "0.0.0.0/0"}]
`;
    const head = `${HEADER}${DB}\n${flowSg}${POLICY}${BUCKET}`;
    expect((await review([{ path: "t.yaml", base: null, head: base }])).findings.length).toBe(4);
    expect(ruleLines(await review([{ path: "t.yaml", base, head }]))).toEqual([]);
  });

  it("opening a port on an existing security group is new, at the CidrIp line", async () => {
    const base = HEADER + SG.replace("0.0.0.0/0", "10.0.0.0/8");
    const r = await review([{ path: "t.yaml", base, head: HEADER + SG }]);
    expect(ruleLines(r)).toEqual([["cfn/open-ingress", 11]]);
    expect(r.findings[0]!.message).toContain("lets 0.0.0.0/0 (the whole internet) reach port 22 (SSH)");
  });

  it("a missing property is reported on the resource the change adds, at its logical id, not on untouched ones", async () => {
    const volume = (id: string) =>
      `  ${id}:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n      AvailabilityZone: eu-west-1a\n`;
    const base = HEADER + volume("Old");
    const r = await review([{ path: "t.yaml", base, head: base + volume("New") }]);
    expect(ruleLines(r)).toEqual([["cfn/storage-unencrypted", 8]]);
    expect(r.findings[0]!.message).toContain("`New` (AWS::EC2::Volume) has no `Encrypted: true`");
  });

  it("an unknown value is not a finding; a parameter default is evaluated", async () => {
    const withParam = (param: string) =>
      `${HEADER.replace("Resources:\n", `Parameters:\n  Admin:\n    Type: String\n${param}Resources:\n`)}${SG.replace("0.0.0.0/0", "!Ref Admin")}`;
    expect((await review([{ path: "t.yaml", head: withParam("") }])).findings).toEqual([]);
    const r = await review([{ path: "t.yaml", head: withParam("    Default: 0.0.0.0/0\n") }]);
    expect(ruleLines(r)).toEqual([["cfn/open-ingress", 15]]);
  });

  it("reads JSON templates with positions", async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Db: {
            Type: "AWS::RDS::DBInstance",
            Properties: { StorageEncrypted: true, PubliclyAccessible: "true" },
          },
        },
      },
      null,
      2,
    );
    const r = await review([{ path: "cdk.out/App.template.json", head: json }]);
    expect(ruleLines(r)).toEqual([["cfn/db-publicly-accessible", 7]]);
  });

  it("a template that does not parse is a parse error at its line, and other files go on", async () => {
    const r = await review([
      { path: "broken.yaml", head: `${HEADER}  X:\n    Type: AWS::S3::Bucket\n    Properties: [\n` },
      { path: "ok.yaml", head: HEADER + DB },
    ]);
    expect(r.findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["broken.yaml", "meta/parse-error"],
      ["ok.yaml", "cfn/storage-unencrypted"],
      ["ok.yaml", "cfn/db-publicly-accessible"],
    ]);
  });

  it("never echoes a literal secret", async () => {
    const password = expandFakes("{{fake:random-password}}");
    const r = await review([
      {
        path: "t.yaml",
        head: `${HEADER}${DB.replace("PubliclyAccessible: true", `MasterUserPassword: "${password}"\n      StorageEncrypted: true`)}`,
      },
    ]);
    const f = r.findings.find((x) => x.ruleId === "cfn/plaintext-secret-property")!;
    expect(f.line).toBe(8);
    expect(JSON.stringify(r)).not.toContain(password);
    expect(f.evidence).toMatch(/^MasterUserPassword=.{4}…\(\d+ chars\)$/);
  });

  it("is found by content: SAM, JSON, .template; other YAML is not claimed", () => {
    expect(
      familiesFromContent("template.yml", "Transform: AWS::Serverless-2016-10-31\nGlobals: {}\n"),
    ).toEqual(["cfn"]);
    expect(familiesFromContent("a.json", '{ "Resources": { "B": { "Type" : "AWS::S3::Bucket" } } }')).toEqual(
      ["cfn"],
    );
    expect(familiesFromContent("stack.template", "Resources:\n  B:\n    Type: AWS::SNS::Topic\n")).toEqual([
      "cfn",
    ]);
    expect(familiesFromContent("values.yaml", "image: nginx\nreplicas: 2\n")).toEqual([]);
  });
});
