import type { Scalar } from "yaml";
import { scalarText } from "../../formats/yaml.js";
import type { Job, Step, Workflow } from "./model.js";

/**
 * `uses:` references: step actions and job-level reusable workflows. A tag or
 * branch can be moved by whoever controls (or compromises) the action's
 * repository; only a full commit SHA names immutable code.
 */

export interface UsesRef {
  /** The raw `uses:` text. */
  text: string;
  node: Scalar;
  job: Job;
  step?: Step;
  kind: "local" | "docker" | "remote" | "invalid";
  /** `owner/repo` (lower case) for remote references. */
  action?: string;
  ref?: string;
}

export function parseUses(text: string): Pick<UsesRef, "kind" | "action" | "ref"> {
  const t = text.trim();
  if (t.startsWith("./") || t.startsWith("../")) return { kind: "local" };
  if (t.startsWith("docker://")) {
    const digest = /@sha256:[0-9a-f]{64}$/i.exec(t);
    return { kind: "docker", ref: digest ? digest[0].slice(1) : undefined };
  }
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(\/[^@]*)?@(.+)$/.exec(t);
  if (!m) return { kind: "invalid" };
  return { kind: "remote", action: `${m[1]}/${m[2]}`.toLowerCase(), ref: m[4] };
}

export function usesRefs(wf: Workflow): UsesRef[] {
  const out: UsesRef[] = [];
  const add = (node: Scalar | undefined, job: Job, step?: Step) => {
    const text = scalarText(node);
    if (!node || !text || text.includes("${{")) return;
    out.push({ text, node, job, step, ...parseUses(text) });
  };
  for (const job of wf.jobs) {
    add(job.uses, job);
    for (const step of job.steps) add(step.uses, job, step);
  }
  return out;
}

export function isCommitSha(ref: string | undefined): boolean {
  return ref !== undefined && /^[0-9a-f]{40}$/i.test(ref);
}

/**
 * `github/*` repositories that GitHub itself still maintains as actions. The
 * `github` owner alone is not enough: a repository transferred out of the
 * organisation keeps answering at its old name, so `github/super-linter` runs
 * super-linter/super-linter, a community project since 2023
 * (https://github.com/super-linter/super-linter). Source of truth: the
 * repository lives at https://github.com/github/<name> and is not archived.
 */
const GITHUB_MAINTAINED: ReadonlySet<string> = new Set(["github/codeql-action"]);

/**
 * First-party actions: the `actions` organisation (GitHub's own; archived ones
 * such as actions/create-release stay there, read-only) and the `github/*`
 * repositories above. Still movable, so reported, but at low severity.
 */
export function isFirstParty(action: string): boolean {
  return action.split("/")[0] === "actions" || GITHUB_MAINTAINED.has(action);
}
