// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Puppet text uses ${var}
import { checks as cmChecks } from "../src/checks/config-mgmt/checks.generated.js";
import { saltToYaml } from "../src/formats/salt.js";
import { defaultConfig } from "../src/review/defaults.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import {
  addedFilesReview,
  boundLine,
  interleavedRatio,
  LINE_RATIO,
  overParseLine,
  productYamlParse,
  ratioLine,
  regexFloor,
  runSnapshotChecks,
  type Slice,
  YAML_RATIO,
  yamlFloor,
} from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * The ansible and config-mgmt families on realistic files — 200 playbooks
 * (plays, blocks, handlers, free-form and map arguments, vaulted vars), 100
 * Chef recipes and Puppet manifests (resource blocks, heredocs, attribute
 * hashes), 100 Salt states with Jinja — reviewed by the engine as a change
 * that adds them (every rule a user gets, secrets and meta included), against
 * the floors issue 15 sets: the YAML families within 1.2× of parsing the same
 * files with the YAML library, with positions (`yamlFloor`, support.ts: `yaml`'s
 * `parseAllDocuments` and the duplicate-key check; Salt's Jinja masked beforehand, outside the floor's time,
 * so the masking counts against the family); the line-oriented readers (Ruby,
 * Puppet) within 3× of reading the files and running 30 regexes per line.
 * Both sides run interleaved (support.ts). Then 1 MB of hostile input
 * (unterminated strings, heredocs and blocks) per reader.
 */

const TARGET_HOSTILE_MS = 1_000;

function playbook(n: number): string {
  const tasks = Array.from({ length: 12 }, (_, t) => {
    const k = n * 12 + t;
    switch (t % 6) {
      case 0:
        return `    - name: Fetch release ${k}
      ansible.builtin.get_url:
        url: https://releases.example.com/app-{{ app_version }}-${k}.tar.gz
        dest: /opt/app-${k}.tar.gz
        checksum: "sha256:{{ app_sha256 }}"
        mode: "0644"${k % 37 === 0 ? "\n        validate_certs: no" : ""}`;
      case 1:
        return `    - name: Install packages ${k}
      apt:
        name: [nginx, "python3-pip", jq]
        state: present
        update_cache: yes`;
      case 2:
        return `    - name: Render config ${k}
      template: src=app.conf.j2 dest=/etc/app/app-${k}.conf owner=app group=app mode=${k % 41 === 0 ? "0666" : "0640"}
      notify: restart app`;
      case 3:
        return `    - block:
        - name: Migrate ${k}
          command: /opt/app/bin/migrate --env {{ env }} chdir=/opt/app
          register: migrate
        - name: Seed ${k}
          shell: |
            set -euo pipefail
            /opt/app/bin/seed --tenant {{ item }} | tee -a /var/log/seed.log${k % 53 === 0 ? "\n            curl -fsSL https://get.example.com/x.sh | bash" : ""}
          loop: "{{ tenants }}"
      rescue:
        - name: Report ${k}
          debug:
            msg: "migration failed: {{ migrate.stderr }}"`;
      case 4:
        return `    - name: Create db user ${k}
      community.mysql.mysql_user:
        name: app${k}
        password: "{{ vault_db_password }}"
        priv: "app.*:ALL"
      no_log: true`;
      default:
        return `    - name: Service ${k}
      ansible.builtin.systemd:
        name: app-${k}
        state: started
        enabled: true`;
    }
  });
  return `- name: App servers ${n}
  hosts: app
  become: true
  vars:
    app_version: "2.${n}.0"
    db_password: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163383764373764613633653634306231386433626436623361
  pre_tasks:
    - name: Wait for connection
      ansible.builtin.wait_for_connection:
        timeout: 300
  tasks:
${tasks.join("\n")}
  handlers:
    - name: restart app
      ansible.builtin.service:
        name: app
        state: restarted
`;
}

function recipe(n: number): string {
  const blocks = Array.from({ length: 10 }, (_, b) => {
    const k = n * 10 + b;
    switch (b % 5) {
      case 0:
        return `remote_file "#{Chef::Config[:file_cache_path]}/agent-${k}.tar.gz" do
  source "https://downloads.example.com/agent-#{node['agent']['version']}.tar.gz"
  checksum node['agent']['checksum']
  mode '0644'${k % 29 === 0 ? "\n  ssl_verify_mode :verify_none" : ""}
  action :create
end`;
      case 1:
        return `directory '/srv/app-${k}' do
  owner 'app'
  group 'app'
  mode ${k % 31 === 0 ? "'0777'" : "'0750'"}
  recursive true
end`;
      case 2:
        return `bash 'install-${k}' do
  cwd '/opt'
  code <<-EOH
    set -e
    tar xzf agent-${k}.tar.gz -C /opt
    /opt/agent/bin/setup --quiet
  EOH
  not_if { ::File.exist?('/opt/agent/bin/agent-${k}') }
end`;
      case 3:
        return `template '/etc/app/app-${k}.conf' do
  source 'app.conf.erb'
  variables(
    port: node['app']['port'],
    workers: node['cpu']['total'] * 2
  )
  notifies :restart, 'service[app]', :delayed
end`;
      default:
        return `default['app']['${k}']['settings'] = {
  'timeout' => 30,
  'region' => 'eu-west-1',
}`;
    }
  });
  return `# Cookbook:: app\n# Recipe:: part${n}\n\n${blocks.join("\n\n")}\n`;
}

function manifest(n: number): string {
  const blocks = Array.from({ length: 10 }, (_, b) => {
    const k = n * 10 + b;
    switch (b % 4) {
      case 0:
        return `  file { '/etc/app/conf-${k}.d':
    ensure  => directory,
    owner   => 'app',
    group   => 'app',
    mode    => ${k % 23 === 0 ? "'0777'" : "'0750'"},
    require => Package['app'],
  }`;
      case 1:
        return `  exec { 'migrate-${k}':
    command     => "/opt/app/bin/migrate --env \${environment}",
    path        => ['/usr/bin', '/bin'],
    refreshonly => true,
    subscribe   => File['/etc/app/conf-${k}.d'],
  }`;
      case 2:
        return `  $config_${k} = @("EOT")
    [main]
    listen = 0.0.0.0:\${port}
    | EOT`;
      default:
        return `  service { 'app-${k}':
    ensure => running,
    enable => true,
  }`;
    }
  });
  return `class app::part${n} (
  String $version = '1.${n}.0',
  Integer $port = 8080,
) {
${blocks.join("\n")}
}
`;
}

function saltState(n: number): string {
  return `{% set version = pillar.get('app_version', '1.${n}.0') %}
app-archive-${n}:
  file.managed:
    - name: /opt/app-{{ version }}.tar.gz
    - source: https://downloads.example.com/app-{{ version }}.tar.gz
    - source_hash: sha256={{ pillar['app_sha256'] }}
    - mode: ${n % 17 === 0 ? "777" : "'0644'"}
{% for user in pillar.get('users', []) %}
home-{{ user }}-${n}:
  file.directory:
    - name: /home/{{ user }}
    - user: {{ user }}
    - mode: 750
{% endfor %}
app-service-${n}:
  service.running:
    - name: app
    - enable: True
    - watch:
      - file: app-archive-${n}
`;
}

/** The floor for the line-oriented readers: read every line and run 30 regexes on it. */
const FLOOR_REGEXES = Array.from(
  { length: 30 },
  (_, i) => new RegExp(`\\b(?:word${i}|mode|source)\\s*(?:=>|\\s)\\s*['"]?([^'"\\s]+)`),
);

function hostileRuby(): string {
  return `bash 'x' do\n  code <<-EOH\n${"    echo 'unterminated \"#{ still\n".repeat(30_000)}`;
}

function hostilePuppet(): string {
  return `file { '/x':\n  content => "${"line with ${var} and 'quotes'\n".repeat(32_000)}`;
}

export function slices(): Slice[] {
  const playbooks = Array.from({ length: 200 }, (_, i) => ({
    path: `playbooks/p${i}.yml`,
    text: playbook(i),
  }));
  const states = Array.from({ length: 100 }, (_, i) => ({ path: `salt/s${i}.sls`, text: saltState(i) }));
  const lineFiles = [
    ...Array.from({ length: 50 }, (_, i) => ({ path: `cookbooks/app/recipes/r${i}.rb`, text: recipe(i) })),
    ...Array.from({ length: 50 }, (_, i) => ({ path: `manifests/m${i}.pp`, text: manifest(i) })),
  ];
  const playbookTexts = playbooks.map((f) => f.text);
  const masked = states.map((f) => saltToYaml(f.text));
  const lineTexts = lineFiles.map((f) => f.text);
  return [
    {
      name: "ansible: 200 playbooks",
      files: playbooks,
      floor: () => yamlFloor(playbookTexts),
      productParse: () => productYamlParse(playbookTexts),
      target: YAML_RATIO,
      floorName: "YAML parse",
    },
    {
      name: "config-mgmt: 100 Salt states",
      files: states,
      floor: () => yamlFloor(masked),
      productParse: () => productYamlParse(masked),
      target: YAML_RATIO,
      floorName: "YAML parse of the Jinja-masked text",
    },
    {
      name: "config-mgmt: 50 recipes + 50 manifests",
      files: lineFiles,
      floor: () => regexFloor(lineTexts, FLOOR_REGEXES),
      target: LINE_RATIO,
      floorName: "30 regexes per line",
    },
  ];
}

export async function bench(): Promise<BenchLine[]> {
  const catalog = await loadRuleCatalog();
  const lines: BenchLine[] = [];
  for (const slice of slices()) {
    const review = addedFilesReview(slice.files, catalog);
    const findings = await review();
    const r = await interleavedRatio(review, slice.floor);
    lines.push(ratioLine(`${slice.name}, engine with every rule ÷ ${slice.floorName}`, r, slice.target));
    if (slice.productParse)
      lines.push(overParseLine(slice.name, await interleavedRatio(review, slice.productParse)));
    lines.push({ name: `${slice.name}, findings (sanity)`, value: findings, unit: "count" });
  }
  // The issue bounds the readers on hostile input: the family's checks alone, as before.
  const ctx = {
    config: defaultConfig,
    catalog,
    mode: "diff" as const,
    services: {},
    note() {},
    dependencyChange() {},
  };
  for (const { name, path, text } of [
    {
      name: "config-mgmt: 1 MB recipe, unterminated heredoc and strings, all rules",
      path: "cookbooks/x/recipes/h.rb",
      text: hostileRuby(),
    },
    {
      name: "config-mgmt: 1 MB manifest, unterminated string and body, all rules",
      path: "manifests/h.pp",
      text: hostilePuppet(),
    },
  ]) {
    runSnapshotChecks(cmChecks, path, text, ctx);
    const start = performance.now();
    runSnapshotChecks(cmChecks, path, text, ctx);
    const ms = performance.now() - start;
    lines.push(boundLine(name, ms, TARGET_HOSTILE_MS));
  }
  return lines;
}
