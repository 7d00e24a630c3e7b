import { isMap, isScalar, isSeq } from "yaml";
import { mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, finding, onWorkflow } from "./common.js";
import { jobAnchor } from "./model.js";
import { PULL_REQUEST_TRIGGERS } from "./triggers.js";

/** A self-hosted runner reachable from pull requests: a fork's code can persist on the machine and reach its network. */
export const selfHostedRunnerOnPr = defineCheck({
  kind: "snapshot",
  name: "actions/self-hosted-runner-on-pr",
  families: ["actions"],
  rules: ["actions/self-hosted-runner-on-pr"],
  run: onWorkflow(({ wf }) => {
    const trigger = wf.triggers.find((t) => PULL_REQUEST_TRIGGERS.has(t.name))?.name;
    if (!trigger) return [];
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      const labels = runnerLabels(wf.doc, job.runsOn);
      const selfHosted = labels.find((l) => scalarText(l)?.trim().toLowerCase() === "self-hosted");
      if (!selfHosted) continue;
      out.push(
        finding({
          ruleId: "actions/self-hosted-runner-on-pr",
          at: at(wf, selfHosted),
          message: `Job \`${job.id}\` runs on a self-hosted runner on \`${trigger}\`: a pull request's code can persist on that machine and reach the network it sits in.`,
          fix: "Use GitHub-hosted runners for pull-request jobs, or ephemeral, isolated self-hosted runners that never run fork PRs.",
          anchor: `${jobAnchor(job)}/runs-on:self-hosted`,
        }),
      );
    }
    return out;
  }),
});

function runnerLabels(doc: import("yaml").Document, node: import("yaml").Node | undefined) {
  if (!node) return [];
  if (isScalar(node)) return [node];
  if (isSeq(node)) return seqItems(doc, node);
  if (isMap(node)) {
    const labels = mapGet(doc, node, "labels");
    return isSeq(labels) ? seqItems(doc, labels) : labels ? [labels] : [];
  }
  return [];
}
