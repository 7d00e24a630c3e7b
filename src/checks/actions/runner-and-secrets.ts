import { isMap, isScalar, isSeq, visit } from "yaml";
import { analyseExpression, findExpressions } from "../../formats/expressions.js";
import { mapEntries, mapGet, scalarPosition, scalarText, seqItems } from "../../formats/yaml.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { at, clip, finding, workflowCheck } from "./common.js";
import { jobAnchor } from "./model.js";
import { PULL_REQUEST_TRIGGERS } from "./triggers.js";

/**
 * Rules about what a job runs on and which secrets it carries: self-hosted
 * runners reachable from pull requests, secrets handed over wholesale,
 * container registry passwords written in the file, and
 * `ACTIONS_ALLOW_UNSECURE_COMMANDS`.
 */

export const selfHostedRunnerOnPr = workflowCheck(
  "actions/self-hosted-runner-on-pr",
  ["actions/self-hosted-runner-on-pr"],
  ({ wf }) => {
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
  },
);

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

export const secretsInherit = workflowCheck(
  "actions/secrets-inherit",
  ["actions/secrets-inherit"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      if (job.secrets && scalarText(job.secrets.value)?.trim() === "inherit") {
        out.push(
          finding({
            ruleId: "actions/secrets-inherit",
            at: at(wf, job.secrets.value),
            message: `Job \`${job.id}\` passes every secret of the repository to \`${clip(scalarText(job.uses) ?? "the called workflow", 80)}\`, whatever it needs.`,
            fix: "List only the secrets the called workflow needs under `secrets:`.",
            anchor: `${jobAnchor(job)}/secrets:inherit`,
          }),
        );
      }
    }
    // toJSON(secrets) anywhere: every secret in one string, which masking cannot cover once it is transformed.
    visit(wf.doc, {
      Scalar(_key, node) {
        if (typeof node.value !== "string" || !node.value.includes("${{")) return;
        for (const e of findExpressions(node.value)) {
          const facts = analyseExpression(e.body);
          if (!facts.values.some((p) => p.length === 1 && p[0] === "secrets")) continue;
          out.push(
            finding({
              ruleId: "actions/secrets-inherit",
              at: scalarPosition(wf.src, node, e.start),
              message: `\`\${{ ${clip(facts.text, 80)} }}\` exposes every secret of the repository at once.`,
              fix: "Reference only the secrets this step needs, one by one (`secrets.NAME`).",
              anchor: `secrets-object:${facts.text}`,
            }),
          );
        }
      },
    });
    return out;
  },
);

export const hardcodedContainerCredentials = workflowCheck(
  "actions/hardcoded-container-credentials",
  ["actions/hardcoded-container-credentials"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    for (const job of wf.jobs) {
      const containers = [
        { label: "container", node: job.container },
        ...job.services.map((s) => ({ label: `services.${s.key}`, node: s.value })),
      ];
      for (const c of containers) {
        const credentials = mapGet(wf.doc, c.node, "credentials");
        const password = mapEntries(wf.doc, credentials).find((e) => e.key === "password");
        const value = scalarText(password?.value);
        if (!password || value === undefined || value.trim() === "") continue;
        // Only an expression (a secret, a variable) keeps the password out of the file.
        if (/^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value)) continue;
        out.push(
          finding({
            ruleId: "actions/hardcoded-container-credentials",
            at: at(wf, password.value),
            message: `The registry password of \`${c.label}\` in job \`${job.id}\` is written in the workflow, readable by anyone who can read the repository.`,
            fix: `Store it as a secret and use \`password: $\{{ secrets.REGISTRY_PASSWORD }}\`; rotate the exposed one.`,
            anchor: `${jobAnchor(job)}/${c.label}/credentials.password`,
            evidence: `password: ${redactSecret(value)}`,
          }),
        );
      }
    }
    return out;
  },
);

export const insecureCommands = workflowCheck(
  "actions/insecure-commands",
  ["actions/insecure-commands"],
  ({ wf }) => {
    const out: RawFinding[] = [];
    const scopes = [
      { label: "env", entries: wf.env },
      ...wf.jobs.flatMap((job) => [
        { label: `${jobAnchor(job)}/env`, entries: job.env },
        ...job.steps.map((step) => ({ label: `${jobAnchor(job, step)}/env`, entries: step.env })),
      ]),
    ];
    for (const scope of scopes) {
      for (const e of scope.entries) {
        if (e.key !== "ACTIONS_ALLOW_UNSECURE_COMMANDS") continue;
        const value = scalarText(e.value)?.trim().toLowerCase();
        if (value === undefined || value === "false" || value === "0" || value === "") continue;
        out.push(
          finding({
            ruleId: "actions/insecure-commands",
            at: at(wf, e.keyNode),
            message:
              "`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables `::set-env` and `::add-path`: any text a step prints (a PR title, a test log) can then set environment variables and run code.",
            fix: "Remove it and write to $GITHUB_ENV / $GITHUB_PATH files instead of workflow commands.",
            anchor: `${scope.label}/ACTIONS_ALLOW_UNSECURE_COMMANDS`,
          }),
        );
      }
    }
    return out;
  },
);
