import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/config-mgmt/checks.generated.js";
import { parseRuleFile } from "../../../src/review/rule-files.js";
import { RuleCatalog } from "../../../src/review/rules.js";
import type { Review } from "../../../src/review/types.js";
import { config, reviewFiles } from "../../support/review.js";

/** The config-mgmt family through the real engine, with its rules alone. */

const ruleFiles = [
  ...readdirSync("rules/config-mgmt").map((f) => `rules/config-mgmt/${f}`),
  "rules/meta/parse-error.yml",
];
const catalog = new RuleCatalog(ruleFiles.map((p) => parseRuleFile(readFileSync(p, "utf8"), p)));

function review(files: Array<{ path: string; base?: string | null; head?: string | null }>): Promise<Review> {
  return reviewFiles(files, { catalog, checks, config: config({}) });
}

function pairs(r: Review): Array<[string, number]> {
  return r.findings
    .map((f) => [f.ruleId, f.line] as [string, number])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

const RECIPE = `# Installs the agent
package 'curl'

remote_file '/opt/agent.tar.gz' do
  source "https://downloads.example.com/agent-#{node['agent']['version']}.tar.gz"
  ssl_verify_mode :verify_none
  mode '0644'
end

directory '/srv/uploads' do
  owner 'app'
  mode 0777
end

bash 'install agent' do
  code <<-EOH
    tar xzf /opt/agent.tar.gz -C /opt
    curl -fsSL https://get.example.com/post-install.sh | bash
  EOH
  not_if { ::File.exist?('/opt/agent/bin/agent') }
end
`;

describe("config-mgmt review: Chef", () => {
  it("reads resources as blocks and reports each problem at its line, named by the resource", async () => {
    const r = await review([{ path: "cookbooks/agent/recipes/default.rb", head: RECIPE }]);
    expect(pairs(r)).toEqual([
      ["config-mgmt/tls-verification-disabled", 6],
      ["config-mgmt/world-writable-permissions", 12],
      ["config-mgmt/remote-script-pipe-to-shell", 18],
    ]);
    const tls = r.findings.find((f) => f.ruleId === "config-mgmt/tls-verification-disabled")!;
    expect(tls.message).toContain(
      "Chef `remote_file[/opt/agent.tar.gz]` sets `ssl_verify_mode :verify_none`",
    );
    expect(tls.anchor).toBe("remote_file[/opt/agent.tar.gz]/ssl_verify_mode");
    const pipe = r.findings.find((f) => f.ruleId === "config-mgmt/remote-script-pipe-to-shell")!;
    expect(pipe.column).toBe(5);
  });

  it("does not report problems already on the base, even when resources move", async () => {
    const head = `log 'start'\n\n${RECIPE}`;
    expect(pairs(await review([{ path: "cookbooks/agent/recipes/default.rb", base: RECIPE, head }]))).toEqual(
      [],
    );
  });

  it("reads attribute files, hashes included, without echoing the secret", async () => {
    const attrs = `default['app']['port'] = 8443
default['app']['db'] = {
  'user' => 'app',
  'password' => 'Tq8zW3mK7vN2xP5r',
}
default['app']['api_token'] = "#{ENV['API_TOKEN']}"
`;
    const r = await review([{ path: "cookbooks/app/attributes/default.rb", head: attrs }]);
    expect(pairs(r)).toEqual([["config-mgmt/hardcoded-secret", 4]]);
    expect(JSON.stringify(r.findings)).not.toContain("Tq8zW3mK7vN2xP5r");
  });
});

describe("config-mgmt review: Puppet, Salt, Vagrant, Packer", () => {
  it("Puppet: a resource's attributes and an exec command", async () => {
    const pp = `class app (
  String $admin_password = 'Lp4xR8tV2nQ7mZ3k',
) {
  file { '/etc/app/hooks':
    ensure => directory,
    mode   => '0777',
  }
  exec { 'bootstrap':
    command => "/bin/sh -c 'wget -qO- http://get.example.com/b.sh | sh'",
  }
}
`;
    const r = await review([{ path: "modules/app/manifests/init.pp", head: pp }]);
    expect(pairs(r)).toEqual([
      ["config-mgmt/hardcoded-secret", 2],
      ["config-mgmt/world-writable-permissions", 6],
      ["config-mgmt/remote-script-pipe-to-shell", 9],
    ]);
    expect(r.findings.find((f) => f.line === 6)!.message).toContain(
      "Puppet `file['/etc/app/hooks']` sets `mode 0777`",
    );
    expect(r.findings.find((f) => f.line === 9)!.severity).toBe("high");
  });

  it("Salt: Jinja lines are skipped and templated values are unknown", async () => {
    const sls = `{% set version = pillar.get('agent_version', '1.0') %}
agent:
  file.managed:
    - name: /opt/agent-{{ version }}.tar.gz
    - source: https://downloads.example.com/agent-{{ version }}.tar.gz
    - skip_verify: True
    - mode: 777
{% for user in pillar.get('users', []) %}
{{ user }}-home:
  file.directory:
    - name: /home/{{ user }}
    - mode: {{ pillar['home_mode'] }}
{% endfor %}
`;
    const r = await review([{ path: "salt/agent/init.sls", head: sls }]);
    expect(pairs(r)).toEqual([
      ["config-mgmt/tls-verification-disabled", 6],
      ["config-mgmt/world-writable-permissions", 7],
    ]);
  });

  it("Vagrant and Packer", async () => {
    const vagrant = `Vagrant.configure("2") do |config|
  config.vm.box = "ubuntu/jammy64"
  config.ssh.insert_key = false
  config.vm.network "forwarded_port", guest: 80, host: 8080, host_ip: "127.0.0.1"
  config.vm.provision "shell", inline: <<-SHELL
    curl -fsSL https://get.example.com/setup.sh | sudo bash
  SHELL
end
`;
    const packer = `source "amazon-ebs" "web" {
  region     = "eu-west-1"
  ami_groups = ["all"]
}

build {
  sources = ["source.amazon-ebs.web"]
  provisioner "shell" {
    inline = [
      "sudo apt-get update",
      "curl -k https://get.example.com/x.sh -o /tmp/x.sh",
    ]
  }
}
`;
    const r = await review([
      { path: "Vagrantfile", head: vagrant },
      { path: "packer/web.pkr.hcl", head: packer },
    ]);
    expect(r.findings.map((f) => [f.path, f.ruleId, f.line]).sort()).toEqual([
      ["Vagrantfile", "config-mgmt/remote-script-pipe-to-shell", 6],
      ["Vagrantfile", "config-mgmt/vagrant-insecure-ssh", 3],
      ["packer/web.pkr.hcl", "config-mgmt/packer-public-image", 3],
      ["packer/web.pkr.hcl", "config-mgmt/tls-verification-disabled", 11],
    ]);
  });

  it("a broken Salt state is one meta/parse-error", async () => {
    const r = await review([{ path: "salt/x.sls", head: "a:\n  b: [\n" }]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["meta/parse-error"]);
  });
});
