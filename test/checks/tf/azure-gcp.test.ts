import { describe, expect, it } from "vitest";
import { isAnySource } from "../../../src/checks/tf/azure-open-ingress.js";
import { config, reviewFiles, ruleLines } from "../../support/review.js";

/** The tf/azure-* and tf/gcp-* rules through the engine: messages, unknowns, newness. */

const cfg = config();
const tf = (files: Parameters<typeof reviewFiles>[0]) => reviewFiles(files, { config: cfg });

describe("tf/azure-open-ingress", () => {
  const rule = (source: string, ports: string, extra = "") => `resource "azurerm_network_security_rule" "r" {
  name                   = "admin"
  direction              = "Inbound"
  access                 = "Allow"
  protocol               = "Tcp"
  destination_port_range = ${ports}
  source_address_prefix  = ${source}
${extra}}
`;

  it("reports a wide range covering admin ports, with the ports named", async () => {
    const r = await tf([{ path: "net/main.tf", head: rule('"Internet"', '"3000-3400"') }]);
    expect(ruleLines(r)).toEqual([["tf/azure-open-ingress", 7]]);
    expect(r.findings[0]!.message).toBe(
      "azurerm_network_security_rule.r: security rule `admin` lets Internet (the whole internet) reach ports 3306 (MySQL), 3389 (RDP).",
    );
  });

  it("is silent on unknown sources and ports, outbound and deny rules", async () => {
    const unknown = `variable "src" {}\n${rule("var.src", '"22"')}`;
    const unknownPort = `variable "p" {}\n${rule('"*"', "var.p")}`;
    const deny = rule('"*"', '"22"').replace('"Allow"', '"Deny"');
    const outbound = rule('"*"', '"22"').replace('"Inbound"', '"Outbound"');
    for (const head of [unknown, unknownPort, deny, outbound])
      expect((await tf([{ path: "main.tf", head }])).findings).toEqual([]);
  });

  it("knows Azure's names for anywhere", () => {
    for (const v of ["*", "Internet", "any", "0.0.0.0/0", "::/0"]) expect(isAnySource(v)).toBe(true);
    for (const v of ["VirtualNetwork", "10.0.0.0/8", "AzureLoadBalancer"]) expect(isAnySource(v)).toBe(false);
  });
});

describe("tf/gcp-*", () => {
  it("a firewall moved to another file of the module is not new; opening one more port is", async () => {
    const fw = (ports: string) => `resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = [${ports}]
  }
}
`;
    const moved = await tf([
      { path: "infra/main.tf", base: fw('"22"'), head: "" },
      { path: "infra/network.tf", base: null, head: fw('"22"') },
    ]);
    expect(moved.findings).toEqual([]);
    const widened = await tf([{ path: "infra/main.tf", base: fw('"22"'), head: fw('"22", "3389"') }]);
    expect(ruleLines(widened)).toEqual([["tf/gcp-open-ingress", 4]]);
    expect(widened.findings[0]!.message).toContain("reach ports 22 (SSH), 3389 (RDP)");
  });

  it("reports a public bucket member and a legacy ACL entity", async () => {
    const r = await tf([
      {
        path: "main.tf",
        head: `resource "google_storage_bucket_acl" "a" {
  bucket      = "site"
  role_entity = ["OWNER:user-ops@example.com", "READER:allUsers"]
}
`,
      },
    ]);
    expect(ruleLines(r)).toEqual([["tf/gcp-public-bucket", 3]]);
    expect(r.findings[0]!.message).toBe(
      "google_storage_bucket_acl.a grants `READER` to `allUsers`: anyone on the internet can use the bucket.",
    );
  });
});
