import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ciFinding } from "./common.js";
import type { GitlabInclude } from "./facts.js";
import { ciFacts } from "./model.js";

/**
 * Included configuration runs as this pipeline, with its variables and
 * tokens. A `project:` include without a commit-SHA `ref` (or with a branch
 * or tag) follows whatever is pushed there; a `remote:` URL without
 * `integrity:` is whatever that server returns; a component at `~latest` or
 * a branch moves too. Nothing named here is fetched: the reference alone
 * decides. `local:` and `template:` includes are not reported (a local file
 * in the change is reviewed as a pipeline file itself).
 */
const RULE = "ci/gitlab-unpinned-include";
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
const VERSION = /^v?\d+(\.\d+){2}(-[\w.]+)?$/;

function problem(inc: GitlabInclude): string | undefined {
  if (inc.kind === "remote" && !inc.integrity)
    return `includes \`${inc.target}\` over the network without \`integrity:\`: whoever controls that URL (or the network path${/^http:/i.test(inc.target) ? ", since it is plain HTTP" : ""}) writes this pipeline`;
  if (inc.kind === "project" && !(inc.ref && SHA.test(inc.ref)))
    return inc.ref
      ? `includes \`${inc.target}\` at \`${inc.ref}\`, a branch or tag that anyone who can push there moves`
      : `includes \`${inc.target}\` without \`ref:\`, so its default branch at each run`;
  if (inc.kind === "component" && !(inc.ref && (SHA.test(inc.ref) || VERSION.test(inc.ref))))
    return `uses the component \`${inc.target}\` at \`${inc.ref ?? "(no version)"}\`, which moves with each release or push`;
  return undefined;
}

export const gitlabUnpinnedInclude = defineCheck({
  kind: "snapshot",
  name: "ci/gitlab-unpinned-include",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (facts?.flavor !== "gitlab") return [];
    const out: RawFinding[] = [];
    for (const inc of facts.includes) {
      const why = problem(inc);
      if (!why) continue;
      out.push(
        ciFinding({
          ruleId: RULE,
          at: inc,
          message: `This pipeline ${why}; included configuration runs with this project's variables and tokens.`,
          fix:
            inc.kind === "remote"
              ? "Add `integrity: sha256-…` or vendor the file."
              : "Pin `ref:` to a full commit SHA.",
          anchor: `gitlab/include/${inc.kind}:${inc.target}@${inc.ref ?? ""}`,
        }),
      );
    }
    return out;
  },
});
