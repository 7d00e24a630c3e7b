import type { Scalar } from "yaml";
import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { at, finding, workflowCheck } from "./common.js";
import { advisoriesFor } from "./compromised.js";
import { type Job, jobAnchor, type Step, usesWithoutRef, type Workflow } from "./model.js";

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

export const unpinnedAction = workflowCheck(
  "actions/unpinned-action",
  ["actions/unpinned-action"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    // A Docker container action's own image (`runs.image: docker://…`).
    const image = scalarText(wf.image);
    if (wf.image && image && parseUses(image).kind === "docker" && !parseUses(image).ref) {
      out.push(
        finding({
          ruleId: "actions/unpinned-action",
          at: at(wf, wf.image),
          message: `This action runs \`${image}\`, a container image named by a movable tag: whoever can push that tag changes what every user of the action runs.`,
          fix: "Pin the image by digest: `docker://image@sha256:<digest>`.",
          anchor: `runs.image:${usesWithoutRef(image)}`,
          evidence: image,
        }),
      );
    }
    for (const u of usesRefs(wf)) {
      // The action without its tag: `@v3` → `@v4` of an action unpinned before and after is
      // not new, while a SHA pin replaced by a tag is (the base has no finding to match).
      const anchor = `${jobAnchor(u.job, u.step)}/unpinned`;
      if (u.kind === "docker" && !u.ref) {
        out.push(
          finding({
            ruleId: "actions/unpinned-action",
            at: at(wf, u.node),
            message: `\`${u.text}\` names a container image by a movable tag: whoever can push that tag changes what this job runs.`,
            fix: "Pin the image by digest: `docker://image@sha256:<digest>`.",
            anchor,
            evidence: u.text,
          }),
        );
        continue;
      }
      if (u.kind !== "remote" || isCommitSha(u.ref)) continue;
      const where = u.step ? "step" : "reusable workflow";
      const version = u.ref ?? "";
      const firstParty = isFirstParty(u.action!);
      out.push(
        finding({
          ruleId: "actions/unpinned-action",
          at: at(wf, u.node),
          severity: firstParty ? "low" : undefined,
          message: firstParty
            ? `\`${u.text}\` follows the movable ref \`${version}\`; it is published by GitHub itself, but only a commit SHA is immutable.`
            : `\`${u.text}\` follows the movable ref \`${version}\`: whoever controls or compromises ${u.action} can change the code this ${where} runs, as happened to tj-actions/changed-files in March 2025.`,
          fix: `Pin to the full commit SHA with the version as a comment: \`uses: ${u.text.split("@")[0]}@<40-hex sha> # ${version}\`.`,
          anchor,
          evidence: u.text,
        }),
      );
    }
    return out;
  },
);

export const knownCompromisedAction = workflowCheck(
  "actions/known-compromised-action",
  ["actions/known-compromised-action"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    for (const u of usesRefs(wf)) {
      if (u.kind !== "remote" || !u.ref) continue;
      for (const a of advisoriesFor(u.action!, u.ref)) {
        const ids = [a.id, ...a.aliases].join(", ");
        out.push(
          finding({
            ruleId: "actions/known-compromised-action",
            at: at(wf, u.node),
            severity: a.severity,
            message: `\`${u.text}\` is affected by ${ids}: ${a.summary}`,
            fix: a.fixed
              ? `Remove it, or pin a reviewed commit SHA of ${a.fixed} or later; rotate any secret a run with it could read.`
              : "Remove it or pin a reviewed commit SHA; rotate any secret a run with it could read.",
            // Ref-specific on purpose: moving from one compromised tag to another is a new finding.
            anchor: `${jobAnchor(u.job, u.step)}/uses:${u.text.trim().toLowerCase()}/${a.id}`,
            evidence: u.text,
          }),
        );
      }
    }
    return out;
  },
);
