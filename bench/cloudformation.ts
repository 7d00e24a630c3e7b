import { checks } from "../src/checks/cfn/checks.generated.js";
import type { CheckContext } from "../src/checks/types.js";
import { configSchema } from "../src/review/config.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import { boundLine, libraryYamlParse, runSnapshotChecks, timeIt } from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * CloudFormation checks on synthetic templates shaped like real stacks (a VPC
 * with security groups, IAM roles with inline policies, buckets and their
 * policies, databases, launch templates, Lambda functions; short-form tags
 * throughout), compared with the YAML parse alone: reading, evaluating and
 * running all twelve rules may cost at most 1.2× the parse. Then hostile
 * shapes: a 5 MB JSON template of 10,000 resources, an alias bomb, a long
 * `!Sub`, deep nesting.
 */

const TARGET_RATIO = 1.2;
const TARGET_HOSTILE_MS = 2_000;

function stack(n: number): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Description: service ${n}
Parameters:
  Env: { Type: String, Default: prod, AllowedValues: [dev, prod] }
  DbPassword: { Type: String, NoEcho: true }
  AdminCidr: { Type: String, Default: 10.0.0.0/8 }
Mappings:
  Sizes: { prod: { db: db.r6g.large }, dev: { db: db.t4g.micro } }
Resources:
  AppSecurityGroup${n}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "app \${Env} ${n}"
      VpcId: !ImportValue network-vpc
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr }
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourceSecurityGroupId: !GetAtt DbSecurityGroup${n}.GroupId
  AppRole${n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: [ec2.amazonaws.com, lambda.amazonaws.com] }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub "arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject, s3:ListBucket]
                Resource: [!GetAtt Data${n}.Arn, !Sub "\${Data${n}.Arn}/*"]
              - Effect: Allow
                Action: ${n % 17 === 0 ? '"*"' : "[sqs:SendMessage, sqs:ReceiveMessage]"}
                Resource: ${n % 17 === 0 ? '"*"' : `!GetAtt Queue${n}.Arn`}
  Data${n}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [data, !Ref Env, "${n}"]]
      VersioningConfiguration: { Status: Enabled }
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: ${n % 13 === 0 ? "false" : "true"}
      Tags:
        - { Key: service, Value: "svc-${n}" }
  DataPolicy${n}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data${n}
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt Data${n}.Arn, !Sub "\${Data${n}.Arn}/*"]
            Condition: { Bool: { aws:SecureTransport: "false" } }
  Queue${n}:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Db${n}:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: !FindInMap [Sizes, !Ref Env, db]
      AllocatedStorage: "100"
      StorageEncrypted: ${n % 11 === 0 ? "false" : "true"}
      MasterUsername: app
      MasterUserPassword: !Ref DbPassword
      PubliclyAccessible: false
      VPCSecurityGroups: [!Ref DbSecurityGroup${n}]
  DbSecurityGroup${n}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
  Workers${n}:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Sub "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}"
        InstanceType: t3.small
        MetadataOptions: { HttpTokens: required, HttpPutResponseHopLimit: 1 }
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo "service ${n} in \${Env}" > /etc/motd
  Handler${n}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt AppRole${n}.Arn
      Environment:
        Variables:
          TABLE: !Ref Queue${n}
          STAGE: !If [IsProd, prod, dev]
      Code: { ZipFile: "exports.handler = async () => 'ok';" }
Outputs:
  QueueUrl:
    Value: !Ref Queue${n}
    Export: { Name: !Sub "\${AWS::StackName}-queue" }
`;
}

function bigJson(): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < 10_000; i++) {
    resources[`Sg${i}`] = {
      Type: "AWS::EC2::SecurityGroup",
      Properties: {
        GroupDescription: `group ${i} ${"x".repeat(300)}`,
        SecurityGroupIngress: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" },
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: { Ref: "AdminCidr" } },
        ],
        Tags: [{ Key: "n", Value: { "Fn::Sub": `\${AWS::StackName}-${i}` } }],
      },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", Resources: resources }, null, 1);
}

function aliasBomb(): string {
  let text =
    "Resources:\n  X:\n    Type: AWS::IAM::Policy\n    Properties:\n      P0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 10; i++)
    text += `      P${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(", ")}]\n`;
  return text;
}

function longSub(): string {
  return `Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "${"${AWS::Region}-".repeat(100_000)}"\n`;
}

function deep(): string {
  return `Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`;
}

function runAll(path: string, text: string, ctx: CheckContext): number {
  return runSnapshotChecks(checks, path, text, ctx);
}

export async function bench(): Promise<BenchLine[]> {
  const ctx: CheckContext = {
    config: configSchema.parse({}),
    catalog: await loadRuleCatalog(),
    mode: "diff",
    services: {},
    note: () => {},
    dependencyChange: () => {},
  };
  const files = Array.from({ length: 200 }, (_, i) => stack(i));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  for (let r = 0; r < 2; r++) for (const [i, f] of files.entries()) runAll(`warm${r}/${i}.yaml`, f, ctx);
  // Interleaved rounds, fastest of each: on a shared machine a neighbour's burst lands in any one round.
  const rounds = Array.from({ length: 7 }, (_, r) => {
    const parse = timeIt(() => {
      for (const f of files) libraryYamlParse(f);
    }).ms;
    const all = timeIt(() => files.reduce((n, f, i) => n + runAll(`r${r}/${i}.yaml`, f, ctx), 0));
    return { parse, all: all.ms, findings: all.result };
  });
  const parseMs = Math.min(...rounds.map((r) => r.parse));
  const allMs = Math.min(...rounds.map((r) => r.all));
  const ratio = allMs / parseMs;
  const mbps = bytes / 1048576 / (allMs / 1000);

  const hostile = [
    { name: "cfn: 5 MB JSON template, 10,000 resources", text: bigJson() },
    { name: "cfn: alias bomb (10^10 values)", text: aliasBomb() },
    { name: "cfn: !Sub of 100,000 variables", text: longSub() },
    { name: "cfn: 5,000 nested sequences", text: deep() },
  ].map(({ name, text }) => {
    const { ms } = timeIt(() => runAll("hostile/template.yaml", text, ctx));
    return boundLine(name, ms, TARGET_HOSTILE_MS);
  });

  return [
    {
      name: `cfn: ${files.length} realistic templates, all 12 rules (warm, fastest of 7; ${rounds[0]!.findings} findings)`,
      value: round(mbps),
      unit: "MB/s",
    },
    {
      name: "cfn: same, YAML parse alone",
      value: round(bytes / 1048576 / (parseMs / 1000)),
      unit: "MB/s",
    },
    {
      name: "cfn: time of all rules ÷ time of the YAML parse",
      value: round(ratio),
      unit: "count",
      target: `≤ ${TARGET_RATIO}`,
      ok: ratio <= TARGET_RATIO,
    },
    ...hostile,
  ];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
