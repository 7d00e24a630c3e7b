import { scalarText } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { checkoutDir, uploadsGitDir } from "./artifact-paths.js";
import { at, clip, finding, onWorkflow } from "./common.js";
import { type Job, jobAnchor, type Step, usesWithoutRef, type Workflow, withValue } from "./model.js";
import { hasPrivilegedTrigger } from "./triggers.js";
import { isCommitSha, parseUses } from "./uses.js";

/**
 * `actions/checkout` writes the job's token into `.git/config` unless told
 * not to. It leaks when an artifact carries that `.git` directory away
 * ("ArtiPACKED"), or when later steps of a privileged workflow can read it.
 * An artifact of `./results.json` or `dist/` carries nothing of the kind.
 */
export const persistedCredentials = defineCheck({
  kind: "snapshot",
  name: "actions/persisted-credentials",
  families: ["actions"],
  rules: ["actions/persisted-credentials"],
  run: onWorkflow(({ wf }) => {
    const out: RawFinding[] = [];
    const privileged = hasPrivilegedTrigger(wf);
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const uses = scalarText(step.uses);
        if (!uses || usesWithoutRef(uses) !== "actions/checkout") continue;
        const persist = withValue(step, "persist-credentials").text?.trim().toLowerCase();
        if (persist === "false") continue;
        const upload = gitUpload(wf, job, step);
        if (!upload && !privileged) continue;
        const why = upload
          ? `the artifact uploaded at line ${upload.line} (\`${clip(upload.pattern, 60)}\`) takes that .git directory with it${upload.caveat}`
          : "later steps of this privileged workflow can read it";
        out.push(
          finding({
            ruleId: "actions/persisted-credentials",
            at: at(wf, step.uses),
            message: `\`${uses}\` leaves the job's token in .git/config, and ${why}.`,
            fix: upload
              ? "Add `with: { persist-credentials: false }` to the checkout step, and upload only the files the artifact needs."
              : "Add `with: { persist-credentials: false }` to the checkout step.",
            anchor: `${jobAnchor(job, step)}/persist-credentials:${upload ? "artifact" : "privileged"}`,
          }),
        );
      }
    }
    return out;
  }),
});

interface GitUpload {
  line: number;
  pattern: string;
  /** Said when the upload's version, which decides whether hidden files go, is unknown. */
  caveat: string;
}

/** A later `actions/upload-artifact` step of the job whose `path:` includes this checkout's `.git`. */
function gitUpload(wf: Workflow, job: Job, checkout: Step): GitUpload | undefined {
  const dir = checkoutDir(withValue(checkout, "path").text);
  for (const step of job.steps.slice(checkout.index + 1)) {
    const uses = scalarText(step.uses);
    if (!uses || usesWithoutRef(uses) !== "actions/upload-artifact") continue;
    const hidden = uploadsHiddenFiles(wf, step, uses);
    if (hidden === "no") continue;
    const path = withValue(step, "path");
    const pattern = path.text === undefined ? undefined : uploadsGitDir(path.text, dir);
    if (!pattern) continue;
    return {
      line: at(wf, path.entry?.value ?? step.uses).line,
      pattern,
      caveat:
        hidden === "unknown"
          ? " (unless this commit of upload-artifact is v4.4.0 or later, which leaves hidden files out)"
          : "",
    };
  }
  return undefined;
}

/**
 * Since v4.4.0 upload-artifact leaves hidden files and directories, `.git`
 * among them, out unless `include-hidden-files: true`; earlier versions
 * upload them. A floating `v4` or a branch is the latest release; a commit
 * SHA is read by the version in its trailing comment (`# v4.6.2`), if any.
 */
function uploadsHiddenFiles(wf: Workflow, step: Step, uses: string): "yes" | "no" | "unknown" {
  const include = withValue(step, "include-hidden-files").text?.trim().toLowerCase();
  if (include === "true") return "yes";
  let ref = parseUses(uses).ref ?? "";
  if (isCommitSha(ref)) {
    // The rest of the `uses:` line, where Dependabot and Renovate keep the version.
    const text = wf.src.text;
    const end = step.uses?.range?.[1] ?? 0;
    const eol = text.indexOf("\n", end);
    const rest = text.slice(end, eol === -1 ? Math.min(text.length, end + 200) : Math.min(eol, end + 200));
    const comment = /#\s*(v?\d+(?:\.\d+){0,2})\b/.exec(rest);
    if (!comment) return "unknown";
    ref = comment[1]!;
  }
  const v = /^v?(\d+)(?:\.(\d+))?/.exec(ref);
  if (!v) return "no";
  const major = Number(v[1]);
  const minor = v[2] === undefined ? undefined : Number(v[2]);
  if (major < 4) return "yes";
  if (major === 4 && minor !== undefined && minor < 4) return "yes";
  return "no";
}
