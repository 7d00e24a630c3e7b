// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform text uses ${…}
import { describe, expect, it } from "vitest";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

/** The tf family through the real engine: newness per module, positions, fingerprints. */

const NETWORK = `resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const DATABASE = `resource "aws_db_instance" "orders" {
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  storage_encrypted   = true
  publicly_accessible = true
}
`;

const PROVIDER = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.80" }
  }
}
`;

const cfg = config();
const tf = (files: Parameters<typeof reviewFiles>[0], mode: "diff" | "scan" = "diff") =>
  reviewFiles(files, { config: cfg, mode });

describe("tf review: the base side is the module", () => {
  it("reports what an added module adds, at the attribute's line", async () => {
    const review = await tf([{ path: "infra/main.tf", head: `${PROVIDER}\n${NETWORK}\n${DATABASE}` }]);
    expect(ruleLines(review)).toEqual([
      ["tf/aws-open-ingress", 13],
      ["tf/aws-db-publicly-accessible", 21],
    ]);
    expect(review.findings[0]!.message).toBe(
      "aws_security_group.bastion lets 0.0.0.0/0 (the whole internet) reach port 22 (SSH).",
    );
  });

  it("moving resources from main.tf to network.tf in the same directory is not new", async () => {
    const review = await tf([
      { path: "infra/main.tf", base: `${PROVIDER}\n${NETWORK}\n${DATABASE}`, head: PROVIDER },
      { path: "infra/network.tf", head: `${NETWORK}\n${DATABASE}` },
    ]);
    expect(review.findings).toEqual([]);
  });

  it("a moved finding keeps its fingerprint: the module, not the file, is in its identity", async () => {
    const inMain = await tf([{ path: "infra/main.tf", head: NETWORK }], "scan");
    const inNetwork = await tf([{ path: "infra/network.tf", head: NETWORK }], "scan");
    expect(inMain.findings.map((f) => f.fingerprint)).toEqual(inNetwork.findings.map((f) => f.fingerprint));
    const elsewhere = await tf([{ path: "other/network.tf", head: NETWORK }], "scan");
    expect(elsewhere.findings[0]!.fingerprint).not.toBe(inMain.findings[0]!.fingerprint);
  });

  it("moving a resource to another module (directory) is new there", async () => {
    const review = await tf([
      { path: "infra/main.tf", base: NETWORK, head: "" },
      { path: "modules/net/main.tf", head: NETWORK },
    ]);
    expect(ruleLines(review)).toEqual([["tf/aws-open-ingress", 7]]);
    expect(review.findings[0]!.path).toBe("modules/net/main.tf");
  });

  it("opening a port on a moved resource is new", async () => {
    const opened = NETWORK.replace(
      "from_port   = 22\n    to_port     = 22",
      "from_port   = 22\n    to_port     = 3389",
    );
    const review = await tf([
      { path: "infra/main.tf", base: NETWORK, head: "" },
      { path: "infra/network.tf", head: opened },
    ]);
    expect(review.findings.map((f) => [f.ruleId, f.path, f.line, f.message])).toEqual([
      [
        "tf/aws-open-ingress",
        "infra/network.tf",
        7,
        "aws_security_group.bastion lets 0.0.0.0/0 (the whole internet) reach ports 22 (SSH), 23 (Telnet), 445 (SMB), 1433 (SQL Server), 1521 (Oracle), 2375 (Docker API), 2376 (Docker API), 3306 (MySQL), 3389 (RDP).",
      ],
    ]);
  });

  it("reformatting a resource is not new", async () => {
    const reformatted = DATABASE.replace(/ +=/g, " =").replace("engine", "# the orders database\n  engine");
    const review = await tf([{ path: "db/main.tf", base: DATABASE, head: reformatted }]);
    expect(review.findings).toEqual([]);
  });

  it("a 'missing' finding on a resource the change does not touch is not reported; on an added one it is, at the header", async () => {
    const volume = `resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size = 100\n}\n`;
    const untouched = await tf([{ path: "st/main.tf", base: volume, head: `${volume}\nlocals { x = 1 }\n` }]);
    expect(untouched.findings).toEqual([]);
    const added = await tf([
      { path: "st/main.tf", base: "locals { x = 1 }\n", head: `locals { x = 1 }\n\n${volume}` },
    ]);
    expect(ruleLines(added)).toEqual([["tf/aws-storage-unencrypted", 3]]);
  });

  it("joins an aws_s3_bucket_acl to its bucket in another changed file of the module", async () => {
    const review = await tf([
      { path: "s3/buckets.tf", head: 'resource "aws_s3_bucket" "site" {\n  bucket = "example-site"\n}\n' },
      {
        path: "s3/acl.tf",
        head: 'resource "aws_s3_bucket_acl" "site" {\n  bucket = aws_s3_bucket.site.id\n  acl    = "public-read"\n}\n',
      },
    ]);
    expect(review.findings.map((f) => [f.path, f.line, f.message])).toEqual([
      [
        "s3/acl.tf",
        3,
        'aws_s3_bucket_acl.site (bucket aws_s3_bucket.site) sets the ACL "public-read": anyone can list and read its objects.',
      ],
    ]);
  });

  it("takes a variable's value from a changed terraform.tfvars over its default", async () => {
    const main = `variable "public" {\n  default = false\n}\n\nresource "aws_db_instance" "db" {\n  storage_encrypted   = true\n  publicly_accessible = var.public\n}\n`;
    const quiet = await tf([{ path: "db/main.tf", head: main }]);
    expect(quiet.findings).toEqual([]);
    const loud = await tf([
      { path: "db/main.tf", head: main },
      { path: "db/terraform.tfvars", head: "public = true\n" },
    ]);
    expect(ruleLines(loud)).toEqual([["tf/aws-db-publicly-accessible", 7]]);
  });

  it("reports a policy written in locals on its line in locals", async () => {
    const review = await tf([
      {
        path: "iam/main.tf",
        head: `locals {
  admin = {
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  }
}

resource "aws_iam_policy" "admin" {
  policy = jsonencode(local.admin)
}
`,
      },
    ]);
    expect(ruleLines(review)).toEqual([["tf/aws-iam-wildcard-admin", 4]]);
  });

  it("never turns an unknown value into a finding", async () => {
    const review = await tf([
      {
        path: "u/main.tf",
        head: `resource "aws_db_instance" "db" {
  storage_encrypted   = true
  publicly_accessible = module.settings.public
}
resource "aws_security_group" "sg" {
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = data.aws_ip_ranges.all.cidr_blocks
  }
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = templatefile("\${path.module}/policy.json", {})
}
`,
      },
    ]);
    expect(review.findings).toEqual([]);
  });

  it("reports a file the grammar cannot read as meta/parse-error at its line, and reviews the rest of the module", async () => {
    const review = await tf([
      {
        path: "m/broken.tf",
        head: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = = "public-read"\n}\n',
      },
      { path: "m/db.tf", head: DATABASE },
    ]);
    expect(review.findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ["meta/parse-error", "m/broken.tf", 3],
      ["tf/aws-db-publicly-accessible", "m/db.tf", 5],
    ]);
  });

  it("reads *.tf.json with the line of each key", async () => {
    const json = JSON.stringify(
      { resource: { aws_db_instance: { db: { storage_encrypted: true, publicly_accessible: true } } } },
      null,
      2,
    );
    const review = await tf([{ path: "j/main.tf.json", head: json }]);
    expect(ruleLines(review)).toEqual([["tf/aws-db-publicly-accessible", 6]]);
  });
});
