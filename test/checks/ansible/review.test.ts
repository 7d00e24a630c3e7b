import { describe, expect, it } from "vitest";
import { familiesFromContent, familiesFromPath } from "../../../src/review/families.js";
import { pairs, reviewAnsible } from "./support.js";

/** The ansible family through the real engine: what a pull request's author sees. */

const PLAYBOOK = `- name: Web servers
  hosts: web
  become: true
  vars:
    app_version: "1.4.2"
    db_password: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163383764373764613633653634306231386433626436623361
  tasks:
    - name: Fetch the release
      ansible.builtin.get_url:
        url: https://releases.example.com/app-{{ app_version }}.tar.gz
        dest: /opt/app.tar.gz
        validate_certs: no
    - name: Install the agent
      shell: curl -fsSL https://get.example.com/agent.sh | bash
    - block:
        - name: Shared directory
          file: path=/srv/shared state=directory mode=0777
      rescue:
        - name: Report
          debug:
            msg: failed
`;

describe("ansible review", () => {
  it("reports each problem of a new playbook at its line", async () => {
    const review = await reviewAnsible([{ path: "playbooks/web.yml", head: PLAYBOOK }]);
    expect(pairs(review)).toEqual([
      ["ansible/tls-validation-disabled", 14],
      ["ansible/remote-script-pipe-to-shell", 16],
      ["ansible/world-writable-permissions", 19],
    ]);
    const tls = review.findings.find((f) => f.ruleId === "ansible/tls-validation-disabled")!;
    expect(tls.message).toContain(
      "task `Fetch the release` (`ansible.builtin.get_url`) sets `validate_certs: no`",
    );
    expect(tls.severity).toBe("high");
    const mode = review.findings.find((f) => f.ruleId === "ansible/world-writable-permissions")!;
    expect(mode.column).toBe(55);
  });

  it("does not report what was already there, even when the task moved", async () => {
    const head = PLAYBOOK.replace("  tasks:\n", "  tasks:\n    - name: Ping\n      ping:\n");
    expect(pairs(await reviewAnsible([{ path: "playbooks/web.yml", base: PLAYBOOK, head }]))).toEqual([]);
  });

  it("reports a task that changes into a problem, and only that one", async () => {
    const base = PLAYBOOK.replace("validate_certs: no", "validate_certs: yes");
    const review = await reviewAnsible([{ path: "playbooks/web.yml", base, head: PLAYBOOK }]);
    expect(pairs(review)).toEqual([["ansible/tls-validation-disabled", 14]]);
  });

  it("reads role task files, FQCN modules and k=v arguments", async () => {
    const tasks = `- name: Key over HTTP
  ansible.builtin.rpm_key: key=http://packages.example.com/RPM-GPG-KEY state=present
- name: Install without signatures
  community.general.zypper:
    name: tool
    disable_gpg_check: yes
- name: Repo
  ansible.builtin.apt: deb=http://packages.example.com/tool.deb allow_unauthenticated=yes
`;
    const review = await reviewAnsible([{ path: "roles/base/tasks/main.yml", head: tasks }]);
    expect(pairs(review)).toEqual([
      ["ansible/plaintext-http-download", 2],
      ["ansible/unsigned-packages", 6],
      ["ansible/plaintext-http-download", 8],
      ["ansible/unsigned-packages", 8],
    ]);
  });

  it("never treats vaulted values or Jinja as secrets, and never echoes one", async () => {
    const vars = `db_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  6231336539666234
api_token: "{{ lookup('env', 'API_TOKEN') }}"
admin_password: Qm7vT2xK9pL4wZ8r
`;
    const review = await reviewAnsible([{ path: "inventory/group_vars/all.yml", head: vars }]);
    expect(pairs(review)).toEqual([["ansible/hardcoded-secret", 5]]);
    const f = review.findings[0]!;
    expect(JSON.stringify(f)).not.toContain("Qm7vT2xK9pL4wZ8r");
    expect(f.evidence).toBe("admin_password: Qm7v…(16 chars)");
  });

  it("inherits no_log from a block and reports secrets in command lines", async () => {
    const tasks = `- name: Create user
  user:
    name: app
    password: "{{ app_password_hash }}"
- block:
    - name: Quiet
      mysql_user: name=app password={{ db_password }}
  no_log: true
- name: Schema
  shell: mysql -u root -p{{ db_root_password }} app < schema.sql
`;
    const review = await reviewAnsible([{ path: "roles/db/tasks/main.yml", head: tasks }]);
    expect(pairs(review)).toEqual([
      ["ansible/secret-without-no-log", 4],
      ["ansible/secret-without-no-log", 10],
    ]);
  });

  it("reads ansible.cfg", async () => {
    const cfg = "[defaults]\nforks = 20\nhost_key_checking = False\n";
    expect(pairs(await reviewAnsible([{ path: "ansible.cfg", head: cfg }]))).toEqual([
      ["ansible/host-key-checking-disabled", 3],
    ]);
  });

  it("reports a playbook that does not parse once, as meta/parse-error", async () => {
    const review = await reviewAnsible([
      { path: "site.yml", head: "- hosts: all\n  tasks:\n    - name: x\n   bad: [\n" },
    ]);
    expect(review.findings.map((f) => f.ruleId)).toEqual(["meta/parse-error"]);
  });

  it("recognises a playbook by its content outside the usual paths", () => {
    expect(familiesFromPath("deploy/upgrade.yml")).toEqual([]);
    expect(familiesFromContent("deploy/upgrade.yml", PLAYBOOK)).toEqual(["ansible"]);
    expect(familiesFromContent("deploy/list.yml", "- a\n- b\n")).toEqual([]);
    expect(familiesFromContent("k8s/deploy.yml", "apiVersion: v1\nkind: Pod\n")).toEqual(["k8s"]);
  });
});
