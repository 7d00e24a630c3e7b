import { memoOn } from "../../formats/memo.js";
import type { Position } from "../../formats/yaml.js";
import { readShell, type ShellReading, type ShellSource } from "../shell/reading.js";

/**
 * What every ci/ check reads, whatever the CI system: the scripts a pipeline
 * runs, the images it runs them in, and each system's own settings (GitLab
 * includes and debug variables, CircleCI orbs). Each flavor's reader
 * (gitlab.ts, circleci.ts, azure.ts, bitbucket.ts, jenkins.ts) fills it
 * once per file version; the checks never look at a flavor's syntax.
 *
 * `scope` is the identity of the job, stage or step a fact belongs to
 * (`job:build`, `stage:Deploy/sh`, `pipelines/default/step:Test`), never a
 * line: anchors are built from it and the offending text.
 */

export type CiFlavor = "gitlab" | "circleci" | "azure" | "bitbucket" | "jenkins";

export interface CiScript {
  source: ShellSource;
  scope: string;
  /** `cmd` (Jenkins `bat`) is read for PowerShell idioms only. */
  shell: "posix" | "powershell" | "cmd";
}

export interface CiImage extends Position {
  /** The reference as written (`node:20`, `$CI_REGISTRY_IMAGE:latest`). */
  text: string;
  scope: string;
}

export interface GitlabVariable extends Position {
  name: string;
  value: string;
  scope: string;
}

export interface GitlabInclude extends Position {
  kind: "local" | "remote" | "project" | "template" | "component";
  /** URL, project path or component path. */
  target: string;
  /** `ref:` of a project include, the `@version` of a component. */
  ref?: string;
  /** A remote include with `integrity:` is pinned to its content. */
  integrity?: boolean;
}

export interface CircleciOrb extends Position {
  name: string;
  /** `circleci/node@5.1.0` as written. */
  reference: string;
}

export interface CiFacts {
  flavor: CiFlavor;
  scripts: CiScript[];
  images: CiImage[];
  variables: GitlabVariable[];
  includes: GitlabInclude[];
  orbs: CircleciOrb[];
}

export function emptyFacts(flavor: CiFlavor): CiFacts {
  return { flavor, scripts: [], images: [], variables: [], includes: [], orbs: [] };
}

/** Which CI system a file of the ci family belongs to: by path, then (for templates and includes) by content. */
export function flavorOf(path: string, text: string): CiFlavor {
  const p = path.toLowerCase();
  const name = p.slice(p.lastIndexOf("/") + 1);
  if (
    name === "jenkinsfile" ||
    name.startsWith("jenkinsfile.") ||
    name.endsWith(".jenkinsfile") ||
    name.endsWith(".groovy")
  )
    return "jenkins";
  if (name.endsWith("gitlab-ci.yml") || name.endsWith("gitlab-ci.yaml") || p.includes(".gitlab/"))
    return "gitlab";
  if (p.includes(".circleci/")) return "circleci";
  if (name.startsWith("bitbucket-pipelines")) return "bitbucket";
  if (name.startsWith("azure-pipelines") || p.includes(".azure-pipelines/") || p.includes(".azuredevops/"))
    return "azure";
  const head = text.slice(0, 65_536);
  return /^\s*-\s*(job|stage|deployment|task|script|bash|pwsh|powershell|template)\s*:/m.test(head) &&
    !/^\s{2,}script\s*:/m.test(head)
    ? "azure"
    : "gitlab";
}

const READING = Symbol("ci shell reading");

/**
 * The shell reading of a script, read once however many checks ask (the facts are memoised per file
 * version), kept on the script (formats/memo.ts: not in a module-level WeakMap).
 */
export function shellReadingOf(script: CiScript): ShellReading {
  return memoOn(script, READING, () => readShell(script.source));
}
