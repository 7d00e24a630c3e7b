import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { plainHttpDownloads } from "../shell/index.js";
import { clip, finding, onAnsible, taskLabel } from "./common.js";
import { argPosition, argText, type Task } from "./model.js";
import { taskShells } from "./shell.js";

/**
 * A download over `http://` is whatever the network path serves: a file,
 * an archive unpacked on the host, a package repository or a signing key.
 * Loopback addresses are not reported.
 */
const RULE = "ansible/plaintext-http-download";

/** The arguments of each module that name something fetched. */
const URL_ARGS: Record<string, readonly string[]> = {
  get_url: ["url"],
  uri: ["url"],
  win_get_url: ["url"],
  unarchive: ["src"],
  apt_key: ["url"],
  rpm_key: ["key"],
  yum_repository: ["baseurl", "mirrorlist", "metalink", "gpgkey"],
  zypper_repository: ["repo"],
  apt_repository: ["repo"],
  deb822_repository: ["uris", "signed_by"],
  apt: ["deb"],
  yum: ["name"],
  dnf: ["name"],
  package: ["name"],
  pip: ["name"],
  git: ["repo"],
};

const PLAIN_HTTP = /(?:^|[\s"'[=,])(http:\/\/([^\s/"':?#]+)[^\s"',\]]*)/i;
const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/i;

/**
 * The first plain-HTTP URL of a value. The scheme must be literal: inside a
 * Jinja expression (`{{ 'http://' ~ x }}`) the value is unknown, and so is
 * a templated host (it may be a loopback mirror); a templated path is not.
 */
export function plainHttpUrl(text: string): { url: string; index: number } | undefined {
  const m = PLAIN_HTTP.exec(text.slice(0, 4096));
  if (!m || LOOPBACK.test(m[2]!) || m[2]!.startsWith("{{")) return undefined;
  const index = m.index + m[0].length - m[1]!.length;
  const before = text.slice(0, index);
  if (before.lastIndexOf("{{") > before.lastIndexOf("}}")) return undefined;
  return { url: m[1]!, index };
}

function urlArgs(task: Task): readonly string[] {
  // Own keys only: a module named `constructor` must not find `Object.prototype`'s.
  return Object.hasOwn(URL_ARGS, task.module) ? URL_ARGS[task.module]! : [];
}

export const plaintextHttpDownload = defineCheck({
  kind: "snapshot",
  name: "ansible/plaintext-http-download",
  families: ["ansible"],
  rules: [RULE],
  run: onAnsible((model) => {
    const out: RawFinding[] = [];
    for (const task of model.tasks) {
      const names = urlArgs(task);
      for (const arg of task.args) {
        if (!names.includes(arg.name)) continue;
        const text = argText(arg);
        const url = text === undefined ? undefined : plainHttpUrl(text);
        if (!url) continue;
        out.push(
          finding({
            ruleId: RULE,
            at: argPosition(model, arg, arg.freeForm ? url.index : 0),
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) fetches \`${clip(url.url, 100)}\` over plain HTTP: anyone on the network path can replace what it receives.`,
            fix: "Use an `https://` URL, and pin what is fetched (`checksum:` for get_url, a key fingerprint for repositories).",
            anchor: `${task.anchor}/${arg.name}`,
            evidence: clip(url.url, 200),
          }),
        );
      }
    }
    for (const { task, reading } of taskShells(model)) {
      for (const d of plainHttpDownloads(reading)) {
        out.push(
          finding({
            ruleId: RULE,
            at: { line: d.line, column: d.column },
            message: `The ${taskLabel(task)} (\`${task.moduleKey}\`) downloads \`${clip(d.url, 100)}\` with \`${d.invocation.program}\` over plain HTTP: anyone on the network path can replace it.`,
            fix: "Use an `https://` URL and verify a pinned checksum.",
            anchor: `${task.anchor}/shell-http:${d.url}`,
            evidence: clip(d.url, 200),
          }),
        );
      }
    }
    return out;
  }),
});
