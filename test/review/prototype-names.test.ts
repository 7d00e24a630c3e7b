import { describe, expect, it } from "vitest";
import { runReview } from "../../src/review/engine.js";
import { memoryFile } from "../../src/review/memory.js";
import { loadRuleCatalog } from "../../src/review/rules.js";
import { config } from "../support/review.js";

/**
 * Names an author writes — a program, a module, a YAML key, an ACL, an RBAC verb — are looked up in
 * the checks' tables. Names that `Object.prototype` has (`constructor`, `toString`, `__proto__`,
 * `hasOwnProperty`) found its members there: a Dockerfile running `constructor install x` made two
 * docker checks throw (the file was reported unreviewable), and an ACL or verb named `toString`
 * was a finding whose message quoted a function's source.
 */

const offline = config({ deps: { vulnerabilities: "off" } });

async function findingsOf(path: string, text: string): Promise<string[]> {
  const catalog = await loadRuleCatalog();
  const review = await runReview({ files: [memoryFile(path, null, text)] }, { config: offline, catalog });
  return review.findings.map((f) => `${f.ruleId}:${f.line} ${f.message}`);
}

describe("names that Object.prototype has", () => {
  it("are programs like any other in a Dockerfile", async () => {
    const findings = await findingsOf(
      "Dockerfile",
      "FROM alpine:3.19\nUSER app\nRUN constructor install toString && hasOwnProperty -y __proto__\nRUN valueOf constructor\n",
    );
    expect(findings).toEqual([]);
  });

  it("are modules like any other in an Ansible task, and a real one is still read", async () => {
    const findings = await findingsOf(
      "roles/web/tasks/main.yml",
      "- name: odd\n  constructor:\n    url: http://example.com/x\n- name: fetch\n  get_url:\n    url: http://example.com/agent.tgz\n    dest: /opt/agent.tgz\n",
    );
    expect(findings.map((f) => f.split(" ")[0])).toEqual(["ansible/plaintext-http-download:6"]);
  });

  it("are not scripts in an Azure pipeline", async () => {
    const findings = await findingsOf(
      "azure-pipelines.yml",
      "steps:\n- toString: curl -k https://example.com/a\n- constructor: curl -k https://example.com/b\n- script: curl -k https://example.com/c\n",
    );
    expect(findings.map((f) => f.split(" ")[0])).toEqual(["ci/tls-verification-disabled:4"]);
  });

  it("are not public ACLs, dangerous verbs, anonymous subjects or unconfined options", async () => {
    expect(
      await findingsOf(
        "infra/s3.tf",
        'resource "aws_s3_bucket_acl" "logs" {\n  bucket = "logs"\n  acl    = "toString"\n}\n',
      ),
    ).toEqual([]);
    expect(
      await findingsOf(
        "k8s/rbac.yaml",
        [
          "apiVersion: rbac.authorization.k8s.io/v1",
          "kind: ClusterRole",
          "metadata:",
          "  name: odd",
          "rules:",
          '  - apiGroups: [""]',
          "    resources: [constructor, toString]",
          "    verbs: [constructor, get]",
          "---",
          "apiVersion: rbac.authorization.k8s.io/v1",
          "kind: ClusterRoleBinding",
          "metadata:",
          "  name: odd",
          "roleRef:",
          "  apiGroup: rbac.authorization.k8s.io",
          "  kind: ClusterRole",
          "  name: odd",
          "subjects:",
          "  - kind: User",
          "    name: constructor",
          "    apiGroup: rbac.authorization.k8s.io",
          "",
        ].join("\n"),
      ),
    ).toEqual([]);
    const compose = await findingsOf(
      "docker-compose.yml",
      "services:\n  web:\n    image: nginx:1.27.0\n    security_opt:\n      - constructor\n      - toString:x\n",
    );
    expect(compose.filter((f) => f.startsWith("compose/unconfined"))).toEqual([]);
  });
});
